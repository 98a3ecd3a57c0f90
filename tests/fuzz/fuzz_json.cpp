// JSON bodies and WebSocket messages from outside.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateways/json_body.hpp"

using namespace openassist::gateways;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string problem;
  auto doc = parse_json(text, problem);
  if (doc) {
    // Whatever was accepted can be written back out.
    (void)doc->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else if (problem.empty()) {
    __builtin_trap(); // a refusal always says why
  }
  http_request req;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = std::string(text);
  http_response err;
  auto obj = json_object_body(req, err);
  if (!obj && err.status != 400)
    __builtin_trap();
  if (obj && !obj->is_object())
    __builtin_trap();
  return 0;
}
