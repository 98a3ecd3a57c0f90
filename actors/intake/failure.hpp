// What the intake's rules answer when they refuse: the HTTP status, code,
// message and field the client gets (docs/intake.md). Step 5 of
// issue 11 turns these into `caf::error`s of actors/errc.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace openassist::actors::desk {

/// An error for the client: HTTP status, code, message, and a field.
struct failure {
  failure() = default;
  failure(unsigned s, std::string c, std::string m, std::string f = {})
    : status(s), code(std::move(c)), message(std::move(m)),
      field(std::move(f)) {}
  unsigned status = 400;
  std::string code, message, field;
  std::string
    rule; ///< for bad_field: required, length, email, choice, type, format
  int max = -1; ///< for rule length
  int64_t retry_after_s = 0;
  std::optional<int64_t> next_open;
};

} // namespace openassist::actors::desk
