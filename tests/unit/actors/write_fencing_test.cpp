#define CAF_SUITE actors.write_fencing

// Writes that are never half-known (docs/ARCHITECTURE.md): a desk whose
// writes are slow, time out, are refused or find storage full, against the
// real writer with its slow-disk test hook.

#include <caf/test/dsl.hpp>

#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "actors/org/account.hpp"
#include "actors/session/session_protocol.hpp"
#include "client_answer.hpp"
#include "gateways/customer_input.hpp"
#include "slow_disk.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

std::string org_json() {
  org_account a;
  a.id = "acme";
  a.teams[1] = team{1, "EU", 0, {}};
  org_user u;
  u.id = 10;
  u.r = role::technician;
  u.email = "anna@acme.example";
  u.first_name = "Anna";
  u.team_id = 1;
  a.users[10] = u;
  portal p;
  p.id = 20;
  p.slug = "help";
  p.name = "Help";
  p.sub_portals.push_back({1, "All", {1}});
  a.portals[20] = p;
  return to_storage_json(a).dump();
}

// A console's stand-in: counts what the desk pushes.
behavior console(event_based_actor*, std::shared_ptr<size_t> pushes) {
  return {
    [pushes](desk_push_atom, const std::string&) { ++*pushes; },
  };
}

behavior fake_account(event_based_actor*) {
  auto answer = [](uint64_t known) -> std::tuple<uint64_t, std::string> {
    if (known == 7)
      return {7, ""};
    return {7, org_json()};
  };
  return {
    [answer](org_snapshot_atom, uint64_t known) { return answer(known); },
    [answer](org_subscribe_atom, actor&, uint64_t known) {
      return answer(known);
    },
  };
}

struct fixture : test_coordinator_fixture<>, slow_disk {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  int64_t clock = 1'000'000'000;

  fixture() {
    env = open_temp_environment(dir);
    writer = sys.spawn(storage::persistence, writer_config(env));
    cluster::directory_config dcfg;
    dcfg.factories.emplace("account", [](actor_system& s, const std::string&) {
      return s.spawn(fake_account);
    });
    directory = sys.spawn(cluster::directory, dcfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(directory, exit_reason::user_shutdown);
    sched.run();
  }

  actor spawn_desk(storage::persistence_actor w) {
    desk_config cfg;
    cfg.account = "acme";
    cfg.env = env;
    cfg.persistence = w;
    cfg.directory = directory;
    cfg.now_ms = [this] { return clock; };
    auto d = sys.spawn(desk_actor, cfg);
    sched.run();
    return d;
  }

  std::pair<unsigned, json> call(actor d, message msg) {
    std::pair<unsigned, json> out{0, nullptr};
    unsigned ok = answers::is_intake(msg) ? 201 : 200;
    auto rh = self->request(d, infinite, std::move(msg));
    sched.run();
    rh.receive([&](std::string& body) { out = answers::as_client(body, ok); },
               [&](error& err) { out = answers::as_client(err); });
    return out;
  }

  std::pair<unsigned, json> intake(actor d, const std::string& name) {
    json body = {{"fields",
                  {{"name", name},
                   {"email", name + "@example.com"},
                   {"problem", "help"}}}};
    json src = {{"ip", "10.0.0." + std::to_string(name.size())},
                {"device", "desktop"},
                {"os", "Linux"},
                {"browser", "x"}};
    auto form = gateways::read_intake(
      body, {src["ip"], src["device"], src["os"], src["browser"]}, "");
    CAF_REQUIRE(form);
    return call(d, make_message(desk_intake_atom::value, std::string{"help"},
                                std::move(*form)));
  }

  bool on_disk(uint64_t id) {
    auto v = env->get(storage::table::requests, request_key("acme", id));
    return v && v->has_value();
  }

  bool in_memory(actor d, uint64_t id) {
    bool found = false;
    auto rh = self->request(d, infinite, desk_request_atom::value, id);
    sched.run();
    rh.receive([&](session_news&) { found = true; },
               [&](error& err) {
                 if (!is(err, errc::not_found))
                   CAF_FAIL(sys.render(err));
               });
    return found;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(write_fencing_tests, fixture)

CAF_TEST(a write slower than the request timeout is answered by its fate) {
  auto d = spawn_desk(writer);
  auto [s1, b1] = intake(d, "ann");
  CAF_REQUIRE_EQUAL(s1, 201u);
  // This commit takes 40 s: the desk's request times out meanwhile, but the
  // batch had passed its checks and is stored.
  on_commit = [this] { sched.advance_time(std::chrono::seconds(40)); };
  auto [s2, b2] = intake(d, "bob");
  // Before: 503 and a desk restart while request 2 was stored (a ghost).
  CAF_CHECK_EQUAL(s2, 201u);
  auto id2 = std::stoull(b2["request_id"].get<std::string>());
  CAF_CHECK(on_disk(id2));
  CAF_CHECK(in_memory(d, id2));
  // A new incarnation reads storage behind its fence: it has both, and the
  // next request gets a new number.
  anon_send_exit(d, exit_reason::user_shutdown);
  sched.run();
  auto again = spawn_desk(writer);
  CAF_CHECK(in_memory(again, 1));
  CAF_CHECK(in_memory(again, id2));
  auto [s3, b3] = intake(again, "cid");
  CAF_CHECK_EQUAL(s3, 201u);
  CAF_CHECK_EQUAL(std::stoull(b3["request_id"].get<std::string>()), id2 + 1);
  anon_send_exit(again, exit_reason::user_shutdown);
}

CAF_TEST(a write queued behind a slow commit is refused and the desk goes on
           without it) {
  auto d = spawn_desk(writer);
  auto [s1, b1] = intake(d, "ann");
  CAF_REQUIRE_EQUAL(s1, 201u);
  // The writer's queue is slow: the batch's deadline has passed when its
  // turn comes. It is refused before any commit.
  offset = 15'000'000;
  auto [s2, b2] = intake(d, "bob");
  CAF_CHECK_EQUAL(s2, 503u);
  CAF_CHECK_EQUAL(b2["error"]["code"], "storage_unavailable");
  offset = 0;
  CAF_CHECK(!on_disk(2));
  // The desk reloaded in place behind a fence: no ghost of "bob" in memory
  // either, and it still answers.
  CAF_CHECK(!in_memory(d, 2));
  auto [s3, b3] = intake(d, "cid");
  CAF_CHECK_EQUAL(s3, 201u);
  auto id3 = std::stoull(b3["request_id"].get<std::string>());
  CAF_CHECK(on_disk(id3));
  CAF_CHECK(in_memory(d, id3));
  // What is in memory is what is stored, also for a new incarnation.
  anon_send_exit(d, exit_reason::user_shutdown);
  sched.run();
  auto again = spawn_desk(writer);
  CAF_CHECK(in_memory(again, 1));
  CAF_CHECK(in_memory(again, id3));
  CAF_CHECK_EQUAL(in_memory(again, 2), on_disk(2));
  anon_send_exit(again, exit_reason::user_shutdown);
}

CAF_TEST(a full storage is answered 507 and the desk stays up) {
  temp_dir small;
  storage::environment_options opts;
  opts.path = small.path;
  opts.map_size = 1 << 20; // 1 MiB
  env = *storage::environment::open(opts);
  auto cfg = writer_config(env);
  cfg.map_refuse_ratio = 0.01; // a fresh environment is above it: "full"
  auto full = sys.spawn(storage::persistence, cfg);
  sched.run();
  auto d = spawn_desk(full);
  // A technician's console is attached: after each refusal the desk reloads
  // and counts it again (a bookkeeping write that may use the reserve).
  auto pushes = std::make_shared<size_t>(0);
  auto tech = sys.spawn(console, pushes);
  call(d, make_message(desk_console_atom::value, uint64_t{10},
                       actor_cast<actor>(tech)));
  for (int i = 0; i < 3; ++i) {
    auto [status, body] = intake(d, "eve" + std::to_string(i));
    CAF_CHECK_EQUAL(status, 507u);
    CAF_CHECK_EQUAL(body["error"]["code"], "storage_full");
  }
  CAF_CHECK(!on_disk(1));
  // Still the same desk, answering (no quit and respawn loop).
  auto [s, page] =
    call(d, make_message(desk_portal_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(s, 200u);
  // Its console got the state as stored after each reload.
  CAF_CHECK_GREATER_OR_EQUAL(*pushes, 3u);
  anon_send_exit(tech, exit_reason::user_shutdown);
  anon_send_exit(d, exit_reason::user_shutdown);
  anon_send_exit(full, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
