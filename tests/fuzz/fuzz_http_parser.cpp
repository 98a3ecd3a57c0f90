// Raw bytes on the public port: Beast's request parser with the gateway's
// limits, then the gateway's conversion and routing of what it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include "gateways/http_types.hpp"
#include "gateways/router.hpp"

namespace http = boost::beast::http;
using namespace openassist::gateways;

namespace {

// The routing table shapes the product uses: literal, captured and wildcard
// routes, answering with what they matched (fuzz_router runs the real table).
router fuzz_router_table() {
  router r;
  auto echo = [](const http_request& req, const path_params& p,
                 responder respond) {
    nlohmann::json out = {{"path", req.path}};
    for (auto& [k, v] : p)
      out[k] = v;
    respond(http_response::json(200, out));
  };
  r.add("GET", "/api/v1/status", echo);
  r.add("GET", "/api/v1/portals/:id", echo);
  r.add("PUT", "/api/v1/portals/:id/settings/:name", echo);
  r.add("DELETE", "/api/v1/portals/:id", echo);
  r.add("GET", "/*", echo, "static");
  return r;
}

} // namespace

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
