// WebSocket messages of every role against the real connection actor, in
// front of stub desks, sessions, a directory and an auth service that
// answer at once (deterministic scheduler).
//
// Input: the first byte picks the connection's login (none, a technician, a
// manager of the same account, a manager of another account); then one
// message per line (text frames), and a line starting with 0x01 is a binary
// frame.
//
// Fails when an exception escapes the actor, when the connection sends the
// client anything but JSON objects, or when a session is asked to take a
// member whose credential the server never accepted for that session's
// account and request: a customer page's token that its desk did not accept
// for exactly that account and request, or a login other than the
// connection's own (the cross-account hole of issue 9).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/auth.hpp"
#include "actors/intake/desk.hpp"
#include "actors/session/session.hpp"
#include "cluster/directory.hpp"
#include "gateways/connection.hpp"
#include "gateways/http_types.hpp"

using namespace openassist;
using json = nlohmann::json;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_ws: %s: %.*s\n", what,
               static_cast<int>(detail.size()), detail.data());
  __builtin_trap();
}

// What the connection hands the desk must be UTF-8 (it was read from a
// WebSocket text message, which the gateway checked).
void require_utf8(const std::string& text, const char* what) {
  if (!gateways::valid_utf8(text))
    fail("not UTF-8", what);
}

/// What the stubs saw for one input.
struct world {
  std::set<std::string> accepted; ///< "account/request/token" attaches
  std::string login;              ///< the connection's login token
  std::vector<caf::actor> stubs;  ///< desks and sessions spawned for it
};
world* current = nullptr;

using reply = caf::result<std::string>;

reply ok(const json& j) {
  return j.dump();
}

reply refused() {
  return actors::make_error(actors::errc::not_found, "no");
}

// Desks of accounts "acme" and "evil": requests 1 and 2 open with the tokens
// "t1" and "t2"; user 10 is a technician, user 90 a manager.
caf::behavior desk_stub(caf::event_based_actor*, std::string account) {
  return {
    [=](actors::desk_attach_atom, const std::string& id,
        const std::string& token, const caf::actor&) -> reply {
      if ((id == "1" && token == "t1") || (id == "2" && token == "t2")) {
        current->accepted.insert(account + "/" + id + "/" + token);
        return ok({{"type", "request.state"}});
      }
      return refused();
    },
    [](actors::desk_console_atom, uint64_t user, const caf::actor&) -> reply {
      return user == 10 ? ok({{"type", "console.state"}}) : refused();
    },
    [](actors::desk_monitor_atom, uint64_t user, const std::string&) -> reply {
      return user == 90 ? ok(json::object()) : refused();
    },
    [](actors::desk_cancel_atom, const std::string&,
       const std::string&) -> reply { return ok(json::object()); },
    [](actors::desk_rate_atom, const std::string&, const std::string&,
       const actors::customer_rating& r) -> reply {
      require_utf8(r.comment, "a rating's comment");
      return ok(json::object());
    },
    [](actors::desk_choice_atom, const std::string&, const std::string&,
       const actors::customer_choice& c) -> reply {
      require_utf8(c.type, "a choice");
      require_utf8(c.email, "a choice's e-mail");
      return ok(json::object());
    },
    [](actors::desk_command_atom, uint64_t,
       const actors::console_command& c) -> reply {
      require_utf8(c.status, "a status");
      require_utf8(c.note, "a transfer note");
      return ok(json::object());
    },
    [](actors::desk_user_atom, uint64_t user) -> reply {
      return ok({{"role", user == 10 ? "technician" : "company_manager"}});
    },
  };
}

caf::behavior session_stub(caf::event_based_actor*, std::string key) {
  return {
    [=](actors::session_subscribe_atom, const caf::actor&,
        const std::string& role, const std::string& credential, bool live,
        uint64_t, const actors::member_sink_ptr&) -> actors::session_joined {
      // key: session/<account>/<request>
      auto rest = key.substr(8);
      if (role == actors::member_customer) {
        if (!current->accepted.count(rest + "/" + credential))
          fail("a session was offered a customer the desk never accepted",
               key + " " + credential);
      } else if (credential != current->login) {
        fail("a session was offered someone else's login",
             key + " " + credential);
      }
      return {"m", live, 0};
    },
    [](actors::session_send_atom, const std::string&, const std::string&,
       const std::string& client_id, bool) -> actors::chat_ack {
      return {1, client_id};
    },
    [](actors::session_typing_atom, const std::string&, bool) {},
    [](actors::session_screen_atom, const std::string&,
       const std::string& action) -> actors::screen_ack {
      return {action, action == "accept"};
    },
    [](actors::session_frame_atom, const std::string&, const std::string&) {},
    [](actors::session_leave_atom, const std::string&) {},
  };
}

cluster::directory_actor::behavior_type
directory_stub(cluster::directory_actor::pointer self) {
  return {
    [self](cluster::lookup_atom,
           const std::string& key) -> caf::result<caf::actor> {
      caf::actor stub;
      if (key == "desk/acme" || key == "desk/evil")
        stub = self->system().spawn(desk_stub, key.substr(5));
      else if (key.rfind("session/", 0) == 0)
        stub = self->system().spawn(session_stub, key);
      else
        return caf::make_error(caf::sec::request_receiver_down);
      current->stubs.push_back(stub);
      return stub;
    },
    [](cluster::count_atom) { return uint64_t{0}; },
  };
}

actors::auth_actor::behavior_type auth_stub(actors::auth_actor::pointer) {
  return {
    [](actors::login_atom, std::string&, std::string&, std::string&,
       std::string&, bool) {
      return caf::result<std::string, std::string>(
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
    [](actors::reset_confirm_atom, std::string&,
       std::string&) -> caf::result<std::string> {
      return actors::make_error(actors::errc::unavailable, "unused");
    },
    [](actors::public_url_atom, std::string&) {},
    [](actors::gate_tick_atom) {},
  };
}

// Checks everything the connection sends its client.
struct checking_outbox : gateways::ws_outbox {
  void send_text(std::string message) override {
    auto doc = json::parse(message, nullptr, false);
    if (!doc.is_object())
      fail("the client got something that is not a JSON object", message);
  }
  void send_binary(std::string) override {}
  void close(uint16_t, std::string) override {}
};

struct harness {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  cluster::directory_actor directory;
  actors::auth_actor auth;

  harness() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    cfg.set("logger.console-verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    directory = sys->spawn(directory_stub);
    auth = sys->spawn(auth_stub);
    run();
  }

  void run() {
    try {
      sched->run();
    } catch (const std::exception& e) {
      fail("an exception escaped an actor", e.what());
    }
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Never destroyed: tearing down a testing actor system at exit races with
  // the process's own static destructors; the process ends anyway.
  static harness& h = *new harness;
  if (size == 0)
    return 0;
  static const char* logins[] = {"", "tech", "boss", "evil-boss"};
  world w;
  w.login = logins[data[0] % 4];
  current = &w;
  gateways::connection_config cfg;
  cfg.out = std::make_shared<checking_outbox>();
  cfg.node_id = "fuzz";
  cfg.version = "0";
  cfg.remote_address = "192.0.2.1";
  cfg.directory = h.directory;
  cfg.auth = h.auth;
  cfg.session_token = w.login;
  auto conn = h.sys->spawn(gateways::connection, cfg);
  h.run();
  std::string_view input{reinterpret_cast<const char*>(data) + 1, size - 1};
  while (!input.empty()) {
    auto nl = input.find('\n');
    auto line = input.substr(0, nl);
    input =
      nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    if (!line.empty() && line.front() == '\x01')
      caf::anon_send(conn, gateways::ws_binary_atom::value,
                     std::string{line.substr(1)});
    else
      caf::anon_send(conn, gateways::ws_text_atom::value, std::string{line});
    h.run();
  }
  caf::anon_send(conn, gateways::ws_closed_atom::value);
  h.run();
  // Delayed login checks and stubs spawned for this input end with it.
  h.sched->trigger_timeouts();
  h.run();
  for (auto& stub : w.stubs)
    caf::anon_send_exit(stub, caf::exit_reason::user_shutdown);
  h.run();
  current = nullptr;
  return 0;
}
