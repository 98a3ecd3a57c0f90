#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateways/http_types.hpp"

namespace openassist::gateways {

/// Deepest nesting of arrays/objects accepted in a JSON document. Checked
/// before parsing: nlohmann's parser recurses and would overflow the stack.
inline constexpr size_t max_json_depth = 64;

/// Parses untrusted JSON text. Returns nullopt and sets `problem` for bad
/// syntax, invalid UTF-8 or nesting deeper than max_json_depth. Never throws.
std::optional<nlohmann::json> parse_json(std::string_view text,
                                         std::string& problem);

/// A request body that must be a JSON object with Content-Type
/// application/json; on failure `error` holds the 4xx response to send.
std::optional<nlohmann::json> json_object_body(const http_request& req,
                                               http_response& error);

} // namespace openassist::gateways
