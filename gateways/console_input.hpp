// Reads a technician console's command from its JSON into the typed
// actors::console_command (actors/intake/console_command.hpp), once, at the
// gateway. The shape is checked here (a known `type`, `hidden` a boolean);
// what the command may do is the desk's to decide. Lenient where the
// console protocol always was: an id that is not one reads as 0 ("no such
// ..."), text of another type as "".
#pragma once

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/console_command.hpp"

namespace openassist::gateways {

/// A console message `{"type": ..., ...}` (docs/intake.md, "Console").
/// Refused with bad_field: code unknown_type for a type the console does not
/// have, field `hidden` (rule type) for a `hidden` that is not a boolean.
caf::expected<actors::console_command> read_console(const nlohmann::json& msg);

} // namespace openassist::gateways
