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

CAF_TEST(headers are found case-insensitively) {
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

CAF_TEST(invalid UTF-8 in output does not throw) {
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
