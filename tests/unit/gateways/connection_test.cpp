#define CAF_SUITE gateways.connection

#include "gateways/connection.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/auth.hpp"
#include "actors/intake/desk.hpp"
#include "actors/session/session.hpp"
#include "cluster/directory.hpp"

using namespace caf;
using namespace openassist::gateways;
using json = nlohmann::json;

namespace {

// Records what the connection actor sends to its client.
struct recording_outbox : ws_outbox {
  std::vector<json> sent;
  std::vector<uint16_t> closed;
  /// The buffers handed over as shared (not copied).
  std::vector<std::shared_ptr<const std::string>> shared;
  void send_shared(std::shared_ptr<const std::string> text) override {
    sent.push_back(json::parse(*text));
    shared.push_back(std::move(text));
  }
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

CAF_TEST(a broadcast is written from the buffer the session made) {
  openassist::actors::shared_text line{R"({"type":"chat.line","seq":1})"};
  self->send(aut, openassist::actors::desk_push_atom::value, line);
  expect((openassist::actors::desk_push_atom, openassist::actors::shared_text),
         from(self).to(aut));
  CAF_REQUIRE_EQUAL(out->shared.size(), 1u);
  CAF_CHECK_EQUAL(out->shared[0].get(), line.text.get());
  CAF_CHECK_EQUAL(out->sent.back()["seq"], 1);
  // Other pushes are the connection's own text, as before.
  self->send(aut, openassist::actors::desk_push_atom::value,
             std::string{R"({"type":"queue.update"})"});
  expect((openassist::actors::desk_push_atom, std::string), from(self).to(aut));
  CAF_CHECK_EQUAL(out->shared.size(), 1u);
  CAF_CHECK_EQUAL(out->sent.back()["type"], "queue.update");
}

CAF_TEST(the actor stops when the client is gone) {
  self->send(aut, ws_closed_atom::value);
  expect((ws_closed_atom), from(self).to(aut));
  CAF_CHECK(sched.jobs.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()

// -- the role and attach state machine (issue 9, §1) --------------------------
//
// The connection talks to the real directory, whose factories spawn doubles
// of the desk (per account) and of sessions that record what they are asked.

namespace {

using namespace openassist;

/// What the doubles were asked.
struct world {
  struct joined {
    std::string key, role, credential;
    bool live = false;
  };
  std::vector<joined> joins;              ///< session_subscribe calls
  std::vector<std::string> sent;          ///< member keys of sends
  std::vector<std::string> desk_commands; ///< account: command type
  std::vector<std::string> desk_attaches; ///< account/request
  std::vector<std::string> left;          ///< member keys that left
  bool may_watch = true;                  ///< user 90 may watch
};

using reply = result<std::string>;

reply ok(const json& j) {
  return j.dump();
}

reply err(actors::errc kind) {
  return actors::make_error(kind, actors::to_string(kind));
}

// Account `acme`: request 1 opens with token "good"; user 10 is a
// technician, user 90 a manager who may watch request 1. Account `evil`:
// request 1 opens with token "evil-token".
behavior desk_double(event_based_actor*, std::string account,
                     std::shared_ptr<world> w) {
  return {
    [=](actors::desk_attach_atom, const std::string& id,
        const std::string& token, const actor&) -> reply {
      w->desk_attaches.push_back(account + "/" + id);
      bool fits = id == "1" && ((account == "acme" && token == "good") ||
                                (account == "evil" && token == "evil-token"));
      if (!fits)
        return err(actors::errc::not_found);
      return ok({{"type", "request.state"}, {"request", {{"id", id}}}});
    },
    [=](actors::desk_console_atom, uint64_t user, const actor&) -> reply {
      if (user != 10)
        return err(actors::errc::forbidden);
      return ok({{"type", "console.state"}});
    },
    [=](actors::desk_monitor_atom, uint64_t user,
        const std::string& id) -> reply {
      return account == "acme" && user == 90 && id == "1" && w->may_watch
               ? ok(json::object())
               : err(actors::errc::not_found);
    },
    [=](actors::desk_cancel_atom, const std::string&,
        const std::string&) -> reply {
      return ok({{"type", "request.state"}});
    },
    [=](actors::desk_rate_atom, const std::string&, const std::string&,
        const actors::customer_rating&) -> reply {
      return ok({{"type", "rated"}});
    },
    [=](actors::desk_command_atom, uint64_t,
        const actors::console_command& cmd) -> reply {
      w->desk_commands.push_back(account + ": " +
                                 std::string{actors::name_of(cmd.op)});
      return ok(json::object());
    },
    [=](actors::desk_user_atom, uint64_t user) -> reply {
      return ok({{"role", user == 10 ? "technician" : "company_manager"}});
    },
  };
}

behavior session_double(event_based_actor*, std::string key,
                        std::shared_ptr<world> w) {
  return {
    [=](actors::session_subscribe_atom, const actor&, const std::string& role,
        const std::string& credential, bool live, uint64_t,
        const actors::member_sink_ptr& sink) -> actors::session_joined {
      w->joins.push_back({key, role, credential, live});
      // A line stored while the resume is answered: the client must read
      // it after chat.synced.
      if (sink && live)
        sink->write(std::make_shared<const std::string>(
          R"({"type":"chat.line","seq":7})"));
      return {"m-" + key, live, 6};
    },
    [=](actors::session_send_atom, const std::string& member,
        const std::string&, const std::string& client_id,
        bool) -> actors::chat_ack {
      w->sent.push_back(member);
      return {1, client_id};
    },
    [=](actors::session_typing_atom, const std::string&, bool) {},
    [=](actors::session_screen_atom, const std::string&,
        const std::string& action) -> actors::screen_ack {
      return {action, action == "accept"};
    },
    [=](actors::session_frame_atom, const std::string&, const std::string&) {},
    [=](actors::session_leave_atom, const std::string& member) {
      w->left.push_back(member);
    },
  };
}

// Logins: "tech" is user 10 of acme, "boss" user 90 of acme, "evil-boss"
// user 90 of evil.
actors::auth_actor::behavior_type auth_double(actors::auth_actor::pointer) {
  return {
    [](actors::login_atom, std::string&, std::string&, std::string&,
       std::string&, bool) {
      return result<std::string, std::string>(
        actors::make_error(actors::errc::unavailable, "unused"));
    },
    [](actors::authn_atom, const std::string& token)
      -> std::tuple<std::string, uint64_t, std::string, bool> {
      if (token == "tech")
        return {"acme", 10, "", false};
      if (token == "boss")
        return {"acme", 90, "", false};
      if (token == "evil-boss")
        return {"evil", 90, "", false};
      return {"", 0, "", false};
    },
    [](actors::logout_atom, std::string&) { return false; },
    [](actors::reset_request_atom, std::string&, std::string&) {
      return false;
    },
    [](actors::reset_confirm_atom, std::string&, std::string&) {
      return result<std::string>(
        actors::make_error(actors::errc::unavailable, "unused"));
    },
    [](actors::public_url_atom, std::string&) {},
    [](actors::gate_tick_atom) {},
  };
}

struct machine : test_coordinator_fixture<> {
  std::shared_ptr<world> w = std::make_shared<world>();
  cluster::directory_actor directory;
  actors::auth_actor auth;
  std::vector<actor> spawned;

  machine() {
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk",
                           [w = w](actor_system& s, const std::string& key) {
                             return s.spawn(desk_double, key.substr(5), w);
                           });
    dcfg.factories.emplace("session",
                           [w = w](actor_system& s, const std::string& key) {
                             return s.spawn(session_double, key, w);
                           });
    directory = sys.spawn(cluster::directory, dcfg);
    auth = sys.spawn(auth_double);
    sched.run();
  }

  ~machine() {
    for (auto& a : spawned)
      anon_send_exit(a, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    anon_send_exit(auth, exit_reason::user_shutdown);
    sched.run();
  }

  struct client {
    machine* m;
    std::shared_ptr<recording_outbox> out;
    connection_actor conn;
    int next = 1;
    /// Sends a message with an id; its answer (error, ack, ...).
    json ask(json msg) {
      auto id = next++;
      msg["id"] = id;
      m->self->send(conn, ws_text_atom::value, msg.dump());
      m->sched.run();
      for (auto& x : out->sent)
        if (x.contains("id") && x["id"] == id)
          return x;
      return json{};
    }
    std::string code(json msg) {
      auto answer = ask(std::move(msg));
      return answer.contains("error")
               ? answer["error"]["code"].get<std::string>()
               : answer.value("type", std::string{"?"});
    }
  };

  client open(std::string login = "") {
    connection_config cfg;
    auto out = std::make_shared<recording_outbox>();
    cfg.out = out;
    cfg.node_id = "n";
    cfg.version = "v";
    cfg.directory = directory;
    cfg.auth = auth;
    cfg.session_token = std::move(login);
    auto conn = sys.spawn(connection, cfg);
    spawned.push_back(actor_cast<actor>(conn));
    sched.run();
    return client{this, out, conn};
  }
};

json attach(const char* account, const char* request, const char* token) {
  return {{"type", "customer.attach"},
          {"account", account},
          {"request_id", request},
          {"token", token}};
}

const std::vector<json>& member_messages() {
  static const std::vector<json> all = {
    {{"type", "chat.resume"}, {"request_id", "1"}, {"after_seq", 0}},
    {{"type", "chat.send"},
     {"request_id", "1"},
     {"text", "hi"},
     {"client_id", "c"}},
    {{"type", "chat.typing"}, {"request_id", "1"}, {"typing", true}},
    {{"type", "screen.request"}, {"request_id", "1"}},
    {{"type", "screen.accept"}, {"request_id", "1"}},
  };
  return all;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(connection_state_machine, machine)

CAF_TEST(
  a connection that is nothing yet does only ping attach hello and monitor) {
  auto c = open();
  for (auto& m : member_messages()) {
    if (m["type"] == "chat.typing")
      continue; // no answer is expected to typing
    CAF_CHECK_EQUAL(c.code(m), "bad_state");
  }
  CAF_CHECK_EQUAL(c.code({{"type", "customer.cancel"}}), "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "customer.rate"}, {"rating", 5}}),
                  "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "request.accept"}, {"request_id", "1"}}),
                  "unknown_type");
  CAF_CHECK_EQUAL(c.code({{"type", "console.hello"}}), "unauthenticated");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "unauthenticated");
  CAF_CHECK_EQUAL(c.code({{"type", "ping"}}), "pong");
  CAF_CHECK(w->joins.empty());
}

CAF_TEST(a failed attach changes nothing) {
  auto c = open();
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "wrong")), "not_found");
  CAF_CHECK_EQUAL(c.code({{"type", "chat.resume"}, {"after_seq", 0}}),
                  "bad_state");
  // Names that are no account are refused before any lookup.
  for (auto bad : {"ACME", "a", "../acme", "acme/1"})
    CAF_CHECK_EQUAL(c.code(attach(bad, "1", "good")), "not_found");
  // Bytes that are not UTF-8 are not JSON: refused before anything else.
  self->send(c.conn, ws_text_atom::value,
             std::string{R"({"type":"customer.attach","id":99,"account":"ac)"} +
               "\xff" + R"(me","request_id":"1","token":"good"})");
  sched.run();
  CAF_CHECK_EQUAL(c.out->sent.back()["error"]["code"], "bad_json");
  CAF_CHECK_EQUAL(c.code(attach("acme", "1x", "good")), "not_found");
  CAF_CHECK_EQUAL(w->desk_attaches.size(), 1u);
  // It can still become a customer page.
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "good")), "request.state");
}

CAF_TEST(a customer page stays with its request and presents its token) {
  auto c = open();
  CAF_CHECK_EQUAL(c.code(attach("evil", "1", "evil-token")), "request.state");
  // The exact sequence of the cross-account hole: another account's attach
  // is refused and the next chat.resume is still about evil's request.
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "x")), "bad_state");
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "good")), "bad_state");
  CAF_CHECK_EQUAL(c.code(attach("evil", "2", "evil-token")), "bad_state");
  CAF_CHECK_EQUAL(w->desk_attaches.size(), 1u);
  CAF_CHECK_EQUAL(c.code({{"type", "chat.resume"}, {"after_seq", 0}}),
                  "chat.synced");
  CAF_REQUIRE_EQUAL(w->joins.size(), 1u);
  CAF_CHECK_EQUAL(w->joins[0].key, "session/evil/1");
  CAF_CHECK_EQUAL(w->joins[0].role, "customer");
  CAF_CHECK_EQUAL(w->joins[0].credential, "evil-token");
  // The member key stays inside the node.
  for (auto& x : c.out->sent)
    CAF_CHECK(!x.contains("member"));
  // A request_id in the message does not re-point a customer page.
  CAF_CHECK_EQUAL(c.code({{"type", "chat.send"},
                          {"request_id", "7"},
                          {"text", "x"},
                          {"client_id", "a"}}),
                  "chat.ack");
  CAF_REQUIRE_EQUAL(w->sent.size(), 1u);
  CAF_CHECK_EQUAL(w->sent[0], "m-session/evil/1");
  // Not a console, not an observer.
  c.out->sent.clear();
  CAF_CHECK_EQUAL(c.code({{"type", "console.hello"}}), "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "unauthenticated");
  CAF_CHECK_EQUAL(c.code({{"type", "request.accept"}, {"request_id", "1"}}),
                  "unknown_type");
  CAF_CHECK(w->desk_commands.empty());
  // The same attach again is fine (a page that sends it twice).
  CAF_CHECK_EQUAL(c.code(attach("evil", "1", "evil-token")), "request.state");
  CAF_CHECK_EQUAL(c.code({{"type", "customer.cancel"}}), "request.state");
}

CAF_TEST(broadcasts written while a resume is answered follow chat.synced) {
  auto c = open();
  CAF_CHECK_EQUAL(c.code(attach("evil", "1", "evil-token")), "request.state");
  c.out->sent.clear();
  CAF_CHECK_EQUAL(c.code({{"type", "chat.resume"}, {"after_seq", 0}}),
                  "chat.synced");
  CAF_REQUIRE_EQUAL(c.out->sent.size(), 2u);
  CAF_CHECK_EQUAL(c.out->sent[0].value("type", ""), "chat.synced");
  CAF_CHECK_EQUAL(c.out->sent[1].value("type", ""), "chat.line");
  CAF_CHECK_EQUAL(c.out->sent[1].value("seq", 0), 7);
  // The sink is open again: the session's later broadcasts go straight out.
  CAF_REQUIRE_EQUAL(c.out->shared.size(), 1u);
}

CAF_TEST(a console presents its login and names requests of its account) {
  auto c = open("tech");
  CAF_CHECK_EQUAL(c.code({{"type", "console.hello"}}), "console.state");
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "good")), "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "customer.cancel"}}), "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "chat.send"},
                          {"request_id", "1"},
                          {"text", "x"},
                          {"client_id", "a"}}),
                  "chat.ack");
  CAF_CHECK_EQUAL(c.code({{"type", "chat.send"},
                          {"request_id", "1"},
                          {"text", "y"},
                          {"client_id", "b"}}),
                  "chat.ack");
  // One membership, asked for once, with the login.
  CAF_REQUIRE_EQUAL(w->joins.size(), 1u);
  CAF_CHECK_EQUAL(w->joins[0].key, "session/acme/1");
  CAF_CHECK_EQUAL(w->joins[0].role, "technician");
  CAF_CHECK_EQUAL(w->joins[0].credential, "tech");
  CAF_CHECK(!w->joins[0].live);
  CAF_CHECK_EQUAL(
    c.code({{"type", "chat.resume"}, {"request_id", "1"}, {"after_seq", 0}}),
    "chat.synced");
  CAF_CHECK(w->joins.back().live);
  CAF_CHECK_EQUAL(
    c.code({{"type", "chat.send"}, {"request_id", "x"}, {"text", "x"}}),
    "bad_field");
  CAF_CHECK_EQUAL(c.code({{"type", "request.accept"}, {"request_id", "1"}}),
                  "ack");
  CAF_REQUIRE_EQUAL(w->desk_commands.size(), 1u);
  CAF_CHECK_EQUAL(w->desk_commands[0], "acme: request.accept");
}

CAF_TEST(a technician without a console or another user is refused) {
  auto nobody = open("nologin");
  CAF_CHECK_EQUAL(nobody.code({{"type", "console.hello"}}), "unauthenticated");
  CAF_CHECK_EQUAL(nobody.code({{"type", "chat.resume"}, {"request_id", "1"}}),
                  "bad_state");
  auto manager = open("boss");
  CAF_CHECK_EQUAL(manager.code({{"type", "console.hello"}}), "forbidden");
  CAF_CHECK_EQUAL(manager.code({{"type", "chat.resume"}, {"request_id", "1"}}),
                  "bad_state");
}

CAF_TEST(an observer watches with its login and writes nothing) {
  auto c = open("boss");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "2"}}),
                  "not_found");
  CAF_CHECK(w->joins.empty());
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "chat.synced");
  CAF_REQUIRE_EQUAL(w->joins.size(), 1u);
  CAF_CHECK_EQUAL(w->joins[0].role, "observer");
  CAF_CHECK_EQUAL(w->joins[0].credential, "boss");
  for (auto& m : member_messages()) {
    if (m["type"] == "chat.typing")
      continue;
    CAF_CHECK_EQUAL(c.code(m), "bad_state");
  }
  CAF_CHECK_EQUAL(c.code({{"type", "console.hello"}}), "bad_state");
  CAF_CHECK_EQUAL(c.code(attach("acme", "1", "good")), "bad_state");
  CAF_CHECK_EQUAL(c.code({{"type", "request.accept"}, {"request_id", "1"}}),
                  "unknown_type");
  CAF_CHECK(w->desk_commands.empty());
  CAF_CHECK(w->sent.empty());
}

CAF_TEST(an observer who may no longer watch stops at the next login check) {
  auto c = open("boss");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "chat.synced");
  w->may_watch = false; // e.g. moved off the team
  sched.trigger_timeouts();
  sched.run();
  bool revoked = false;
  for (auto& x : c.out->sent)
    revoked |= x["type"] == "chat.revoked" && x["request_id"] == "1";
  CAF_CHECK(revoked);
  CAF_REQUIRE_EQUAL(w->left.size(), 1u);
  CAF_CHECK_EQUAL(w->left[0], "m-session/acme/1");
  CAF_CHECK(c.out->closed.empty());
}

CAF_TEST(an observer of another account reaches only its own account) {
  auto c = open("evil-boss");
  CAF_CHECK_EQUAL(c.code({{"type", "monitor.attach"}, {"request_id", "1"}}),
                  "not_found");
  CAF_CHECK(w->joins.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
