#define CAF_SUITE actors.session

#include "actors/session.hpp"

#include <caf/test/dsl.hpp>

#include "actors/credentials.hpp"
#include "actors/desk.hpp"
#include "actors/session_lines.hpp"
#include "slow_disk.hpp"
#include "stuck_writer.hpp"
#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

constexpr const char* customer_token = "cust-token";

// The desk as a session sees it: request 5 is active with technician 10;
// technicians 10-12 see it, user 90 is a manager who may watch it.
behavior fake_desk(event_based_actor*) {
  return {
    [](desk_request_atom, uint64_t) -> std::tuple<unsigned, std::string> {
      return {200u, json{{"status", "active"},
                         {"technician_id", 10},
                         {"technician_name", "Anna Berger"},
                         {"customer_name", "Maria"},
                         {"token_digest", token_digest(customer_token)}}
                      .dump()};
    },
    [](desk_can_read_atom, uint64_t user,
       const std::string& id) -> std::tuple<unsigned, std::string> {
      if (id == "5" && user >= 10 && user <= 12)
        return {200u, "{}"};
      return {404u, R"({"error":{"code":"not_found","message":"no"}})"};
    },
    [](desk_monitor_atom, uint64_t user,
       const std::string& id) -> std::tuple<unsigned, std::string> {
      if (id == "5" && user == 90)
        return {200u, "{}"};
      return {403u, R"({"error":{"code":"forbidden","message":"no"}})"};
    },
  };
}

// Logins: "acme-<user>" is user <user> of account acme, "evil-<user>" of
// account evil; anything else is no login.
auth_actor::behavior_type fake_auth(auth_actor::pointer) {
  auto unused = [] {
    return std::tuple<unsigned, std::string, std::string>{500u, "", ""};
  };
  return {
    [=](login_atom, std::string&, std::string&, std::string&, std::string&,
        bool) { return unused(); },
    [](authn_atom, const std::string& token)
      -> std::tuple<std::string, uint64_t, std::string, bool> {
      auto dash = token.find('-');
      if (dash == std::string::npos)
        return {"", 0, "", false};
      return {token.substr(0, dash), std::stoull(token.substr(dash + 1)),
              "csrf", false};
    },
    [](logout_atom, std::string&) { return false; },
    [](reset_request_atom, std::string&, std::string&) { return false; },
    [=](reset_confirm_atom, std::string&, std::string&) {
      return std::tuple<unsigned, std::string>{500u, ""};
    },
    [](public_url_atom, std::string&) {},
    [](gate_tick_atom) {},
  };
}

storage::persistence_actor::behavior_type
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

behavior recorder(event_based_actor*, std::shared_ptr<inbox> box) {
  return {
    [box](desk_push_atom, const std::string& text) {
      box->messages.push_back(json::parse(text));
    },
    [](screen_frame_atom, const std::string&) {},
  };
}

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

  fixture() {
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *storage::environment::open(opts);
    writer = sys.spawn(storage::persistence, writer_config(env));
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk", [](actor_system& s, const std::string&) {
      return s.spawn(fake_desk);
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

  std::pair<unsigned, std::string> call(actor s, message msg) {
    std::pair<unsigned, std::string> out{0, ""};
    auto rh = self->request(s, infinite, std::move(msg));
    sched.run();
    rh.receive(
      [&](unsigned status, std::string& body) {
        out = {status, body};
      },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  /// Asks the session to take a new connection as `role` with `credential`.
  std::pair<unsigned, member_conn> join(actor s, const char* role,
                                        std::string credential,
                                        bool live = true, uint64_t after = 0) {
    member_conn m{nullptr, std::make_shared<inbox>(), ""};
    m.conn = sys.spawn(recorder, m.box);
    conns.push_back(m.conn);
    auto [status, body] =
      call(s, make_message(session_subscribe_atom::value, m.conn,
                           std::string{role}, credential, live, after));
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

} // namespace

CAF_TEST_FIXTURE_SCOPE(session_actor_tests, fixture)

CAF_TEST(lines are numbered stored and pushed to who may see them) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto [s1, ack1] = send(s, cust, "hello");
  CAF_REQUIRE_EQUAL(s1, 200u);
  auto seq1 = ack1["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq1, 1u);
  auto [s2, ack2] = send(s, tech, "note to self", true);
  CAF_CHECK_EQUAL(s2, 200u);
  auto [s3, ack3] = send(s, tech, "hi Maria");
  CAF_CHECK_EQUAL(s3, 200u);
  sched.run();
  CAF_CHECK_EQUAL(tech.box->lines().size(), 3u);
  auto seen = cust.box->lines();
  CAF_REQUIRE_EQUAL(seen.size(), 2u);
  auto first = seen[0]["name"].get<std::string>();
  auto second = seen[1]["name"].get<std::string>();
  CAF_CHECK_EQUAL(first, "Maria");
  CAF_CHECK_EQUAL(second, "Anna Berger");
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 2));
  CAF_REQUIRE(stored && *stored);
  // Only the technician who has it may write; nobody may send nothing.
  auto reader = technician(s, 11);
  auto [s4, wrong] = send(s, reader, "me too");
  CAF_CHECK_EQUAL(s4, 403u);
  auto [s5, empty] = send(s, cust, "  \n");
  CAF_CHECK_EQUAL(s5, 400u);
  // A technician who only reads gets the lines, not the private note.
  sched.run();
  CAF_CHECK_EQUAL(reader.box->lines().size(), 2u);
  // Resume after 1: exactly the later lines the member may see.
  auto late = customer(s, 1);
  sched.run();
  auto resumed = late.box->lines();
  CAF_REQUIRE_EQUAL(resumed.size(), 1u);
  auto seq3 = resumed[0]["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq3, 3u);
  // The customer's transcript leaves the note out.
  auto [s7, text] =
    call(s, make_message(session_transcript_atom::value, false));
  CAF_CHECK_EQUAL(s7, 200u);
  CAF_CHECK(text.find("note to self") == std::string::npos);
  CAF_CHECK(text.find("] Maria: hello\n") != std::string::npos);
  auto [s8, full] = call(s, make_message(session_transcript_atom::value, true));
  CAF_CHECK(full.find("Anna Berger (private note): note to self") !=
            std::string::npos);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the session checks who joins it itself) {
  auto s = spawn_session(writer);
  // Wrong or missing customer tokens, logins of another account, people who
  // may not read, unknown roles: all refused the same way.
  CAF_CHECK_EQUAL(join(s, member_customer, "wrong-token").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_customer, "").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "evil-10").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "nologin").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "acme-13").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_observer, "acme-10").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_observer, "evil-90").first, 404u);
  CAF_CHECK_EQUAL(join(s, "admin", "acme-90").first, 400u);
  // Messages with no or a made-up member key do nothing.
  member_conn stranger{nullptr, nullptr, "made-up"};
  CAF_CHECK_EQUAL(send(s, stranger, "hi").first, 403u);
  auto [screen, refused] =
    call(s, make_message(session_screen_atom::value, std::string{"made-up"},
                         std::string{"accept"}));
  CAF_CHECK_EQUAL(screen, 403u);
  // An observer reads private notes and cannot write.
  auto tech = technician(s, 10);
  send(s, tech, "psst", true);
  auto [ok, watcher] = join(s, member_observer, "acme-90");
  CAF_REQUIRE_EQUAL(ok, 200u);
  sched.run();
  CAF_CHECK_EQUAL(watcher.box->lines().size(), 1u);
  CAF_CHECK_EQUAL(send(s, watcher, "boo").first, 403u);
  // Joining without `live` makes a member that receives nothing.
  auto [quiet_status, quiet] = join(s, member_customer, customer_token, false);
  CAF_CHECK_EQUAL(quiet_status, 200u);
  CAF_CHECK_EQUAL(send(s, quiet, "hello").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(quiet.box->messages.size(), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a technician who leaves the session stops listening at once) {
  auto s = spawn_session(writer);
  auto anna = technician(s, 10);
  auto cust = customer(s);
  // Handed over to Carla (12): Anna gets chat.revoked and nothing more.
  anon_send(s, session_update_atom::value,
            json{{"status", "active"},
                 {"technician_id", 12},
                 {"technician_name", "Carla Diaz"},
                 {"system", ""}}
              .dump());
  sched.run();
  CAF_CHECK_EQUAL(anna.box->count("chat.revoked"), 1u);
  auto carla = technician(s, 12);
  send(s, carla, "for technicians", true);
  send(s, cust, "hello Carla");
  sched.run();
  CAF_CHECK_EQUAL(anna.box->lines().size(), 0u);
  CAF_CHECK_EQUAL(send(s, anna, "still here?").first, 403u);
  // Anna may read again as a technician who sees the request: no notes.
  auto again = technician(s, 10);
  sched.run();
  CAF_CHECK_EQUAL(again.box->lines().size(), 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a retried line is stored once) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto [a, first] = send(s, cust, "once", false, "c-1");
  auto [b, again] = send(s, cust, "once", false, "c-1");
  CAF_CHECK_EQUAL(a, 200u);
  CAF_CHECK_EQUAL(b, 200u);
  CAF_CHECK_EQUAL(first["seq"], again["seq"]);
  // The same client id of another member is another line.
  auto [c, other] = send(s, tech, "mine", false, "c-1");
  CAF_CHECK_EQUAL(c, 200u);
  CAF_CHECK_NOT_EQUAL(other["seq"], first["seq"]);
  // Two sends before the first is stored: one line, the same answer.
  auto r1 = self->request(s, infinite, session_send_atom::value, cust.key,
                          std::string{"fast"}, std::string{"c-2"}, false);
  auto r2 = self->request(s, infinite, session_send_atom::value, cust.key,
                          std::string{"fast"}, std::string{"c-2"}, false);
  sched.run();
  uint64_t seq1 = 0, seq2 = 0;
  r1.receive(
    [&](unsigned, std::string& body) { seq1 = json::parse(body)["seq"]; },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  r2.receive(
    [&](unsigned, std::string& body) { seq2 = json::parse(body)["seq"]; },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(seq1, seq2);
  sched.run();
  size_t fast = 0;
  for (auto& l : tech.box->lines())
    fast += l["text"] == "fast";
  CAF_CHECK_EQUAL(fast, 1u);
  CAF_CHECK(!tech.box->lines()[0].contains("cid"));
  // After a restart the stored client ids are known again.
  anon_send_exit(s, exit_reason::user_shutdown);
  sched.run();
  auto s2 = spawn_session(writer);
  auto cust2 = customer(s2);
  auto [d, after_restart] = send(s2, cust2, "once", false, "c-1");
  CAF_CHECK_EQUAL(d, 200u);
  CAF_CHECK_EQUAL(after_restart["seq"], first["seq"]);
  anon_send_exit(s2, exit_reason::user_shutdown);
}

CAF_TEST(a session that is over and idle stops) {
  auto s = spawn_session(writer, std::chrono::seconds(5));
  auto cust = customer(s);
  CAF_CHECK_EQUAL(
    call(s, make_message(session_send_atom::value, cust.key, std::string{"bye"},
                         std::string{"c1"}, false))
      .first,
    200u);
  anon_send(s, session_update_atom::value, json{{"status", "closed"}}.dump());
  sched.run();
  // A member keeps it alive.
  sched.advance_time(std::chrono::seconds(6));
  sched.run();
  CAF_CHECK_EQUAL(
    call(s, make_message(session_transcript_atom::value, false)).first, 200u);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  auto watcher = sys.spawn(
    [](event_based_actor* me, actor target) -> behavior {
      me->monitor(target);
      return {[](int) {}};
    },
    s);
  sched.run();
  sched.advance_time(std::chrono::seconds(6));
  sched.run();
  // The session is gone: a request to it fails.
  auto rh = self->request(s, infinite, session_transcript_atom::value, false);
  sched.run();
  bool gone = false;
  rh.receive([&](unsigned, std::string&) {}, [&](error&) { gone = true; });
  CAF_CHECK(gone);
  anon_send_exit(watcher, exit_reason::user_shutdown);
  // It ended with nothing in flight, so the writer forgot its epoch: a new
  // fence finds no earlier epoch (it would answer its last batch otherwise).
  auto f = self->request(writer, infinite, storage::fence_atom::value,
                         std::string{"session/acme/5"});
  sched.run();
  f.receive(
    [](const storage::fence_receipt& r) { CAF_CHECK_EQUAL(r.committed, 0u); },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
}

CAF_TEST(a new session goes on numbering from storage and shows desk news) {
  {
    auto s = spawn_session(writer);
    auto cust = customer(s);
    send(s, cust, "one");
    send(s, cust, "two");
    anon_send_exit(s, exit_reason::user_shutdown);
    sched.run();
  }
  auto s = spawn_session(writer);
  anon_send(s, session_update_atom::value,
            json{{"status", "active"},
                 {"technician_id", 12},
                 {"technician_name", "Carla Diaz"},
                 {"system_code", "handed_over"},
                 {"system_params", {{"name", "Carla Diaz"}}}}
              .dump());
  sched.run();
  auto carla = technician(s, 12);
  auto [status, ack] = send(s, carla, "Carla here");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto seq = ack["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq, 4u);
  anon_send(s, session_update_atom::value, json{{"status", "closed"}}.dump());
  sched.run();
  auto cust = customer(s);
  auto [closed, err] = send(s, cust, "hello?");
  CAF_CHECK_EQUAL(closed, 409u);
  auto code = err["error"]["code"].get<std::string>();
  CAF_CHECK_EQUAL(code, "chat_not_open");
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a line that cannot be stored is refused and the session restarts) {
  auto bad = sys.spawn(failing_writer);
  auto s = spawn_session(bad);
  auto cust = customer(s);
  auto [status, body] = send(s, cust, "lost?");
  CAF_CHECK_EQUAL(status, 503u);
  sched.run();
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 1));
  CAF_REQUIRE(stored);
  CAF_CHECK(!stored->has_value());
}

CAF_TEST(a line slower than the write timeout is answered by its fate) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  // This commit takes 40 s: the session's request times out meanwhile, but
  // the batch had passed its checks and is stored.
  on_commit = [this] { sched.advance_time(std::chrono::seconds(40)); };
  auto [status, ack] = send(s, cust, "slow disk", false, "c-slow");
  CAF_CHECK_EQUAL(status, 200u);
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("slow disk"), 1u);
  size_t seen = 0;
  for (auto& l : tech.box->lines())
    seen += l["text"] == "slow disk";
  CAF_CHECK_EQUAL(seen, 1u);
  // The sender's retry is the same line.
  auto [again, ack2] = send(s, cust, "slow disk", false, "c-slow");
  CAF_CHECK_EQUAL(again, 200u);
  CAF_CHECK_EQUAL(ack2["seq"], ack["seq"]);
  CAF_CHECK_EQUAL(stored_lines("slow disk"), 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a line storage never answers is decided by the watchdog) {
  auto stuck = sys.spawn(stuck_writer);
  auto s = spawn_session(stuck);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto timers = sched.clock().schedule().size();
  auto line = [&](const char* text) {
    return self->request(s, infinite,
                         make_message(session_send_atom::value, cust.key,
                                      std::string{text}, std::string{text},
                                      false));
  };
  auto first = line("stuck 1");
  auto second = line("stuck 2");
  sched.run();
  // The writes carry no clock timeout of their own: two lines in flight add
  // one timer, the session's watchdog.
  CAF_CHECK_EQUAL(sched.clock().schedule().size(), timers + 1);
  // After the answer limit the watchdog fences: the batches were not
  // committed, so the lines are refused (the sender sends them again) and
  // nobody saw them.
  sched.advance_time(storage::write_timeout() + std::chrono::seconds(10));
  sched.run();
  for (auto* rh : {&first, &second})
    rh->receive(
      [&](unsigned status, std::string& body) {
        CAF_CHECK_EQUAL(status, 503u);
        auto doc = json::parse(body);
        CAF_CHECK_EQUAL(doc["error"]["code"], "storage_unavailable");
      },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(tech.box->count("chat.line"), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
  anon_send_exit(stuck, exit_reason::user_shutdown);
}

CAF_TEST(a line queued past its deadline is refused and its retry stored once) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  send(s, cust, "before");
  // The writer's queue is slow: the batch's deadline has passed when its
  // turn comes; it is refused before any commit.
  offset = 15'000'000;
  auto [late, err] = send(s, cust, "late line", false, "c-late");
  CAF_CHECK_EQUAL(late, 503u);
  CAF_CHECK_EQUAL(err["error"]["code"], "storage_unavailable");
  offset = 0;
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("late line"), 0u);
  // No ghost: the technician never saw it, and the retry is stored once,
  // numbered after what is stored.
  auto [ok, ack] = send(s, cust, "late line", false, "c-late");
  CAF_CHECK_EQUAL(ok, 200u);
  CAF_CHECK_EQUAL(ack["seq"], 2u);
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("late line"), 1u);
  size_t seen = 0;
  for (auto& l : tech.box->lines())
    seen += l["text"] == "late line";
  CAF_CHECK_EQUAL(seen, 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a full storage answers storage_full and the session stays up) {
  temp_dir small;
  storage::environment_options opts;
  opts.path = small.path;
  opts.map_size = 1 << 20; // 1 MiB
  env = *storage::environment::open(opts);
  auto cfg = writer_config(env);
  cfg.map_refuse_ratio = 0.01; // a fresh environment is above it: "full"
  auto full = sys.spawn(storage::persistence, cfg);
  sched.run();
  auto s = spawn_session(full);
  auto cust = customer(s);
  for (int i = 0; i < 2; ++i) {
    auto [status, err] = send(s, cust, "no room");
    // Before: 503 storage_unavailable, as if trying again could help.
    CAF_CHECK_EQUAL(status, 507u);
    CAF_CHECK_EQUAL(err["error"]["code"], "storage_full");
  }
  CAF_CHECK_EQUAL(stored_lines("no room"), 0u);
  CAF_CHECK_EQUAL(
    call(s, make_message(session_transcript_atom::value, false)).first, 200u);
  anon_send_exit(s, exit_reason::user_shutdown);
  anon_send_exit(full, exit_reason::user_shutdown);
}

CAF_TEST(transcript lines indent continuation lines) {
  json line = {{"time", int64_t{1'764'000'000'000}},
               {"from", "customer"},
               {"name", "Maria"},
               {"text", "a\r\nb"}};
  CAF_CHECK_EQUAL(transcript_line(line),
                  "[2025-11-24 16:00:00 UTC] Maria: a\n    b\n");
  json sys_line = {{"time", 0}, {"from", "system"}, {"text", "x"}};
  CAF_CHECK_EQUAL(transcript_line(sys_line), "[1970-01-01 00:00:00 UTC] * x\n");
}

CAF_TEST(system lines carry a code and are rendered in the reader language) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  // The desk's step comes as a code with parameters; the session writes its
  // English text beside them.
  anon_send(s, session_update_atom::value,
            json{{"status", "active"},
                 {"technician_id", 10},
                 {"technician_name", "Anna Berger"},
                 {"system_code", "joined"},
                 {"system_params", {{"name", "Anna Berger"}}}}
              .dump());
  sched.run();
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, cust, "accept").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, tech, "stop").first, 200u);
  anon_send(s, session_file_refused_atom::value, false, uint64_t{0},
            std::string{"x.exe"}, std::string{"not on the list"});
  sched.run();
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 4u);
  CAF_CHECK_EQUAL(lines[0]["code"], "joined");
  CAF_CHECK_EQUAL(lines[0]["params"]["name"], "Anna Berger");
  CAF_CHECK_EQUAL(lines[0]["text"], "Anna Berger joined the session");
  CAF_CHECK_EQUAL(lines[1]["code"], "screen_started");
  CAF_CHECK_EQUAL(lines[1]["text"], "Screen sharing started");
  CAF_CHECK_EQUAL(lines[2]["code"], "screen_stopped");
  CAF_CHECK_EQUAL(lines[3]["code"], "file_refused");
  CAF_CHECK_EQUAL(lines[3]["text"],
                  "The file \"x.exe\" from Maria was refused: not on the list");
  // Members receive the code too.
  auto pushed = cust.box->lines();
  CAF_REQUIRE_EQUAL(pushed.size(), 4u);
  CAF_CHECK_EQUAL(pushed[0]["code"], "joined");
  CAF_CHECK_EQUAL(system_text(lines[0], "de"),
                  "Anna Berger ist der Sitzung beigetreten");
  // The transcript in German renders codes, keeps texts without one.
  auto [st_de, de] = call(
    s, make_message(session_transcript_atom::value, false, std::string{"de"}));
  CAF_CHECK_EQUAL(st_de, 200u);
  CAF_CHECK(de.find("* Anna Berger ist der Sitzung beigetreten\n") !=
            std::string::npos);
  CAF_CHECK(de.find("* Bildschirmfreigabe gestartet\n") != std::string::npos);
  CAF_CHECK(de.find("Die Datei „x.exe“ von Maria wurde abgelehnt") !=
            std::string::npos);
  // English (and an unknown language) as before.
  auto [st_en, en] = call(
    s, make_message(session_transcript_atom::value, false, std::string{"xx"}));
  CAF_CHECK_EQUAL(st_en, 200u);
  CAF_CHECK_EQUAL(
    en, call(s, make_message(session_transcript_atom::value, false)).second);
  CAF_CHECK(en.find("* Anna Berger joined the session\n") != std::string::npos);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(every system line of the desk renders in both languages) {
  for (auto [code, params, text] :
       {std::tuple{"joined", json{{"name", "Anna Berger"}},
                   "Anna Berger joined the session"},
        {"joined_hidden", json{{"name", "Ben Okafor"}},
         "Ben Okafor joined the session (hidden from the customer)"},
        {"left", json{{"name", "Ben Okafor"}}, "Ben Okafor left the session"},
        {"handed_over", json{{"name", "Carla Diaz"}},
         "The session was handed over to Carla Diaz"},
        {"handed_over_team", json{{"team", "Support"}},
         "The session was handed over to the team Support"},
        {"closed", json{{"name", "Anna Berger"}},
         "Anna Berger closed the session"},
        {"customer_left", json::object(), "The customer left the session"},
        {"customer_ended", json::object(), "The customer ended the session"}}) {
    auto line = system_line(code, params);
    CAF_CHECK_EQUAL(line["text"], text);
    CAF_CHECK_EQUAL(system_text(line, "en"), text);
    auto de = system_text(line, "de");
    CAF_CHECK_NOT_EQUAL(de, text);
    CAF_CHECK(de.find('{') == std::string::npos); // every parameter filled
  }
  // A line stored before codes existed keeps its text in every language.
  json old = {{"from", "system"}, {"text", "Anna Berger joined the session"}};
  CAF_CHECK_EQUAL(system_text(old, "de"), "Anna Berger joined the session");
}

CAF_TEST(the customer leaving the page is shown and said after the grace) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto first = presence(tech);
  CAF_REQUIRE_EQUAL(first.size(), 1u);
  CAF_CHECK_EQUAL(first[0]["customer"], "gone");
  CAF_CHECK_EQUAL(first[0]["since"], 0); // not seen yet
  auto cust = customer(s);
  sched.run();
  CAF_REQUIRE_EQUAL(presence(tech).size(), 2u);
  CAF_CHECK_EQUAL(where(tech), "here");
  // The page closes: the technician hears at once, the chat after the grace.
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  CAF_REQUIRE_EQUAL(presence(tech).size(), 3u);
  CAF_CHECK_EQUAL(where(tech), "gone");
  auto since = presence(tech)[2]["since"].get<int64_t>();
  CAF_CHECK_EQUAL(since, 1'764'000'000'000);
  CAF_CHECK_EQUAL(stored().size(), 0u);
  sched.advance_time(std::chrono::seconds(5));
  sched.run();
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 1u);
  CAF_CHECK_EQUAL(lines[0]["code"], "customer_away");
  CAF_CHECK_EQUAL(lines[0]["text"], "The customer left the page");
  CAF_CHECK_EQUAL(lines[0]["private"], true);
  CAF_CHECK_EQUAL(tech.box->lines().size(), 1u);
  // Back: shown, and said (once; the customer does not read these lines).
  auto again = customer(s);
  sched.run();
  CAF_CHECK_EQUAL(where(tech), "here");
  lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 2u);
  CAF_CHECK_EQUAL(lines[1]["code"], "customer_back");
  CAF_CHECK_EQUAL(lines[1]["text"], "The customer is back");
  CAF_CHECK_EQUAL(again.box->lines().size(), 0u);
  // A second page of the customer changes nothing.
  auto other_tab = customer(s);
  anon_send_exit(other_tab.conn, exit_reason::user_shutdown);
  sched.run();
  sched.advance_time(std::chrono::seconds(5));
  sched.run();
  CAF_CHECK_EQUAL(where(tech), "here");
  CAF_CHECK_EQUAL(stored().size(), 2u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a reload within the grace writes no line) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto cust = customer(s);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  auto reloaded = customer(s);
  sched.run();
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(stored().size(), 0u);
  auto seen = presence(tech);
  CAF_REQUIRE_EQUAL(seen.size(), 4u); // gone (not seen), here, gone, here
  CAF_CHECK_EQUAL(seen[3]["customer"], "here");
  // Gone when the session ends: nothing is said any more.
  anon_send_exit(reloaded.conn, exit_reason::user_shutdown);
  sched.run();
  anon_send(s, session_update_atom::value, json{{"status", "closed"}}.dump());
  sched.run();
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(stored().size(), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the screen ends when the sharing page goes) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto cust = customer(s);
  auto reader = technician(s, 11);
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, cust, "accept").first, 200u);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  json ended;
  for (auto& m : tech.box->messages)
    if (m["type"] == "screen.state")
      ended = m;
  CAF_CHECK_EQUAL(ended["sharing"], false);
  CAF_CHECK_EQUAL(ended["reason"], "page_closed");
  auto gone = presence(tech).back();
  CAF_CHECK_EQUAL(gone["customer"], "gone");
  CAF_CHECK_EQUAL(gone["screen_ended"], true);
  // Said to everyone; frames from elsewhere are not relayed any more.
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 2u);
  CAF_CHECK_EQUAL(lines[1]["code"], "screen_page_closed");
  CAF_CHECK_EQUAL(lines[1]["private"], false);
  CAF_CHECK_EQUAL(reader.box->lines().size(), 2u);
  // The customer comes back: the page learns that it does not share any
  // more, and sharing must be asked for again.
  auto back = customer(s);
  CAF_CHECK_EQUAL(back.box->count("screen.state"), 1u);
  CAF_CHECK_EQUAL(screen(s, back, "accept").first, 409u);
  // A question not answered yet is asked again on the page that comes back.
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_CHECK_EQUAL(back.box->count("screen.requested"), 1u);
  anon_send_exit(back.conn, exit_reason::user_shutdown);
  sched.run();
  auto reloaded = customer(s);
  CAF_CHECK_EQUAL(reloaded.box->count("screen.requested"), 1u);
  CAF_CHECK_EQUAL(screen(s, reloaded, "accept").first, 200u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(presence is a small state machine) {
  customer_presence p;
  CAF_CHECK(!p.grace_over(p.departed(1))); // never seen: nothing to say
  CAF_CHECK(!p.arrived(2));
  auto r1 = p.departed(3);
  CAF_CHECK(!p.arrived(4)); // back within the grace
  CAF_CHECK(!p.grace_over(r1));
  auto r2 = p.departed(5);
  CAF_CHECK(p.grace_over(r2));
  CAF_CHECK(!p.grace_over(r2)); // said once
  CAF_CHECK(p.arrived(9));      // "back"
  auto r3 = p.departed(10);
  p.ended();
  CAF_CHECK(!p.grace_over(r3));
  auto view = p.view();
  CAF_CHECK_EQUAL(view["since"], 10);
}

CAF_TEST_FIXTURE_SCOPE_END()
