#define CAF_SUITE actors.session

#include "actors/session.hpp"

#include <caf/test/dsl.hpp>

#include "actors/desk.hpp"
#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

// The desk as a session sees it: request 5 is active with technician 10.
behavior fake_desk(event_based_actor*) {
  return {
    [](desk_request_atom, uint64_t) -> std::tuple<unsigned, std::string> {
      return {200u, json{{"status", "active"},
                         {"technician_id", 10},
                         {"technician_name", "Anna Berger"},
                         {"customer_name", "Maria"}}
                      .dump()};
    },
  };
}

storage::persistence_actor::behavior_type
failing_writer(storage::persistence_actor::pointer) {
  return {
    [](storage::write_atom, storage::write_batch&) -> result<storage::write_receipt> {
      return storage::make_error(storage::storage_errc::io_error, "disk gone");
    },
    [](storage::flush_atom) {},
    [](storage::sync_atom) -> uint64_t { return 0; },
    [](storage::fence_atom, const std::string&) {
      return storage::fence_receipt{1, 0};
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
};

behavior recorder(event_based_actor*, std::shared_ptr<inbox> box) {
  return {
    [box](desk_push_atom, const std::string& text) { box->messages.push_back(json::parse(text)); },
  };
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;

  fixture() {
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *storage::environment::open(opts);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk", [](actor_system& s, const std::string&) {
      return s.spawn(fake_desk);
    });
    directory = sys.spawn(cluster::directory, dcfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(directory, exit_reason::user_shutdown);
    sched.run();
  }

  actor spawn_session(storage::persistence_actor w) {
    session_config cfg;
    cfg.account = "acme";
    cfg.request = 5;
    cfg.env = env;
    cfg.persistence = w;
    cfg.directory = directory;
    cfg.now_ms = [] { return int64_t{1'764'000'000'000}; };
    auto s = sys.spawn(session_actor, cfg);
    sched.run();
    return s;
  }

  std::pair<unsigned, std::string> call(actor s, message msg) {
    std::pair<unsigned, std::string> out{0, ""};
    auto rh = self->request(s, infinite, std::move(msg));
    sched.run();
    rh.receive([&](unsigned status, std::string& body) { out = {status, body}; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  std::pair<unsigned, json> send(actor s, bool tech, uint64_t id, std::string text, bool priv = false) {
    auto [status, body] = call(s, make_message(session_send_atom::value, tech, id, text,
                                               std::string{"c"}, priv));
    return {status, json::parse(body)};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(session_actor_tests, fixture)

CAF_TEST(lines are numbered stored and pushed to who may see them) {
  auto s = spawn_session(writer);
  auto customer_box = std::make_shared<inbox>();
  auto tech_box = std::make_shared<inbox>();
  auto customer = sys.spawn(recorder, customer_box);
  auto tech = sys.spawn(recorder, tech_box);
  auto [c1, synced] = call(s, make_message(session_subscribe_atom::value, customer, false,
                                           uint64_t{0}, uint64_t{0}));
  CAF_CHECK_EQUAL(c1, 200u);
  call(s, make_message(session_subscribe_atom::value, tech, true, uint64_t{10}, uint64_t{0}));
  auto [s1, ack1] = send(s, false, 0, "hello");
  CAF_REQUIRE_EQUAL(s1, 200u);
  auto seq1 = ack1["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq1, 1u);
  auto [s2, ack2] = send(s, true, 10, "note to self", true);
  CAF_CHECK_EQUAL(s2, 200u);
  auto [s3, ack3] = send(s, true, 10, "hi Maria");
  CAF_CHECK_EQUAL(s3, 200u);
  sched.run();
  CAF_CHECK_EQUAL(tech_box->lines().size(), 3u);
  auto seen = customer_box->lines();
  CAF_REQUIRE_EQUAL(seen.size(), 2u);
  auto first = seen[0]["name"].get<std::string>();
  auto second = seen[1]["name"].get<std::string>();
  CAF_CHECK_EQUAL(first, "Maria");
  CAF_CHECK_EQUAL(second, "Anna Berger");
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 2));
  CAF_REQUIRE(stored && *stored);
  // Only the technician who has it may write; nobody may send nothing.
  auto [s4, wrong] = send(s, true, 11, "me too");
  CAF_CHECK_EQUAL(s4, 403u);
  auto [s5, empty] = send(s, false, 0, "  \n");
  CAF_CHECK_EQUAL(s5, 400u);
  // Resume after 1: exactly the later lines the member may see.
  auto late_box = std::make_shared<inbox>();
  auto late = sys.spawn(recorder, late_box);
  auto [s6, body] = call(s, make_message(session_subscribe_atom::value, late, false,
                                         uint64_t{0}, uint64_t{1}));
  CAF_CHECK_EQUAL(s6, 200u);
  sched.run();
  auto resumed = late_box->lines();
  CAF_REQUIRE_EQUAL(resumed.size(), 1u);
  auto seq3 = resumed[0]["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq3, 3u);
  // The customer's transcript leaves the note out.
  auto [s7, text] = call(s, make_message(session_transcript_atom::value, false));
  CAF_CHECK_EQUAL(s7, 200u);
  CAF_CHECK(text.find("note to self") == std::string::npos);
  CAF_CHECK(text.find("] Maria: hello\n") != std::string::npos);
  auto [s8, full] = call(s, make_message(session_transcript_atom::value, true));
  CAF_CHECK(full.find("Anna Berger (private note): note to self") != std::string::npos);
  for (auto a : {customer, tech, late, s})
    anon_send_exit(a, exit_reason::user_shutdown);
}

CAF_TEST(a new session goes on numbering from storage and shows desk news) {
  {
    auto s = spawn_session(writer);
    send(s, false, 0, "one");
    send(s, false, 0, "two");
    anon_send_exit(s, exit_reason::user_shutdown);
    sched.run();
  }
  auto s = spawn_session(writer);
  anon_send(s, session_update_atom::value,
            json{{"status", "active"}, {"technician_id", 12}, {"technician_name", "Carla Diaz"},
                 {"system", "The session was handed over to Carla Diaz"}}
              .dump());
  sched.run();
  auto [status, ack] = send(s, true, 12, "Carla here");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto seq = ack["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq, 4u);
  anon_send(s, session_update_atom::value, json{{"status", "closed"}, {"system", ""}}.dump());
  sched.run();
  auto [closed, err] = send(s, false, 0, "hello?");
  CAF_CHECK_EQUAL(closed, 409u);
  auto code = err["error"]["code"].get<std::string>();
  CAF_CHECK_EQUAL(code, "chat_not_open");
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a line that cannot be stored is refused and the session restarts) {
  auto bad = sys.spawn(failing_writer);
  auto s = spawn_session(bad);
  auto [status, body] = send(s, false, 0, "lost?");
  CAF_CHECK_EQUAL(status, 503u);
  sched.run();
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 1));
  CAF_REQUIRE(stored);
  CAF_CHECK(!stored->has_value());
}

CAF_TEST(transcript lines indent continuation lines) {
  json line = {{"time", int64_t{1'764'000'000'000}}, {"from", "customer"}, {"name", "Maria"},
               {"text", "a\r\nb"}};
  CAF_CHECK_EQUAL(transcript_line(line), "[2025-11-24 16:00:00 UTC] Maria: a\n    b\n");
  json sys_line = {{"time", 0}, {"from", "system"}, {"text", "x"}};
  CAF_CHECK_EQUAL(transcript_line(sys_line), "[1970-01-01 00:00:00 UTC] * x\n");
}

CAF_TEST_FIXTURE_SCOPE_END()
