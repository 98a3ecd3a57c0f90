// What the intake's rules answer when they refuse: the kind of refusal (an
// errc, which the gateways' error table turns into an HTTP status), the code
// the client reads, the message and the details (docs/intake.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <caf/error.hpp>

#include "actors/errc.hpp"

namespace openassist::actors::desk {

/// An error for the client: kind, code, message, and a field.
struct failure {
  failure() = default;
  failure(errc k, std::string c, std::string m, std::string f = {})
    : kind(k), code(std::move(c)), message(std::move(m)), field(std::move(f)) {}
  errc kind = errc::bad_field;
  std::string code, message, field;
  std::string
    rule; ///< for bad_field: required, length, email, choice, type, format
  int max = -1; ///< for rule length
  int64_t retry_after_s = 0;
  std::optional<int64_t> next_open;
};

/// The refusal as actors answer it (errc category with its details).
inline caf::error to_error(const failure& f) {
  error_details d;
  d.code = f.code;
  d.field = f.field;
  d.rule = f.rule;
  d.max = f.max;
  d.retry_after_s = f.retry_after_s;
  d.next_open = f.next_open ? *f.next_open : -1;
  return make_error(f.kind, f.message, std::move(d));
}

} // namespace openassist::actors::desk
