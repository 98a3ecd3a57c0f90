// Request targets and methods from outside: split, decode, route, answer.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "gateways/http_types.hpp"
#include "routes_under_test.hpp"

using namespace openassist::gateways;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const router routes = fuzz_router_table();
  std::string input(reinterpret_cast<const char*>(data), size);
  // First line: method; rest: target.
  auto nl = input.find('\n');
  http_request req;
  req.method = input.substr(0, nl == std::string::npos ? 0 : nl);
  req.target = nl == std::string::npos ? input : input.substr(nl + 1);
  if (!split_target(req.target, req.path, req.query))
    return 0;
  (void) query_param(req.query, "id");
  int answers = 0;
  routes.dispatch(req, [&](http_response res) {
    ++answers;
    if (res.status >= 400) {
      auto body = nlohmann::json::parse(res.body);
      if (!body["error"]["code"].is_string())
        __builtin_trap();
    }
  });
  if (answers != 1)
    __builtin_trap();  // every request is answered exactly once
  return 0;
}
