#define CAF_SUITE gateways.http_types

#include "gateways/http_types.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "gateways/json_body.hpp"

using namespace openassist::gateways;

CAF_TEST(targets split into decoded path and raw query) {
  std::string path, query;
  CAF_CHECK(split_target("/a%20b/c?x=1&y=%41#frag", path, query));
  CAF_CHECK_EQUAL(path, "/a b/c");
  CAF_CHECK_EQUAL(query, "x=1&y=%41");
  CAF_CHECK_EQUAL(query_param(query, "y"), "A");
  CAF_CHECK_EQUAL(query_param(query, "z"), "");
  CAF_CHECK(!split_target("http://x/", path, query));
  CAF_CHECK(!split_target("/bad%2", path, query));
  CAF_CHECK(!split_target("/bad%zz", path, query));
  CAF_CHECK(!split_target("/nul%00", path, query));
}

CAF_TEST(headers are found case -insensitively) {
  http_request req;
  req.headers = {{"Content-Type", "application/json"}};
  CAF_CHECK_EQUAL(req.header("content-type"), "application/json");
  CAF_CHECK_EQUAL(req.header("accept"), "");
}

CAF_TEST(errors have one format) {
  auto res = http_response::error(400, "bad_field", "name: must not be empty");
  auto body = nlohmann::json::parse(res.body);
  CAF_CHECK_EQUAL(body["error"]["code"], "bad_field");
  CAF_CHECK_EQUAL(body["error"]["message"], "name: must not be empty");
}

CAF_TEST(invalid UTF - 8 in output does not throw) {
  auto res = http_response::json(200, {{"x", std::string("\xff\xfe")}});
  CAF_CHECK(!res.body.empty());
}

CAF_TEST(json bodies are checked) {
  http_request req;
  http_response err;
  req.body = R"({"a":1})";
  CAF_CHECK(!json_object_body(req, err));
  CAF_CHECK_EQUAL(err.status, 415u);
  req.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  CAF_CHECK(json_object_body(req, err));
  req.body = "[1,2]";
  CAF_CHECK(!json_object_body(req, err));
  CAF_CHECK_EQUAL(err.status, 400u);
  req.body = "{\"a\":";
  CAF_CHECK(!json_object_body(req, err));
  req.body = std::string(100000, '[');
  CAF_CHECK(!json_object_body(req, err));
  CAF_CHECK_EQUAL(err.status, 400u);
}

#include "gateways/server.hpp"

CAF_TEST(client address behind trusted proxies) {
  using openassist::gateways::client_address;
  using openassist::gateways::parse_address_list;
  auto trusted = parse_address_list(" 10.0.0.1, ::1 ,garbage,10.0.0.2");
  CAF_REQUIRE_EQUAL(trusted.size(), 3u);
  // An untrusted peer's header is ignored.
  CAF_CHECK_EQUAL(client_address("203.0.113.9", "1.2.3.4", trusted),
                  "203.0.113.9");
  // A trusted proxy names the client; chains through trusted proxies.
  CAF_CHECK_EQUAL(client_address("10.0.0.1", "198.51.100.7", trusted),
                  "198.51.100.7");
  CAF_CHECK_EQUAL(
    client_address("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", trusted),
    "198.51.100.7");
  // Garbage stops the walk at the last good address.
  CAF_CHECK_EQUAL(client_address("10.0.0.1", "not-an-ip", trusted), "10.0.0.1");
  CAF_CHECK_EQUAL(client_address("10.0.0.1", "", trusted), "10.0.0.1");
  CAF_CHECK_EQUAL(client_address("::1", "2001:db8::5", trusted), "2001:db8::5");
}

CAF_TEST(only the two upload routes with credentials get the upload limits) {
  using openassist::gateways::upload_request;
  std::string token(43, 'a');
  CAF_CHECK(upload_request("/api/v1/public/portals/demo/help/requests/7/files",
                           token, "", ""));
  CAF_CHECK(!upload_request("/api/v1/public/portals/demo/help/requests/7/files",
                            "", "", ""));
  CAF_CHECK(!upload_request("/api/v1/public/portals/demo/help/requests/x/files",
                            token, "", ""));
  CAF_CHECK(
    upload_request("/api/v1/requests/7/files", "", "a=b; oa_session=xyz", ""));
  CAF_CHECK(upload_request("/api/v1/requests/7/files", "", "", "Bearer abc"));
  CAF_CHECK(!upload_request("/api/v1/requests/7/files", "", "", ""));
  CAF_CHECK(!upload_request("/x/files", token, "oa_session=1", "Bearer a"));
  CAF_CHECK(
    !upload_request("/api/v1/requests/7/files/extra", "", "oa_session=1", ""));
}
