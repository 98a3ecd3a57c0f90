#define CAF_SUITE gateways.router

#include "gateways/router.hpp"

#include <stdexcept>

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "gateways/api_v1.hpp"

using namespace openassist::gateways;

namespace {

struct fixture {
  router r;
  std::string last;
  fixture() {
    auto named = [this](std::string name) {
      return [this, name](const http_request&, const path_params& p,
                          responder respond) {
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
  http_response call(std::string method, std::string path,
                     std::string query = {}, header_list headers = {}) {
    http_request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.query = std::move(query);
    req.headers = std::move(headers);
    http_response out;
    answers = 0;
    r.dispatch(req, [&](http_response res) {
      ++answers;
      out = std::move(res);
    });
    return out;
  }
  int answers = 0;
};

std::string error_code(const http_response& res) {
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_discarded() || !body["error"]["code"].is_string())
    return "(no error code)";
  return body["error"]["code"].get<std::string>();
}

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

CAF_TEST(valid_utf8 follows RFC 3629) {
  // Samples that are misjudged, as hex, so a failure names them.
  std::string wrong;
  auto hex = [](std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out = " ";
    for (unsigned char c : s) {
      out += digits[c >> 4];
      out += digits[c & 15];
    }
    return out;
  };
  for (std::string_view good :
       {"", "plain", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
        "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBF"})
    if (!valid_utf8(good))
      wrong += hex(good);
  for (std::string_view bad :
       {"\xFF", "\xC3", "a\xC3", "\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF",
        "\xED\xA0\x80", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xE2\x82", "\xE2\x28\xA1", "\xF0\x9F\x98"})
    if (valid_utf8(bad))
      wrong += hex(bad);
  CAF_CHECK_EQUAL(wrong, "");
}

CAF_TEST(invalid UTF - 8 in path query or headers is 400 before routing) {
  struct probe {
    std::string path;
    std::string query;
    header_list headers;
  };
  for (const auto& p : std::vector<probe>{
         {"/api/v1/portals/\xFF", "", {}},
         {"/api/v1/portals/1", "limit=%FF", {}},
         {"/api/v1/portals/1", "portal_id=%FF", {}},
         {"/api/v1/portals/1", "before=%C3", {}},
         {"/api/v1/portals/1", "name=%FF.txt", {}},
         {"/api/v1/portals/1", "%FF=1", {}},
         {"/api/v1/portals/1", "x=%ED%A0%80", {}},
         {"/api/v1/portals/1", "limit=%zz", {}},
         {"/api/v1/portals/1", "limit=%00", {}},
         {"/api/v1/portals/a\nb", "", {}},
         {"/api/v1/portals/1", "", {{"X-Customer-Token", "\xFF"}}},
         {"/nope/\xC3", "", {}},
       }) {
    last.clear();
    auto res = call("GET", p.path, p.query, p.headers);
    CAF_CHECK_EQUAL(res.status, 400u);
    CAF_CHECK_EQUAL(error_code(res), "bad_encoding");
    CAF_CHECK_EQUAL(answers, 1);
    CAF_CHECK_EQUAL(last, ""); // no route saw it
  }
  // Valid UTF-8 passes.
  auto ok = call("GET", "/api/v1/portals/caf\xC3\xA9", "name=%E2%82%AC.txt&x",
                 {{"User-Agent", "Mozilla/5.0 \xC3\xA9"}});
  CAF_CHECK_EQUAL(ok.status, 200u);
  CAF_CHECK_EQUAL(last, "portal id=caf\xC3\xA9");
}

CAF_TEST(a throwing handler is answered 500 once and reported) {
  std::vector<std::string> caught;
  r.on_exception([&](const char* where, std::string_view what) {
    caught.push_back(std::string{where} + ": " + std::string{what});
  });
  r.add("GET", "/throws",
        [](const http_request&, const path_params&, responder) {
          throw std::runtime_error("boom");
        });
  r.add("GET", "/answers-then-throws",
        [](const http_request&, const path_params&, responder respond) {
          respond(http_response::json(200, {{"ok", true}}));
          throw 42;
        });
  auto res = call("GET", "/throws");
  CAF_CHECK_EQUAL(res.status, 500u);
  CAF_CHECK_EQUAL(error_code(res), "internal");
  CAF_CHECK_EQUAL(answers, 1);
  res = call("GET", "/answers-then-throws");
  CAF_CHECK_EQUAL(res.status, 200u);
  CAF_CHECK_EQUAL(answers, 1);
  CAF_REQUIRE_EQUAL(caught.size(), 2u);
  CAF_CHECK_EQUAL(caught[0], "http: boom");
  CAF_CHECK_EQUAL(caught[1], "http: unknown exception");
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

// A request's bridge actor under the deterministic scheduler.
struct bridge_fixture : test_coordinator_fixture<> {
  api_context ctx;
  std::vector<http_response> answers;
  std::vector<std::string> caught;
  responder respond;
  bridge_fixture() {
    ctx.sys = &sys;
    ctx.on_exception = [this](const char* where, std::string_view what) {
      caught.push_back(std::string{where} + ": " + std::string{what});
    };
    respond = answer_once(
      [this](http_response res) { answers.push_back(std::move(res)); });
  }
};

caf::behavior doubler() {
  return {[](int x) { return 2 * x; }};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(bridge_tests, bridge_fixture)

CAF_TEST(a bridge that throws at once answers 500 and ends) {
  spawn_bridge(ctx, respond, [](caf::event_based_actor*) {
    throw std::runtime_error("in init");
  });
  run();
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].status, 500u);
  CAF_CHECK_EQUAL(error_code(answers[0]), "internal");
  CAF_REQUIRE_EQUAL(caught.size(), 1u);
  CAF_CHECK_EQUAL(caught[0], "bridge: in init");
}

CAF_TEST(a bridge that throws in a later response handler answers 500) {
  auto peer = sys.spawn(doubler);
  spawn_bridge(ctx, respond, [peer](caf::event_based_actor* self) {
    self->request(peer, caf::infinite, 21).then([](int) {
      throw std::logic_error("in a response handler");
    });
  });
  run();
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].status, 500u);
  CAF_REQUIRE_EQUAL(caught.size(), 1u);
  CAF_CHECK_EQUAL(caught[0], "bridge: in a response handler");
  anon_send_exit(peer, caf::exit_reason::user_shutdown);
}

CAF_TEST(a bridge that answers and then throws is answered once) {
  auto peer = sys.spawn(doubler);
  auto r = respond;
  spawn_bridge(ctx, respond, [peer, r](caf::event_based_actor* self) {
    self->request(peer, caf::infinite, 21).then([r](int x) {
      r(http_response::json(200, {{"x", x}}));
      throw std::runtime_error("after the answer");
    });
  });
  run();
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].status, 200u);
  CAF_CHECK_EQUAL(caught.size(), 1u);
  anon_send_exit(peer, caf::exit_reason::user_shutdown);
}

CAF_TEST(a bridge that works is not reported) {
  spawn_bridge(ctx, respond, [r = respond](caf::event_based_actor* self) {
    r(http_response::json(200, {{"ok", true}}));
    self->quit();
  });
  run();
  CAF_REQUIRE_EQUAL(answers.size(), 1u);
  CAF_CHECK_EQUAL(answers[0].status, 200u);
  CAF_CHECK(caught.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
