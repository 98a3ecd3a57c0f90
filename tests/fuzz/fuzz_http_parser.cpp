// Raw bytes on the public port: Beast's request parser with the gateway's
// limits, then the gateway's conversion and routing of what it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/beast/http.hpp>

#include "gateways/http_types.hpp"
#include "routes_under_test.hpp"

namespace http = boost::beast::http;
using namespace openassist::gateways;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const router routes = fuzz_router_table();
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done())
    return 0;
  auto msg = parser.release();
  http_request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.body = msg.body();
  for (auto& f : msg)
    req.headers.emplace_back(std::string(f.name_string()),
                             std::string(f.value()));
  (void)req.header("Content-Type");
  if (!split_target(req.target, req.path, req.query))
    return 0;
  routes.dispatch(req, [](http_response) {});
  return 0;
}
