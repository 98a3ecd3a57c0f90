#define CAF_SUITE actors.desk

#include "actors/desk.hpp"

#include <caf/test/dsl.hpp>

#include "actors/account.hpp"
#include "schema/codec.hpp"
#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

// The organisation the desk follows: one web portal served by one team.
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
  org_user m;
  m.id = 11;
  m.r = role::company_manager;
  m.email = "boss@acme.example";
  a.users[11] = m;
  portal p;
  p.id = 20;
  p.slug = "help";
  p.name = "Help";
  p.sub_portals.push_back({1, "All", {1}});
  a.portals[20] = p;
  return to_storage_json(a).dump();
}

// Stands in for the account actor: answers the organisation snapshot.
behavior fake_account(event_based_actor*) {
  return {
    [](org_snapshot_atom, uint64_t known) -> std::tuple<uint64_t, std::string> {
      if (known == 7)
        return {7, ""};
      return {7, org_json()};
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

// A connection actor's stand-in: keeps what the desk pushes.
struct pushed {
  std::vector<json> messages;
};

behavior recorder(event_based_actor*, std::shared_ptr<pushed> out) {
  return {
    [out](desk_push_atom, const std::string& text) {
      out->messages.push_back(json::parse(text));
    },
  };
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  int64_t clock = 1'000'000'000;

  fixture() {
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *storage::environment::open(opts);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
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
    auto rh = self->request(d, infinite, std::move(msg));
    sched.run();
    rh.receive([&](unsigned status,
                   std::string& body) { out = {status, json::parse(body)}; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  std::pair<unsigned, json> intake(actor d, const std::string& name) {
    json body = {{"fields",
                  {{"name", name}, {"email", name + "@example.com"}, {"problem", "help"}}}};
    json src = {{"ip", "10.0.0.1"}, {"device", "desktop"}, {"os", "Linux"}, {"browser", "x"}};
    return call(d, make_message(desk_intake_atom::value, std::string{"help"}, body.dump(),
                                src.dump()));
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(desk_actor_tests, fixture)

CAF_TEST(the portal page and status come from the organisation) {
  auto d = spawn_desk(writer);
  auto [status, page] = call(d, make_message(desk_portal_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(status, 200u);
  auto name = page["portal"]["name"].get<std::string>();
  CAF_CHECK_EQUAL(name, "Help");
  auto [s404, err] = call(d, make_message(desk_portal_atom::value, std::string{"nope"}));
  CAF_CHECK_EQUAL(s404, 404u);
  auto [s2, st] = call(d, make_message(desk_status_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(s2, 200u);
  auto avail = st["technicians_available"].get<int>();
  CAF_CHECK_EQUAL(avail, 0);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(an intake is stored before it is answered and alerts the console) {
  auto d = spawn_desk(writer);
  auto pushes = std::make_shared<pushed>();
  auto console = sys.spawn(recorder, pushes);
  auto [cs, state] = call(d, make_message(desk_console_atom::value, uint64_t{10}, console));
  CAF_CHECK_EQUAL(cs, 200u);
  auto type = state["type"].get<std::string>();
  CAF_CHECK_EQUAL(type, "console.state");
  auto [status, body] = intake(d, "maria");
  CAF_REQUIRE_EQUAL(status, 201u);
  auto id = body["request_id"].get<std::string>();
  // Durable: the request is in storage under its key.
  auto stored = env->get(storage::table::requests, request_key("acme", std::stoull(id)));
  CAF_REQUIRE(stored && *stored);
  auto doc = json::parse(**stored);
  auto stored_status = doc["status"].get<std::string>();
  CAF_CHECK_EQUAL(stored_status, "waiting");
  sched.run();
  bool alerted = false;
  for (auto& m : pushes->messages)
    alerted |= m["type"] == "alert" && m["alert"]["request_id"] == id;
  CAF_CHECK(alerted);
  // The customer follows it with the token only.
  auto [bad, e] = call(d, make_message(desk_attach_atom::value, id, std::string{"wrong"}, actor{}));
  CAF_CHECK_EQUAL(bad, 404u);
  auto token = body["token"].get<std::string>();
  auto [good, view] = call(d, make_message(desk_attach_atom::value, id, token, actor{}));
  CAF_CHECK_EQUAL(good, 200u);
  // The technician accepts; a manager may not use the console.
  json accept = {{"type", "request.accept"}, {"request_id", id}};
  auto [as, ack] = call(d, make_message(desk_command_atom::value, uint64_t{10}, accept.dump()));
  CAF_CHECK_EQUAL(as, 200u);
  auto [ms, forbidden] = call(d, make_message(desk_console_atom::value, uint64_t{11}, actor{}));
  CAF_CHECK_EQUAL(ms, 403u);
  // Each step is in the event log, in order, for dashboards and reports.
  std::vector<std::string> kinds;
  auto err = env->scan(storage::table::events, std::string{}, 100,
                       [&](std::string_view, std::string_view v) {
                         auto ev = schema::decode_event(v);
                         if (ev && ev->subject == "request/" + id)
                           kinds.push_back(ev->kind);
                         return true;
                       });
  CAF_REQUIRE(!err);
  std::vector<std::string> expected{"request.created", "request.alerted",
                                    "request.accepted"};
  CAF_CHECK_EQUAL(kinds, expected);
  anon_send_exit(console, exit_reason::user_shutdown);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(a new desk restores open requests from storage) {
  std::string id;
  {
    auto d = spawn_desk(writer);
    auto [status, body] = intake(d, "ada");
    CAF_REQUIRE_EQUAL(status, 201u);
    id = body["request_id"].get<std::string>();
    anon_send_exit(d, exit_reason::user_shutdown);
    sched.run();
  }
  auto d = spawn_desk(writer);
  auto pushes = std::make_shared<pushed>();
  auto console = sys.spawn(recorder, pushes);
  auto [cs, state] = call(d, make_message(desk_console_atom::value, uint64_t{10}, console));
  CAF_REQUIRE_EQUAL(cs, 200u);
  CAF_REQUIRE_EQUAL(state["requests"].size(), 1u);
  auto restored = state["requests"][0]["id"].get<std::string>();
  CAF_CHECK_EQUAL(restored, id);
  auto [s2, b2] = intake(d, "bea");
  auto next = b2["request_id"].get<std::string>();
  CAF_CHECK_EQUAL(std::stoull(next), std::stoull(id) + 1);
  anon_send_exit(console, exit_reason::user_shutdown);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(a failed write answers 503 and stops the desk) {
  auto bad = sys.spawn(failing_writer);
  auto d = spawn_desk(bad);
  auto [status, body] = intake(d, "eve");
  CAF_CHECK_EQUAL(status, 503u);
  auto code = body["error"]["code"].get<std::string>();
  CAF_CHECK_EQUAL(code, "storage_unavailable");
  sched.run();
  auto stored = env->get(storage::table::requests, request_key("acme", 1));
  CAF_REQUIRE(stored);
  CAF_CHECK(!stored->has_value());
  // The refusal was definite: the desk reloaded in place and stays up.
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
