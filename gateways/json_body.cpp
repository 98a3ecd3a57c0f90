#include "gateways/json_body.hpp"

namespace openassist::gateways {

namespace {

// True when brackets outside strings nest at most `limit` deep.
bool depth_within(std::string_view text, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > limit)
          return false;
        break;
      case ']':
      case '}':
        if (depth > 0)
          --depth;
        break;
      default:
        break;
    }
  }
  return true;
}

} // namespace

std::optional<nlohmann::json> parse_json(std::string_view text,
                                         std::string& problem) {
  if (!depth_within(text, max_json_depth)) {
    problem = "JSON nested deeper than " + std::to_string(max_json_depth);
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    problem = e.what();
    return std::nullopt;
  }
}

std::optional<nlohmann::json> json_object_body(const http_request& req,
                                               http_response& error) {
  auto type = req.header("Content-Type");
  if (type.substr(0, type.find(';')) != "application/json") {
    error = http_response::error(415, "unsupported_media_type",
                                 "the body must be application/json");
    return std::nullopt;
  }
  std::string problem;
  auto doc = parse_json(req.body, problem);
  if (!doc) {
    error = http_response::error(400, "bad_json",
                                 "body is not valid JSON: " + problem);
    return std::nullopt;
  }
  if (!doc->is_object()) {
    error = http_response::error(400, "bad_json", "body must be a JSON object");
    return std::nullopt;
  }
  return doc;
}

} // namespace openassist::gateways
