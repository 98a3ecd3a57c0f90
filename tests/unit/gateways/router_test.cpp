#define CAF_SUITE gateways.router

#include "gateways/router.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

using namespace openassist::gateways;

namespace {

struct fixture {
  router r;
  std::string last;
  fixture() {
    auto named = [this](std::string name) {
      return [this, name](const http_request&, const path_params& p, responder respond) {
        last = name;
        for (auto& [k, v] : p)
          last += " " + k + "=" + v;
        respond(http_response::json(200, {{"route", name}}));
      };
    };
    r.add("GET", "/api/v1/status", named("status"));
    r.add("GET", "/api/v1/portals/:id", named("portal"));
    r.add("DELETE", "/api/v1/portals/:id", named("delete"));
    r.add("GET", "/files/*", named("files"));
  }
  http_response call(std::string method, std::string path) {
    http_request req;
    req.method = std::move(method);
    req.path = std::move(path);
    http_response out;
    r.dispatch(req, [&](http_response res) { out = std::move(res); });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(router_tests, fixture)

CAF_TEST(literal and captured segments) {
  CAF_CHECK_EQUAL(call("GET", "/api/v1/status").status, 200u);
  CAF_CHECK_EQUAL(last, "status");
  CAF_CHECK_EQUAL(call("GET", "/api/v1/portals/42").status, 200u);
  CAF_CHECK_EQUAL(last, "portal id=42");
  CAF_CHECK_EQUAL(call("DELETE", "/api/v1/portals/42").status, 200u);
  CAF_CHECK_EQUAL(last, "delete id=42");
}

CAF_TEST(wildcards take the rest of the path) {
  call("GET", "/files/a/b/c.txt");
  CAF_CHECK_EQUAL(last, "files *=a/b/c.txt");
}

CAF_TEST(HEAD is served by GET routes) {
  CAF_CHECK_EQUAL(call("HEAD", "/api/v1/status").status, 200u);
}

CAF_TEST(unknown paths are 404 in the error format) {
  auto res = call("GET", "/api/v1/nope");
  CAF_CHECK_EQUAL(res.status, 404u);
  auto body = nlohmann::json::parse(res.body);
  CAF_CHECK_EQUAL(body["error"]["code"], "not_found");
}

CAF_TEST(wrong methods are 405 with Allow) {
  auto res = call("POST", "/api/v1/portals/1");
  CAF_CHECK_EQUAL(res.status, 405u);
  CAF_REQUIRE_EQUAL(res.headers.size(), 1u);
  CAF_CHECK_EQUAL(res.headers[0].second, "GET, DELETE");
}

CAF_TEST_FIXTURE_SCOPE_END()
