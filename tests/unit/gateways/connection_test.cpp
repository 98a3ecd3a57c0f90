#define CAF_SUITE gateways.connection

#include "gateways/connection.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

using namespace caf;
using namespace openassist::gateways;
using json = nlohmann::json;

namespace {

// Records what the connection actor sends to its client.
struct recording_outbox : ws_outbox {
  std::vector<json> sent;
  std::vector<uint16_t> closed;
  void send_text(std::string message) override {
    sent.push_back(json::parse(message));
  }
  void send_binary(std::string) override {}
  void close(uint16_t code, std::string) override { closed.push_back(code); }
};

struct fixture : test_coordinator_fixture<> {
  std::shared_ptr<recording_outbox> out = std::make_shared<recording_outbox>();
  connection_actor aut;
  fixture() {
    connection_config cfg;
    cfg.out = out;
    cfg.node_id = "node1";
    cfg.version = "0.1.0";
    cfg.remote_address = "127.0.0.1";
    aut = sys.spawn(connection, cfg);
    run();
  }
  std::string code_of(const std::string& text) {
    return exchange(text)["error"]["code"].get<std::string>();
  }
  json exchange(const std::string& text) {
    self->send(aut, ws_text_atom::value, text);
    expect((ws_text_atom, std::string), from(self).to(aut).with(_, text));
    CAF_REQUIRE(!out->sent.empty());
    return out->sent.back();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(connection_tests, fixture)

CAF_TEST(a new connection is welcomed) {
  CAF_REQUIRE_EQUAL(out->sent.size(), 1u);
  CAF_CHECK_EQUAL(out->sent[0]["type"], "welcome");
  CAF_CHECK_EQUAL(out->sent[0]["protocol"], 1);
  CAF_CHECK_EQUAL(out->sent[0]["node_id"], "node1");
}

CAF_TEST(ping is answered with its id) {
  auto pong = exchange(R"({"type":"ping","id":7})");
  CAF_CHECK_EQUAL(pong["type"], "pong");
  CAF_CHECK_EQUAL(pong["id"], 7);
  CAF_CHECK(pong["server_time_ms"].is_number());
}

CAF_TEST(bad messages get error events and the connection stays) {
  CAF_CHECK_EQUAL(code_of("not json"), "bad_json");
  CAF_CHECK_EQUAL(code_of("[1]"), "bad_json");
  CAF_CHECK_EQUAL(code_of(R"({"id":1})"), "bad_field");
  CAF_CHECK_EQUAL(code_of(R"({"type":"ping","id":[1]})"), "bad_field");
  auto unknown = exchange(R"({"type":"launch","id":"x"})");
  CAF_CHECK_EQUAL(unknown["error"]["code"], "unknown_type");
  CAF_CHECK_EQUAL(unknown["id"], "x");
  CAF_CHECK(out->closed.empty());
}

CAF_TEST(the actor stops when the client is gone) {
  self->send(aut, ws_closed_atom::value);
  expect((ws_closed_atom), from(self).to(aut));
  CAF_CHECK(sched.jobs.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
