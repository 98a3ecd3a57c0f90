#define CAF_SUITE actors.sweeper

#include "actors/services/sweeper.hpp"

#include <filesystem>

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/login_sessions.hpp"
#include "actors/intake/desk.hpp"
#include "actors/reports/facts_record.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/keyring.hpp"
#include "actors/session/session.hpp"
#include "schema/codec.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

constexpr int64_t day = 24 * 3600 * 1000;

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  std::shared_ptr<storage::blob_store> store;
  storage::persistence_actor writer;
  actor blobs;
  actor sweep;
  std::shared_ptr<int64_t> clock = std::make_shared<int64_t>(1'800'000'000'000);
  int64_t& now = *clock;
  std::shared_ptr<int64_t> event_time = std::make_shared<int64_t>(0);

  fixture() {
    env = open_temp_environment(dir);
    store = std::make_shared<storage::blob_store>(dir.path + "/blobs");
    storage::persistence_config pcfg;
    pcfg.env = env;
    pcfg.now_us = [t = event_time] { return *t * 1000; };
    writer = sys.spawn(storage::persistence, pcfg);
    blobs = sys.spawn(blobs_actor, store);
    sweeper_config cfg;
    cfg.env = env;
    cfg.persistence = writer;
    cfg.blobs = blobs;
    cfg.batch = 3; // small steps: a chat of 5 lines takes two
    cfg.pause = std::chrono::milliseconds(0);
    cfg.now_ms = [c = clock] { return *c; };
    sweep = sys.spawn(sweeper, cfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(sweep, exit_reason::user_shutdown);
    sched.run();
  }

  void write(storage::write_batch batch) {
    auto rh = self->request(writer, infinite, storage::write_atom::value,
                            std::move(batch));
    sched.run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  void put(storage::table t, std::string key, std::string value) {
    storage::write_batch b;
    b.ops.push_back(
      {t, std::move(key), std::move(value), storage::op_kind::put});
    write(std::move(b));
  }

  void account(const std::string& id, std::optional<int> retention) {
    json body = {{"id", id}, {"name", id}};
    if (retention)
      body["retention_days"] = *retention;
    schema::entity_record rec{"account/" + id, 1, 0, body.dump()};
    put(storage::table::entities, rec.key, schema::encode(rec));
  }

  // A request closed (or, when open, created) `age` ago, with `lines` chat
  // lines, a file and a recording.
  void request(const std::string& acct, uint64_t id, int64_t age, size_t lines,
               bool open = false) {
    auto key = request_key(acct, id);
    put(storage::table::requests, key,
        json{{"id", id},
             {"status", open ? "active" : "closed"},
             {"created_ms", now - age - day},
             {"closed_ms", open ? 0 : now - age}}
          .dump());
    if (open)
      put(storage::table::open_requests, key, "");
    reports::request_facts f;
    f.id = id;
    f.created = now - age - day;
    put(storage::table::report_facts, reports::facts_key(acct, f.created, id),
        reports::encode_facts(f));
    for (uint64_t seq = 1; seq <= lines; ++seq)
      put(storage::table::chat, chat_key(acct, id, seq),
          json{{"text", "hi"}}.dump());
    auto path = file_blob_path(acct, id, "f1");
    CAF_REQUIRE(store->put(path, "file bytes").empty());
    put(storage::table::files, file_key(acct, id, "f1"),
        json{{"id", "f1"}}.dump());
    auto seg = "recordings/" + acct + "/" + std::to_string(id) + "/1.rec";
    CAF_REQUIRE(store->put(seg, "recording bytes").empty());
    put(
      storage::table::recordings, recording_key(acct, id),
      json{{"portal_id", 1}, {"segments", {{{"path", seg}, {"generation", 1}}}}}
        .dump());
  }

  void event(const std::string& acct, int64_t age) {
    *event_time = now - age;
    storage::write_batch b;
    b.events.push_back({0, 0, "test.event", acct, "x", "{}"});
    write(std::move(b));
  }

  bool has(storage::table t, const std::string& key) {
    auto v = env->get(t, key);
    CAF_REQUIRE(static_cast<bool>(v));
    return v->has_value();
  }

  size_t count(storage::table t) { return static_cast<size_t>(*env->count(t)); }

  bool blob(const std::string& path) {
    return std::filesystem::exists(dir.path + "/blobs/" + path);
  }

  std::pair<uint64_t, uint64_t> sweep_now() {
    anon_send(sweep, sweep_atom::value);
    sched.run();
    std::pair<uint64_t, uint64_t> out;
    auto rh = self->request(sweep, infinite, sweep_stats_atom::value);
    sched.run();
    rh.receive(
      [&](uint64_t passes, uint64_t deleted) {
        out = {passes, deleted};
      },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(sweeper_tests, fixture)

CAF_TEST(
  closed requests past the account retention go with chat files and recording) {
  account("acme", 30);
  account("big", std::nullopt); // the default, 365 days
  request("acme", 1, 40 * day, 5);
  request("acme", 2, 10 * day, 1);
  request("acme", 3, 100 * day, 2, true); // still open
  request("big", 1, 40 * day, 1);
  auto [passes, deleted] = sweep_now();
  CAF_CHECK_EQUAL(passes, 1u);
  CAF_CHECK(!has(storage::table::requests, request_key("acme", 1)));
  CAF_CHECK(!has(storage::table::report_facts,
                 reports::facts_key("acme", now - 41 * day, 1)));
  CAF_CHECK(has(storage::table::report_facts,
                reports::facts_key("acme", now - 11 * day, 2)));
  for (uint64_t seq = 1; seq <= 5; ++seq)
    CAF_CHECK(!has(storage::table::chat, chat_key("acme", 1, seq)));
  CAF_CHECK(!has(storage::table::files, file_key("acme", 1, "f1")));
  CAF_CHECK(!has(storage::table::recordings, recording_key("acme", 1)));
  CAF_CHECK(!blob(file_blob_path("acme", 1, "f1")));
  CAF_CHECK(!blob("recordings/acme/1/1.rec"));
  // 5 lines, a file, a recording, the request and its report facts.
  CAF_CHECK_EQUAL(deleted, 9u);
  // Younger, open, or of an account that keeps longer: kept.
  CAF_CHECK(has(storage::table::requests, request_key("acme", 2)));
  CAF_CHECK(has(storage::table::chat, chat_key("acme", 2, 1)));
  CAF_CHECK(blob(file_blob_path("acme", 2, "f1")));
  CAF_CHECK(has(storage::table::requests, request_key("acme", 3)));
  CAF_CHECK(has(storage::table::chat, chat_key("acme", 3, 2)));
  CAF_CHECK(has(storage::table::requests, request_key("big", 1)));
  CAF_CHECK(blob("recordings/big/1/1.rec"));
  CAF_CHECK_EQUAL(count(storage::table::requests), 3u);
}

CAF_TEST(a shorter retention set later takes effect on the next pass) {
  account("acme", 365);
  request("acme", 1, 40 * day, 1);
  CAF_CHECK_EQUAL(sweep_now().second, 0u);
  CAF_CHECK(has(storage::table::requests, request_key("acme", 1)));
  account("acme", 30);
  now += day;
  auto [passes, deleted] = sweep_now();
  CAF_CHECK_EQUAL(passes, 2u);
  CAF_CHECK(!has(storage::table::requests, request_key("acme", 1)));
}

CAF_TEST(events past the account retention go) {
  account("acme", 30);
  account("big", std::nullopt);
  event("", 400 * day);
  event("acme", 40 * day);
  event("big", 40 * day);
  event("acme", 10 * day);
  event("acme", 0);
  CAF_REQUIRE_EQUAL(count(storage::table::events), 5u);
  sweep_now();
  CAF_CHECK_EQUAL(count(storage::table::events), 3u);
  std::vector<std::pair<std::string, int64_t>> left;
  env->scan(storage::table::events, "", 100,
            [&](std::string_view, std::string_view v) {
              auto ev = schema::decode_event(v);
              CAF_REQUIRE(ev.has_value());
              left.emplace_back(ev->account, (now - ev->time_us / 1000) / day);
              return true;
            });
  std::vector<std::pair<std::string, int64_t>> expected{
    {"big", 40}, {"acme", 10}, {"acme", 0}};
  CAF_CHECK_EQUAL(left, expected);
}

CAF_TEST(expired logins and reset links are purged with their index rows) {
  auto now_s = now / 1000;
  auto session = [&](const std::string& digest, uint64_t user,
                     int64_t expires) {
    put(storage::table::auth_sessions, digest,
        json{{"account", "acme"}, {"user", user}, {"expires", expires}}.dump());
    put(storage::table::user_sessions, user_session_key("acme", user, digest),
        "");
  };
  session("d-expired-1", 7, now_s - 10);
  session("d-expired-2", 8, now_s);
  session("d-valid", 7, now_s + 3600);
  put(storage::table::reset_tokens, "r-expired",
      json{{"expires", now_s - 1}}.dump());
  put(storage::table::reset_tokens, "r-valid",
      json{{"expires", now_s + 60}}.dump());
  sweep_now();
  CAF_CHECK(!has(storage::table::auth_sessions, "d-expired-1"));
  CAF_CHECK(!has(storage::table::auth_sessions, "d-expired-2"));
  CAF_CHECK(!has(storage::table::user_sessions,
                 user_session_key("acme", 7, "d-expired-1")));
  CAF_CHECK(!has(storage::table::user_sessions,
                 user_session_key("acme", 8, "d-expired-2")));
  CAF_CHECK(has(storage::table::auth_sessions, "d-valid"));
  CAF_CHECK(
    has(storage::table::user_sessions, user_session_key("acme", 7, "d-valid")));
  CAF_CHECK(!has(storage::table::reset_tokens, "r-expired"));
  CAF_CHECK(has(storage::table::reset_tokens, "r-valid"));
}

CAF_TEST(a pass goes in small steps) {
  // 10 expired sessions; steps of 3 records, one write each, each step its
  // own message (live traffic goes between them).
  for (int i = 0; i < 10; ++i)
    put(storage::table::auth_sessions, "d" + std::to_string(i),
        json{{"account", "acme"}, {"user", 1}, {"expires", 1}}.dump());
  anon_send(sweep, sweep_atom::value);
  std::vector<size_t> seen{count(storage::table::auth_sessions)};
  while (sched.try_run_once())
    if (auto n = count(storage::table::auth_sessions); n != seen.back())
      seen.push_back(n);
  std::vector<size_t> expected{10, 7, 4, 1, 0};
  CAF_CHECK_EQUAL(seen, expected);
}

CAF_TEST_FIXTURE_SCOPE_END()
