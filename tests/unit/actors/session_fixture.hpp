#pragma once
// The stores, fake desk, account (its audit log) and auth service, and helpers
// the session actor's test suites share.

#include "actors/session/session.hpp"

#include <caf/test/dsl.hpp>

#include "actors/errc.hpp"
#include "actors/identity/credentials.hpp"
#include "actors/intake/desk.hpp"
#include "actors/org/account.hpp"
#include "actors/session/session_lines.hpp"
#include "fake_auth.hpp"
#include "gateways/error_table.hpp"
#include "gateways/session_events.hpp"
#include "slow_disk.hpp"
#include "stuck_writer.hpp"
#include "temp_environment.hpp"

namespace openassist::actors::session_test {

using test_doubles::fake_auth;

using namespace caf;
using json = nlohmann::json;

constexpr const char* customer_token = "cust-token";

// The desk as a session sees it: request 5 is active with technician 10;
// technicians 10-12 see it, user 90 is a manager who may watch it.
/// What the desk tells the session of request 5: `status`, technician 10
/// (or `tech`, named `name`) and the customer's token; a system line with
/// `code` and `params`.
inline session_news news(std::string status, uint64_t tech = 10,
                         std::string name = "Anna Berger",
                         std::string code = "",
                         std::map<std::string, std::string> params = {}) {
  session_news n;
  n.status = std::move(status);
  n.technician_id = tech;
  n.technician_name = std::move(name);
  n.customer_name = "Maria";
  n.token_digest = token_digest(customer_token);
  n.system_code = std::move(code);
  n.system_params = std::move(params);
  return n;
}

inline behavior fake_desk(event_based_actor*) {
  return {
    [](desk_request_atom, uint64_t) { return news("active"); },
    [](desk_can_read_atom, uint64_t user,
       const std::string& id) -> result<std::string> {
      if (id == "5" && user >= 10 && user <= 12)
        return std::string{"{}"};
      return make_error(errc::not_found, "no");
    },
    [](desk_monitor_atom, uint64_t user,
       const std::string& id) -> result<std::string> {
      if (id == "5" && user == 90)
        return std::string{"{}"};
      return make_error(errc::forbidden, "no");
    },
  };
}

inline storage::persistence_actor::behavior_type
failing_writer(storage::persistence_actor::pointer) {
  return {
    [](storage::write_atom,
       storage::write_batch&) -> result<storage::write_receipt> {
      return storage::make_error(storage::storage_errc::io_error, "disk gone");
    },
    [](storage::flush_atom) {},
    [](storage::sync_atom) -> uint64_t { return 0; },
    [](storage::unfence_atom, const std::string&, uint64_t) {},
    [](storage::fence_atom, const std::string&) {
      return storage::fence_receipt{};
    },
  };
}

struct inbox {
  std::vector<json> messages;
  std::vector<std::string> frames; ///< screen frames, as tagged
  std::vector<json> lines() const {
    std::vector<json> out;
    for (auto& m : messages)
      if (m["type"] == "chat.line")
        out.push_back(m["line"]);
    return out;
  }
  size_t count(const std::string& type) const {
    size_t n = 0;
    for (auto& m : messages)
      n += m["type"] == type;
    return n;
  }
};

inline behavior recorder(event_based_actor*, std::shared_ptr<inbox> box) {
  return {
    [box](desk_push_atom, const std::string& text) {
      box->messages.push_back(json::parse(text));
    },
    [box](desk_push_atom, const shared_text& text) {
      box->messages.push_back(json::parse(text.str()));
    },
    [box](screen_frame_atom, const std::string& tagged) {
      box->frames.push_back(tagged);
    },
  };
}

/// The audit entries sessions asked the account to keep (`session.audit`),
/// each its arguments with the caller as `user`.
using audit_log = std::vector<json>;

inline behavior fake_account(event_based_actor*,
                             std::shared_ptr<audit_log> log) {
  return {
    [log](account_op_atom, uint64_t caller, const std::string& op,
          const std::string& args) -> result<bool, std::string> {
      if (op != "session.audit")
        return make_error(errc::not_found, "no");
      auto entry = json::parse(args);
      entry["user"] = caller;
      log->push_back(std::move(entry));
      return {false, std::string{}};
    },
  };
}

// A member's socket as a connection on this node gives it to the session.
struct recording_sink : member_sink {
  std::vector<json> written;
  std::vector<std::string> frames;
  bool behind = false; ///< the viewer's socket has too much waiting
  void write(std::shared_ptr<const std::string> text) override {
    written.push_back(json::parse(*text));
  }
  bool write_frame(std::shared_ptr<const std::string> tagged) override {
    if (behind)
      return false;
    frames.push_back(*tagged);
    return true;
  }
};

/// A connection as the session sees it: its actor, what it received, and
/// the member key the session gave it.
struct member_conn {
  actor conn;
  std::shared_ptr<inbox> box;
  std::string key;
};

struct fixture : test_coordinator_fixture<>, slow_disk {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  auth_actor auth;
  std::vector<actor> conns;
  std::shared_ptr<audit_log> audits = std::make_shared<audit_log>();

  fixture() {
    env = open_temp_environment(dir);
    writer = sys.spawn(storage::persistence, writer_config(env));
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk", [](actor_system& s, const std::string&) {
      return s.spawn(fake_desk);
    });
    dcfg.factories.emplace("account",
                           [log = audits](actor_system& s, const std::string&) {
                             return s.spawn(fake_account, log);
                           });
    directory = sys.spawn(cluster::directory, dcfg);
    auth = sys.spawn(fake_auth);
    sched.run();
  }

  ~fixture() {
    for (auto& c : conns)
      anon_send_exit(c, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    anon_send_exit(auth, exit_reason::user_shutdown);
    sched.run();
  }

  size_t stored_lines(const std::string& text) {
    size_t n = 0;
    for (uint64_t seq = 1; seq < 50; ++seq) {
      auto v = env->get(storage::table::chat, chat_key("acme", 5, seq));
      if (v && *v && json::parse(**v)["text"] == text)
        ++n;
    }
    return n;
  }

  actor
  spawn_session(storage::persistence_actor w,
                std::chrono::milliseconds idle = std::chrono::seconds(60)) {
    session_config cfg;
    cfg.account = "acme";
    cfg.request = 5;
    cfg.env = env;
    cfg.persistence = w;
    cfg.directory = directory;
    cfg.auth = auth;
    cfg.idle_after = idle;
    cfg.now_ms = [] { return int64_t{1'764'000'000'000}; };
    auto s = sys.spawn(session_actor, cfg);
    sched.run();
    return s;
  }

  /// An answer as a client reads it: 200 and the event the gateway makes of
  /// the session's value, or the status and error body of the gateways'
  /// error table (a refusal; any other error fails the test).
  std::pair<unsigned, std::string> refusal(const error& err) {
    if (code_of(err) == 0 && !storage::definite_refusal(err))
      CAF_FAIL(sys.render(err));
    auto a = gateways::describe(err);
    return {a.status,
            json{{"error", {{"code", a.code}, {"message", a.message}}}}.dump()};
  }

  std::pair<unsigned, std::string> call(actor s, message msg) {
    std::pair<unsigned, std::string> out{0, ""};
    auto fail = [&](error& err) { out = refusal(err); };
    auto ok = [&](json event) { out = {200u, event.dump()}; };
    const std::string rid = "5";
    if (msg.match_element<session_subscribe_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive(
        [&](session_joined& x) {
          auto event =
            x.live ? gateways::synced_event(rid, x) : json{{"type", "member"}};
          event["member"] = x.member;
          ok(event);
        },
        fail);
    } else if (msg.match_element<session_send_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive([&](chat_ack& x) { ok(gateways::ack_event(rid, x)); }, fail);
    } else if (msg.match_element<session_screen_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive([&](screen_ack& x) { ok(gateways::screen_ack_event(rid, x)); },
                 fail);
    } else if (msg.match_element<session_control_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive(
        [&](control_ack& x) {
          ok(json{{"type", "ack"},
                  {"request_id", rid},
                  {"action", x.action},
                  {"controlling", x.controlling}});
        },
        fail);
    } else if (msg.match_element<session_input_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive(
        [&](uint64_t relayed) {
          ok(json{{"type", "ack"}, {"request_id", rid}, {"relayed", relayed}});
        },
        fail);
    } else if (msg.match_element<session_diag_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive(
        [&](bool) {
          ok(json{{"type", "ack"}, {"request_id", rid}});
        },
        fail);
    } else if (msg.match_element<session_transcript_atom>(0)) {
      auto rh = self->request(s, infinite, std::move(msg));
      sched.run();
      rh.receive([&](std::string& text) { out = {200u, text}; }, fail);
    } else {
      CAF_FAIL("call: no answer type for " << to_string(msg));
    }
    return out;
  }

  /// Asks the session to take a new connection as `role` with `credential`.
  /// With `sink`, the connection is on this node and gives its socket.
  std::pair<unsigned, member_conn> join(actor s, const char* role,
                                        std::string credential,
                                        bool live = true, uint64_t after = 0,
                                        member_sink_ptr sink = nullptr) {
    member_conn m{nullptr, std::make_shared<inbox>(), ""};
    m.conn = sys.spawn(recorder, m.box);
    conns.push_back(m.conn);
    auto msg = sink ? make_message(session_subscribe_atom::value, m.conn,
                                   std::string{role}, credential, live, after,
                                   std::move(sink))
                    : make_message(session_subscribe_atom::value, m.conn,
                                   std::string{role}, credential, live, after);
    auto [status, body] = call(s, std::move(msg));
    if (status == 200)
      m.key = json::parse(body)["member"].get<std::string>();
    return {status, m};
  }

  member_conn customer(actor s, uint64_t after = 0) {
    auto [status, m] = join(s, member_customer, customer_token, true, after);
    CAF_REQUIRE_EQUAL(status, 200u);
    return m;
  }

  member_conn technician(actor s, uint64_t user) {
    auto [status, m] =
      join(s, member_technician, "acme-" + std::to_string(user));
    CAF_REQUIRE_EQUAL(status, 200u);
    return m;
  }

  /// Technician 10's console on this node, subscribed live with its socket
  /// `sink` (broadcasts and frames go there, docs/design/broadcast.md).
  member_conn technician_with_sink(actor s, member_sink_ptr sink) {
    member_conn tech{nullptr, std::make_shared<inbox>(), ""};
    tech.conn = sys.spawn(recorder, tech.box);
    conns.push_back(tech.conn);
    auto [status, body] = call(
      s, make_message(session_subscribe_atom::value, tech.conn,
                      std::string{member_technician}, std::string{"acme-10"},
                      true, uint64_t{0}, std::move(sink)));
    CAF_REQUIRE_EQUAL(status, 200u);
    tech.key = json::parse(body)["member"].get<std::string>();
    sched.run();
    return tech;
  }

  /// The stored lines, in order.
  std::vector<json> stored() {
    std::vector<json> out;
    for (uint64_t seq = 1; seq < 50; ++seq) {
      auto v = env->get(storage::table::chat, chat_key("acme", 5, seq));
      if (v && *v)
        out.push_back(json::parse(**v));
    }
    return out;
  }

  /// The `session.presence` messages a member received, oldest first.
  static std::vector<json> presence(const member_conn& m) {
    std::vector<json> out;
    for (auto& msg : m.box->messages)
      if (msg["type"] == "session.presence")
        out.push_back(msg);
    return out;
  }

  /// Where the last `session.presence` a member received says the customer is.
  static std::string where(const member_conn& m) {
    auto all = presence(m);
    return all.empty() ? std::string{}
                       : all.back()["customer"].get<std::string>();
  }

  std::pair<unsigned, json> screen(actor s, const member_conn& who,
                                   std::string action) {
    auto [status, body] =
      call(s, make_message(session_screen_atom::value, who.key, action));
    return {status, json::parse(body)};
  }

  std::pair<unsigned, json> send(actor s, const member_conn& who,
                                 std::string text, bool priv = false,
                                 std::string client_id = "") {
    auto [status, body] = call(s, make_message(session_send_atom::value,
                                               who.key, text, client_id, priv));
    return {status, json::parse(body)};
  }
};

} // namespace openassist::actors::session_test
