#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

// The input events a technician in control sends to the customer's support
// app (docs/remote-control.md, "Remote control"): checked here, at the edge,
// and passed on as a canonical JSON array that the app can trust in shape.
namespace openassist::gateways {

inline constexpr size_t max_control_events = 64;

/// The events of a `control.input` message as a canonical JSON array, or
/// nullopt with `problem` saying what is wrong.
std::optional<std::string> check_control_events(const nlohmann::json& events,
                                                std::string& problem);

} // namespace openassist::gateways
