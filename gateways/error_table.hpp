// How the gateways tell a client that an actor refused: one table from the
// errors actors answer with (actors/errc.hpp, storage/errc.hpp, CAF's own) to
// an HTTP status and the JSON error shape {"error": {"code", "message"}}.
#pragma once

#include <string>

#include <caf/error.hpp>
#include <nlohmann/json_fwd.hpp>

#include "actors/errc.hpp"

#include "gateways/http_types.hpp"

namespace openassist::gateways {

struct error_answer {
  unsigned status = 503;
  std::string code = "unavailable";
  std::string message = "try again";
  /// field, rule, min, max, retry_after_s, next_open (code is above).
  actors::error_details details;
};

/// The status, code and message a client gets for `err`. An actor's
/// refusal (category "oa") keeps its code (its details' code where it has
/// one), message and details; a storage refusal passed on as the writer gave
/// it says whether storage was full or busy; anything else (a request
/// timeout, an actor that is gone) is 503 `unavailable` "try again".
error_answer describe(const caf::error& err);

/// The inner object of the error shape: {"code", "message"} and those of
/// `field`, `rule`, `min`, `max`, `retry_after_s` and `next_open` that are
/// set.
nlohmann::json error_object(const error_answer& a);

/// The same as an HTTP response: {"error": error_object}, with Retry-After
/// when the refusal says when to try again.
http_response error_response(const caf::error& err);

} // namespace openassist::gateways
