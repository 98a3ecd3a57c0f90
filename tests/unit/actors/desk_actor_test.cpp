#define CAF_SUITE actors.desk

#include "actors/intake/desk.hpp"

#include <caf/test/dsl.hpp>

#include "actors/intake/desk_history.hpp"
#include "actors/org/account.hpp"
#include "client_answer.hpp"
#include "gateways/console_input.hpp"
#include "gateways/customer_input.hpp"
#include "schema/codec.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

// The organisation the desk follows: one web portal served by one team.
// `with_new`: a second portal, "new", as a later change adds it.
std::string org_json(bool with_new = false) {
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
  // A second team (not on the portal) with its technician and its manager.
  a.teams[2] = team{2, "US", 0, {}};
  org_user us = u;
  us.id = 13;
  us.email = "ben@acme.example";
  us.first_name = "Ben";
  us.team_id = 2;
  a.users[13] = us;
  org_user tm;
  tm.id = 12;
  tm.r = role::team_manager;
  tm.email = "lead@acme.example";
  tm.managed_team_ids = {2};
  a.users[12] = tm;
  portal p;
  p.id = 20;
  p.slug = "help";
  p.name = "Help";
  p.sub_portals.push_back({1, "All", {1}});
  a.portals[20] = p;
  if (with_new) {
    p.id = 21;
    p.slug = "new";
    p.name = "New";
    a.portals[21] = p;
  }
  return to_storage_json(a).dump();
}

// An intake's body and source as the gateway reads them.
intake_form form(const json& body, const json& src) {
  auto f =
    gateways::read_intake(body,
                          {src.value("ip", ""), src.value("device", ""),
                           src.value("os", ""), src.value("browser", "")},
                          src.value("idempotency_key", ""));
  CAF_REQUIRE(f);
  return *f;
}

// Stands in for the account actor: answers the organisation snapshot (also
// to a subscription, whose subscribers it keeps) and counts how often it
// was asked.
behavior fake_account(event_based_actor*, std::shared_ptr<int> fetches,
                      std::shared_ptr<std::vector<actor>> subscribers) {
  auto answer = [](uint64_t known) -> std::tuple<uint64_t, std::string> {
    if (known == 7)
      return {7, ""};
    return {7, org_json()};
  };
  return {
    [fetches, answer](org_snapshot_atom, uint64_t known) {
      ++*fetches;
      return answer(known);
    },
    [fetches, subscribers, answer](org_subscribe_atom, actor& who,
                                   uint64_t known) {
      ++*fetches;
      subscribers->push_back(who);
      return answer(known);
    },
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
  std::shared_ptr<int> org_fetches = std::make_shared<int>(0);
  std::shared_ptr<std::vector<actor>> org_subscribers =
    std::make_shared<std::vector<actor>>();

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("account", [f = org_fetches, subs = org_subscribers](
                                        actor_system& s, const std::string&) {
      return s.spawn(fake_account, f, subs);
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

  /// Stores `n` ended requests (ids 1..n, each the document `doc(id)`) and
  /// the desk's record after them, as an earlier run left them.
  template <class Doc>
  void store_history(uint64_t n, Doc doc) {
    storage::write_batch batch;
    for (uint64_t id = 1; id <= n; ++id)
      batch.ops.push_back({storage::table::requests, request_key("acme", id),
                           doc(id).dump(), storage::op_kind::put});
    schema::entity_record rec{"desk/acme", n + 1, 0,
                              json{{"next_id", n + 1}}.dump()};
    batch.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                         storage::op_kind::put});
    std::vector<storage::write_batch*> batches{&batch};
    std::vector<storage::write_receipt> receipts;
    CAF_REQUIRE(!env->commit(batches, receipts, clock * 1000));
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
    json src = {{"ip", "10.0.0.1"},
                {"device", "desktop"},
                {"os", "Linux"},
                {"browser", "x"}};
    return call(d, make_message(desk_intake_atom::value, std::string{"help"},
                                form(body, src)));
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(desk_actor_tests, fixture)

CAF_TEST(the portal page and status come from the organisation) {
  auto d = spawn_desk(writer);
  auto [status, page] =
    call(d, make_message(desk_portal_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(status, 200u);
  auto name = page["portal"]["name"].get<std::string>();
  CAF_CHECK_EQUAL(name, "Help");
  auto [s404, err] =
    call(d, make_message(desk_portal_atom::value, std::string{"nope"}));
  CAF_CHECK_EQUAL(s404, 404u);
  auto [s2, st] =
    call(d, make_message(desk_status_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(s2, 200u);
  auto avail = st["technicians_available"].get<int>();
  CAF_CHECK_EQUAL(avail, 0);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(an intake is stored before it is answered and alerts the console) {
  auto d = spawn_desk(writer);
  auto pushes = std::make_shared<pushed>();
  auto console = sys.spawn(recorder, pushes);
  auto [cs, state] =
    call(d, make_message(desk_console_atom::value, uint64_t{10}, console));
  CAF_CHECK_EQUAL(cs, 200u);
  auto type = state["type"].get<std::string>();
  CAF_CHECK_EQUAL(type, "console.state");
  auto [status, body] = intake(d, "maria");
  CAF_REQUIRE_EQUAL(status, 201u);
  auto id = body["request_id"].get<std::string>();
  // Durable: the request is in storage under its key.
  auto stored =
    env->get(storage::table::requests, request_key("acme", std::stoull(id)));
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
  auto [bad, e] = call(d, make_message(desk_attach_atom::value, id,
                                       std::string{"wrong"}, actor{}));
  CAF_CHECK_EQUAL(bad, 404u);
  auto token = body["token"].get<std::string>();
  auto [good, view] =
    call(d, make_message(desk_attach_atom::value, id, token, actor{}));
  CAF_CHECK_EQUAL(good, 200u);
  // The technician accepts; a manager may not use the console.
  json accept = {{"type", "request.accept"}, {"request_id", id}};
  auto [as, ack] = call(d, make_message(desk_command_atom::value, uint64_t{10},
                                        *gateways::read_console(accept)));
  CAF_CHECK_EQUAL(as, 200u);
  auto [ms, forbidden] =
    call(d, make_message(desk_console_atom::value, uint64_t{11}, actor{}));
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
  auto [cs, state] =
    call(d, make_message(desk_console_atom::value, uint64_t{10}, console));
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

CAF_TEST(unknown portal names cost at most one organisation fetch a second) {
  auto d = spawn_desk(writer);
  auto asked = [&](const std::string& prefix, int n) {
    using handle = decltype(self->request(d, infinite, make_message()));
    std::vector<handle> handles;
    for (int i = 0; i < n; ++i)
      handles.push_back(self->request(
        d, infinite,
        make_message(desk_portal_atom::value, prefix + std::to_string(i))));
    return handles;
  };
  auto all_404 = [&](auto& handles) {
    for (auto& rh : handles)
      rh.receive([](std::string&) { CAF_FAIL("a made-up portal was found"); },
                 [&](error& err) { CAF_CHECK(is(err, errc::not_found)); });
  };
  auto before = *org_fetches;
  // Fifty made-up names at once: one fetch answers them all.
  auto first = asked("nope-", 50);
  sched.run();
  all_404(first);
  CAF_CHECK_EQUAL(*org_fetches, before + 1);
  // The same names again: known to be unknown, no fetch at all.
  auto again = asked("nope-", 50);
  sched.run();
  all_404(again);
  CAF_CHECK_EQUAL(*org_fetches, before + 1);
  // New names within the same second wait for the next tick's fetch.
  auto fresh = asked("other-", 50);
  sched.run();
  CAF_CHECK_EQUAL(*org_fetches, before + 1);
  clock += 1000;
  sched.trigger_timeout();
  sched.run();
  all_404(fresh);
  CAF_CHECK_EQUAL(*org_fetches, before + 2);
  // The names remembered as unknown are bounded (they were kept forever).
  for (int round = 0; round < 50; ++round) {
    clock += 1000;
    auto many = asked("r" + std::to_string(round) + "-", 100);
    sched.run();
    all_404(many);
  }
  auto& st = deref<stateful_actor<desk_state>>(d).state;
  CAF_CHECK_LESS_OR_EQUAL(st.unknown_names.size(), 4096u);
  CAF_CHECK_LESS_OR_EQUAL(st.unknown_order.size(), 4096u);
  CAF_CHECK(st.org_waiters.empty());
  // A real portal is still found at once.
  auto [status, page] =
    call(d, make_message(desk_portal_atom::value, std::string{"help"}));
  CAF_CHECK_EQUAL(status, 200u);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(organisation changes are pushed and followed after the account stops) {
  auto d = spawn_desk(writer);
  CAF_REQUIRE_EQUAL(org_subscribers->size(), 1u);
  auto fetches = *org_fetches;
  // A portal added by the account: the desk knows it from the push alone.
  anon_send(org_subscribers->back(), org_changed_atom::value, uint64_t{8},
            org_json(true));
  sched.run();
  auto [status, page] =
    call(d, make_message(desk_portal_atom::value, std::string{"new"}));
  CAF_CHECK_EQUAL(status, 200u);
  CAF_CHECK_EQUAL(*org_fetches, fetches);
  // An older answer overtaken by the push changes nothing.
  anon_send(org_subscribers->back(), org_changed_atom::value, uint64_t{7},
            org_json());
  sched.run();
  auto [again, page2] =
    call(d, make_message(desk_portal_atom::value, std::string{"new"}));
  CAF_CHECK_EQUAL(again, 200u);
  // Nothing polls: ticks without waiting names ask the account nothing.
  for (int i = 0; i < 5; ++i) {
    clock += 1000;
    sched.trigger_timeout();
    sched.run();
  }
  CAF_CHECK_EQUAL(*org_fetches, fetches);
  // The account stops (passivated, crashed): the desk subscribes to the
  // next one the directory gives (at once, or at the next tick when the
  // directory still named the one that stopped).
  auto found = self->request(directory, infinite, cluster::lookup_atom::value,
                             std::string{"account/acme"});
  sched.run();
  actor account;
  found.receive([&](actor& a) { account = a; },
                [&](error& err) { CAF_FAIL(sys.render(err)); });
  anon_send_exit(account, exit_reason::kill);
  sched.run();
  for (int i = 0; i < 3 && org_subscribers->size() < 2; ++i) {
    clock += 1000;
    sched.trigger_timeouts();
    sched.run();
  }
  CAF_CHECK_EQUAL(org_subscribers->size(), 2u);
  CAF_CHECK_EQUAL(*org_fetches, fetches + 1);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(a retried intake with the same idempotency key is stored once) {
  auto d = spawn_desk(writer);
  json body = {
    {"fields",
     {{"name", "ida"}, {"email", "ida@example.com"}, {"problem", "x"}}}};
  json src = {{"ip", "10.0.0.9"}, {"idempotency_key", "k-1"}};
  auto post = [&](const json& b) {
    return call(d, make_message(desk_intake_atom::value, std::string{"help"},
                                form(b, src)));
  };
  auto [s1, first] = post(body);
  CAF_REQUIRE_EQUAL(s1, 201u);
  auto [s2, second] = post(body);
  CAF_REQUIRE_EQUAL(s2, 201u);
  CAF_CHECK_EQUAL(second["request_id"], first["request_id"]);
  CAF_CHECK_EQUAL(second["token"], first["token"]);
  // Another body under the same key is refused, not stored.
  auto changed = body;
  changed["fields"]["problem"] = "something else";
  auto [s3, reused] = post(changed);
  CAF_CHECK_EQUAL(s3, 422u);
  CAF_CHECK_EQUAL(reused["error"]["code"], "idempotency_key_reused");
  // One request in storage; a new key is a new request.
  auto second_id = request_key("acme", 2);
  auto none = env->get(storage::table::requests, second_id);
  CAF_REQUIRE(none);
  CAF_CHECK(!none->has_value());
  src["idempotency_key"] = "k-2";
  auto [s4, other] = post(body);
  CAF_CHECK_EQUAL(s4, 201u);
  CAF_CHECK_NOT_EQUAL(other["request_id"], first["request_id"]);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(a team manager history list is read outside the desk) {
  // 300 finished requests; Ben (team US) handled every hundredth.
  store_history(300, [](uint64_t id) {
    return json{{"id", id},
                {"portal_id", 20},
                {"status", "closed"},
                {"technician_id", id % 100 == 0 ? 13 : 10},
                {"outcome", "closed"},
                {"resolution", "resolved"},
                {"customer", {{"name", "c" + std::to_string(id)}}}};
  });
  auto d = spawn_desk(writer);
  auto ids = [](const json& body) {
    std::vector<std::string> out;
    for (auto& r : body["requests"])
      out.push_back(r["id"].get<std::string>());
    return out;
  };
  // The desk's own step answers nothing: a reader does the scan, and the
  // desk is free for the live intake meanwhile.
  auto rh =
    self->request(d, infinite,
                  make_message(desk_list_atom::value, uint64_t{12}, uint64_t{2},
                               uint64_t{0}, history_filter{}));
  CAF_REQUIRE(sched.prioritize(d));
  sched.run_once();
  CAF_CHECK(self->mailbox().empty());
  sched.run();
  std::vector<std::string> page1;
  rh.receive([&](std::string& body) { page1 = ids(json::parse(body)); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(page1, (std::vector<std::string>{"300", "200"}));
  // The next page from a cursor (`before`), as the REST API asks for it.
  auto [s2, next] =
    call(d, make_message(desk_list_atom::value, uint64_t{12}, uint64_t{2},
                         uint64_t{200}, history_filter{}));
  CAF_CHECK_EQUAL(s2, 200u);
  CAF_CHECK_EQUAL(ids(next), (std::vector<std::string>{"100"}));
  CAF_CHECK_EQUAL(next["requests"][0]["resolution"], "resolved");
  // Company managers see all; technicians none.
  auto [s3, all] =
    call(d, make_message(desk_list_atom::value, uint64_t{11}, uint64_t{3},
                         uint64_t{0}, history_filter{}));
  CAF_CHECK_EQUAL(ids(all), (std::vector<std::string>{"300", "299", "298"}));
  auto [s4, refused] =
    call(d, make_message(desk_list_atom::value, uint64_t{10}, uint64_t{3},
                         uint64_t{0}, history_filter{}));
  CAF_CHECK_EQUAL(s4, 403u);
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST(a manager narrows the history by portal technician team and time) {
  // 300 finished requests, one a second: odd ids on portal 21, even on 20;
  // Ben (13, team US) handled every hundredth, Anna (10, team EU) the rest.
  store_history(300, [](uint64_t id) {
    return json{{"id", id},
                {"portal_id", id % 2 == 0 ? 20 : 21},
                {"status", "closed"},
                {"created_ms", id * 1000},
                {"technician_id", id % 100 == 0 ? 13 : 10},
                {"customer", {{"name", "c" + std::to_string(id)}}}};
  });
  auto d = spawn_desk(writer);
  auto list = [&](uint64_t user, uint64_t limit, history_filter f) {
    auto [status, body] =
      call(d, make_message(desk_list_atom::value, user, limit, uint64_t{0}, f));
    std::vector<uint64_t> out;
    CAF_CHECK_EQUAL(status, 200u);
    for (auto& r : body["requests"])
      out.push_back(std::stoull(r["id"].get<std::string>()));
    return out;
  };
  using ids = std::vector<uint64_t>;
  // A portal.
  CAF_CHECK_EQUAL(list(11, 3, {21, 0, 0, 0, 0}), (ids{299, 297, 295}));
  // A technician, and a team (Ben is all of US).
  CAF_CHECK_EQUAL(list(11, 5, {0, 13, 0, 0, 0}), (ids{300, 200, 100}));
  CAF_CHECK_EQUAL(list(11, 5, {0, 0, 2, 0, 0}), (ids{300, 200, 100}));
  // A time range [from, to): created at 250 s up to before 253 s.
  CAF_CHECK_EQUAL(list(11, 50, {0, 0, 0, 250'000, 253'000}),
                  (ids{252, 251, 250}));
  // All of them together: Anna's on portal 20 in the first 10 s.
  CAF_CHECK_EQUAL(list(11, 50, {20, 10, 1, 1, 10'001}), (ids{10, 8, 6, 4, 2}));
  // A team manager narrows within their teams only: Anna is not theirs.
  CAF_CHECK_EQUAL(list(12, 50, {0, 10, 0, 0, 0}), ids{});
  CAF_CHECK_EQUAL(list(12, 50, {0, 0, 1, 0, 0}), ids{});
  CAF_CHECK_EQUAL(list(12, 50, {20, 0, 0, 0, 0}), (ids{300, 200, 100}));
  anon_send_exit(d, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
