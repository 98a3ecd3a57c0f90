// How the gateways tell a client that an actor refused: one table from the
// errors actors answer with (actors/errc.hpp, storage/errc.hpp, CAF's own) to
// an HTTP status and the JSON error shape {"error": {"code", "message"}}.
#pragma once

#include <string>

#include <caf/error.hpp>

#include "gateways/http_types.hpp"

namespace openassist::gateways {

struct error_answer {
  unsigned status = 503;
  std::string code = "unavailable";
  std::string message = "try again";
};

/// The status, code and message a client gets for `err`. An actor's
/// refusal (category "oa") keeps its code and message; a storage refusal
/// passed on as the writer gave it says whether storage was full or busy;
/// anything else (a request timeout, an actor that is gone) is 503
/// `unavailable` "try again".
error_answer describe(const caf::error& err);

/// The same as an HTTP response.
http_response error_response(const caf::error& err);

} // namespace openassist::gateways
