#define CAF_SUITE actors.account_service

#include "actors/org/account_service.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

namespace {

struct fixture {
  org_account acct;
  account_service svc{acct};
  std::set<std::string> logins; // the global login index, as the actor sees it
  uint64_t boss = 0, lead = 0, eu = 0, tier2 = 0, us = 0;

  fixture() {
    acct.id = "acme";
    org_user cm;
    cm.id = acct.next_id++;
    cm.r = role::company_manager;
    cm.email = "boss@acme.example";
    boss = cm.id;
    acct.users.emplace(cm.id, cm);
    eu = make_team("Support EU", 0);
    tier2 = make_team("Tier 2", eu);
    us = make_team("Support US", 0);
    org_user tm;
    tm.id = acct.next_id++;
    tm.r = role::team_manager;
    tm.email = "lead@acme.example";
    tm.managed_team_ids = {eu};
    lead = tm.id;
    acct.users.emplace(tm.id, tm);
  }

  uint64_t make_team(const std::string& name, uint64_t parent) {
    team t{acct.next_id++, name, parent, {}};
    acct.teams.emplace(t.id, t);
    return t.id;
  }

  op_context ctx(uint64_t caller, std::vector<std::string> passwords = {}) {
    op_context c;
    c.caller_id = caller;
    for (auto& p : passwords)
      c.hashes[p] = "$argon2id$hash-of-" + p;
    c.login_taken = [this](const std::string& kind, const std::string& email) {
      return logins.count(login_key(kind, email)) > 0;
    };
    return c;
  }

  // Runs an op; remembers the login index changes like the actor would.
  op_result run(uint64_t caller, const std::string& op, const json& args) {
    auto res =
      svc.apply(op, args, ctx(caller, account_service::passwords_in(op, args)));
    if (auto* ok = std::get_if<op_outcome>(&res))
      for (auto& o : ok->index_ops) {
        if (o.kind == openassist::storage::op_kind::erase)
          logins.erase(o.key);
        else
          logins.insert(o.key);
      }
    return res;
  }

  json ok(uint64_t caller, const std::string& op, const json& args) {
    auto res = run(caller, op, args);
    if (auto* e = std::get_if<op_error>(&res))
      CAF_FAIL(op << " failed: " << e->code << ": " << e->message);
    return std::get<op_outcome>(res).body;
  }

  std::string error_code(uint64_t caller, const std::string& op,
                         const json& args) {
    auto res = run(caller, op, args);
    if (auto* e = std::get_if<op_error>(&res))
      return e->code;
    return "ok";
  }

  json tech(const std::string& email, uint64_t team) {
    return {{"email", email},
            {"first_name", "Ann"},
            {"last_name", "Lee"},
            {"password", "secret-pw-1"},
            {"team_id", team}};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(account_service_tests, fixture)

CAF_TEST(teams form a tree without cycles) {
  auto qa = ok(boss, "teams.create", {{"name", "QA"}})["id"].get<uint64_t>();
  auto night =
    ok(boss, "teams.create", {{"name", "QA Night"}, {"parent_id", qa}})["id"]
      .get<uint64_t>();
  auto cycle =
    error_code(boss, "teams.update", {{"id", qa}, {"parent_id", night}});
  CAF_CHECK_EQUAL(cycle, "cycle");
  auto self_parent =
    error_code(boss, "teams.update", {{"id", qa}, {"parent_id", qa}});
  CAF_CHECK_EQUAL(self_parent, "cycle");
  auto dup = error_code(boss, "teams.create", {{"name", "qa"}});
  CAF_CHECK_EQUAL(dup, "duplicate_team");
}

CAF_TEST(deleting a team keeps its technicians) {
  auto t = ok(boss, "technicians.create", tech("ann@acme.example", tier2));
  ok(boss, "teams.delete", {{"id", tier2}});
  auto list = ok(boss, "technicians.list", json::object());
  CAF_REQUIRE_EQUAL(list["technicians"].size(), 1u);
  auto team_now = list["technicians"][0]["team_id"].get<uint64_t>();
  CAF_CHECK_EQUAL(team_now, eu);
  auto root_with_people = error_code(boss, "teams.delete", {{"id", eu}});
  CAF_CHECK_EQUAL(root_with_people, "team_not_empty");
}

CAF_TEST(user ids are unique per login kind) {
  ok(boss, "technicians.create", tech("ann@acme.example", eu));
  auto again =
    error_code(boss, "technicians.create", tech("ANN@acme.example", us));
  CAF_CHECK_EQUAL(again, "duplicate_user");
  // A manager login with the same e-mail is a separate identity.
  json mgr = tech("ann@acme.example", eu);
  mgr["role"] = "api_manager";
  auto created = ok(boss, "managers.create", mgr);
  CAF_CHECK_EQUAL(created["kind"], "manager");
}

CAF_TEST(bulk add adds whole lines and rejects bad ones with reasons) {
  std::string text =
    "Support EU, QA, t1@acme.example, Tom, One, password-1, Tom1, x\n"
    ", Support US, t2@acme.example, Tina, Two, password-2, , \n"
    "Support EU, QA, not-an-email, Bad, Line, password-3, , \n"
    "Nowhere, QA, t4@acme.example, Al, Four, password-4, , \n"
    "Support EU, QA, t5@acme.example, Short, Pw, pw, , \n"
    "Support EU, QA, t1@acme.example, Dup, Licate, password-6, , \n";
  auto res = ok(boss, "technicians.bulk", {{"text", text}});
  CAF_CHECK_EQUAL(res["added"], 2);
  CAF_CHECK_EQUAL(res["rejected"], 4);
  auto& results = res["results"];
  CAF_REQUIRE_EQUAL(results.size(), 6u);
  CAF_CHECK_EQUAL(results[0]["status"], "added");
  CAF_CHECK_EQUAL(results[2]["status"], "rejected");
  auto reason = results[2]["reason"].get<std::string>();
  CAF_CHECK_NOT_EQUAL(reason.find("email"), std::string::npos);
  auto parent_reason = results[3]["reason"].get<std::string>();
  CAF_CHECK_NOT_EQUAL(parent_reason.find("Nowhere"), std::string::npos);
  auto pw_reason = results[4]["reason"].get<std::string>();
  CAF_CHECK_NOT_EQUAL(pw_reason.find("password"), std::string::npos);
  auto dup_reason = results[5]["reason"].get<std::string>();
  CAF_CHECK_NOT_EQUAL(dup_reason.find("taken"), std::string::npos);
  // The QA team was created once, under Support EU.
  auto teams = ok(boss, "teams.list", json::object())["teams"];
  int qa = 0;
  for (auto& t : teams)
    if (t["name"] == "QA") {
      ++qa;
      CAF_CHECK_EQUAL(t["parent_id"].get<uint64_t>(), eu);
    }
  CAF_CHECK_EQUAL(qa, 1);
}

CAF_TEST(a line rejected whole creates no team) {
  auto res = ok(boss, "technicians.bulk",
                {{"text", ", Ghost Team, bad-email, A, B, password-1, , "}});
  CAF_CHECK_EQUAL(res["rejected"], 1);
  auto teams = ok(boss, "teams.list", json::object())["teams"];
  for (auto& t : teams)
    CAF_CHECK_NOT_EQUAL(t["name"], "Ghost Team");
}

CAF_TEST(team managers see and manage only their teams) {
  auto teams = ok(lead, "teams.list", json::object())["teams"];
  std::set<std::string> names;
  for (auto& t : teams)
    names.insert(t["name"].get<std::string>());
  CAF_CHECK_EQUAL(names, (std::set<std::string>{"Support EU", "Tier 2"}));
  auto t = ok(boss, "technicians.create", tech("ann@acme.example", us));
  auto hidden = ok(lead, "technicians.list", json::object())["technicians"];
  CAF_CHECK_EQUAL(hidden.size(), 0u);
  auto id = t["id"].get<uint64_t>();
  auto move_foreign =
    error_code(lead, "technicians.move", {{"id", id}, {"team_id", eu}});
  CAF_CHECK_EQUAL(move_foreign, "not_found");
  auto mine = ok(lead, "technicians.create", tech("bob@acme.example", eu));
  auto move_out =
    error_code(lead, "technicians.move", {{"id", mine["id"]}, {"team_id", us}});
  CAF_CHECK_EQUAL(move_out, "bad_field");
  auto moved =
    ok(lead, "technicians.move", {{"id", mine["id"]}, {"team_id", tier2}});
  CAF_CHECK_EQUAL(moved["team_id"].get<uint64_t>(), tier2);
  CAF_CHECK_EQUAL(
    error_code(lead, "managers.create", tech("m@acme.example", eu)),
    "forbidden");
  CAF_CHECK_EQUAL(error_code(lead, "portals.list", json::object()),
                  "forbidden");
}

CAF_TEST(the last company manager stays) {
  CAF_CHECK_EQUAL(error_code(boss, "managers.delete", {{"id", boss}}),
                  "last_company_manager");
  CAF_CHECK_EQUAL(error_code(boss, "managers.update",
                             {{"id", boss}, {"role", "team_manager"}}),
                  "last_company_manager");
  json second = tech("boss2@acme.example", eu);
  second["role"] = "company_manager";
  ok(boss, "managers.create", second);
  ok(boss, "managers.delete", {{"id", boss}});
}

CAF_TEST(effective features with their sources) {
  ok(boss, "teams.update",
     {{"id", eu}, {"features", {{"recording", true}, {"max_sessions", 3}}}});
  auto t = ok(boss, "technicians.create", tech("ann@acme.example", tier2));
  auto id = t["id"].get<uint64_t>();
  ok(boss, "technicians.update", {{"id", id}, {"features", {{"chat", false}}}});
  auto p = ok(boss, "portals.create",
              {{"name", "Help"},
               {"slug", "help"},
               {"features", {{"screen_sharing", false}}}});
  auto f =
    ok(boss, "technicians.features", {{"id", id}, {"portal_id", p["id"]}});
  CAF_CHECK_EQUAL(f["values"]["chat"], false);
  CAF_CHECK_EQUAL(f["sources"]["chat"], "technician");
  // The team grants recording, but this portal does not record.
  CAF_CHECK_EQUAL(f["values"]["recording"], false);
  CAF_CHECK_EQUAL(f["sources"]["recording"], "portal");
  CAF_CHECK_EQUAL(f["values"]["screen_sharing"], false);
  CAF_CHECK_EQUAL(f["sources"]["screen_sharing"], "portal");
  CAF_CHECK_EQUAL(f["values"]["max_sessions"], 3);
  // null removes an override: back to inherited.
  ok(boss, "technicians.update",
     {{"id", id}, {"features", {{"chat", nullptr}}}});
  auto again = ok(boss, "technicians.features", {{"id", id}});
  CAF_CHECK_EQUAL(again["values"]["chat"], true);
  CAF_CHECK_EQUAL(again["sources"]["chat"], "default");
  CAF_CHECK_EQUAL(again["values"]["recording"], true);
  CAF_CHECK_EQUAL(again["sources"]["recording"], "team:Support EU");
}

CAF_TEST(validation names the field) {
  auto res = run(boss, "technicians.create", tech("ann@acme.example", 999));
  auto* e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "team_id");
  json bad_feature = tech("ann@acme.example", eu);
  bad_feature["features"] = {{"teleport", true}};
  res = run(boss, "technicians.create", bad_feature);
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "features.teleport");
  res = run(boss, "portals.create", {{"name", "X"}, {"slug", "Bad Slug"}});
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "slug");
  res = run(
    boss, "portals.create",
    {{"name", "X"}, {"slug", "x1"}, {"mode", "phone"}, {"type", "smartbox"}});
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "type");
}

CAF_TEST(reports reach back no further than data is kept) {
  auto a = ok(boss, "account.get", json::object());
  CAF_CHECK_EQUAL(a["retention_days"], 365);
  CAF_CHECK_EQUAL(a["report_days"], 90);
  a = ok(boss, "account.update", {{"retention_days", 30}, {"report_days", 20}});
  CAF_CHECK_EQUAL(a["report_days"], 20);
  auto res = run(boss, "account.update", {{"report_days", 31}});
  auto* e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "report_days");
  CAF_CHECK_EQUAL(e->max, 30);
  // Both at once: the new retention is the bound; a refusal changes nothing.
  CAF_CHECK_EQUAL(error_code(boss, "account.update",
                             {{"retention_days", 50}, {"report_days", 60}}),
                  "bad_field");
  a = ok(boss, "account.get", json::object());
  CAF_CHECK_EQUAL(a["retention_days"], 30);
  a = ok(boss, "account.update", {{"retention_days", 50}, {"report_days", 45}});
  CAF_CHECK_EQUAL(a["report_days"], 45);
  a = ok(boss, "account.update", {{"retention_days", 10}});
  CAF_CHECK_EQUAL(a["report_days"], 10);
  CAF_CHECK_EQUAL(error_code(boss, "account.update", {{"report_days", 0}}),
                  "bad_field");
  CAF_CHECK_EQUAL(error_code(boss, "account.update", {{"report_days", "9"}}),
                  "bad_field");
}

CAF_TEST(errors carry the broken rule for translation) {
  auto res = run(boss, "teams.create", {{"name", std::string(101, 'x')}});
  auto* e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->rule, "length");
  CAF_CHECK_EQUAL(e->min, 1);
  CAF_CHECK_EQUAL(e->max, 100);
  res =
    run(boss, "technicians.create", {{"first_name", "A"}, {"last_name", "B"}});
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->rule, "required");
  res = run(boss, "technicians.create", tech("not-an-email", eu));
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->rule, "email");
  res = run(boss, "technicians.create", tech("a@acme.example", 4242));
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->rule, "unknown");
}

CAF_TEST(portals keep the fields they ask customers for) {
  auto p = ok(boss, "portals.create", {{"name", "Help"}, {"slug", "help"}});
  CAF_CHECK_EQUAL(p["fields"].size(), 3u);
  json fields = {
    {{"key", "name"}, {"label", "Name"}, {"type", "text"}, {"required", true}},
    {{"key", "topic"},
     {"label", "Topic"},
     {"type", "skill"},
     {"choices", {"windows", "printers"}}}};
  auto updated =
    ok(boss, "portals.update", {{"id", p["id"]}, {"fields", fields}});
  CAF_CHECK_EQUAL(updated["fields"].size(), 2u);
  CAF_CHECK_EQUAL(updated["fields"][1]["choices"][1], "printers");
  json dup = {{{"key", "a"}, {"label", "A"}, {"type", "text"}},
              {{"key", "a"}, {"label", "B"}, {"type", "text"}}};
  auto res = run(boss, "portals.update", {{"id", p["id"]}, {"fields", dup}});
  auto* e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->field, "fields[1].key");
  json bad_type = {{{"key", "a"}, {"label", "A"}, {"type", "video"}}};
  res = run(boss, "portals.update", {{"id", p["id"]}, {"fields", bad_type}});
  e = std::get_if<op_error>(&res);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->rule, "choice");
}

CAF_TEST(portals answer open or closed from their business hours) {
  json weekly = json::array();
  for (int day = 1; day <= 5; ++day)
    weekly.push_back({{"day", day}, {"open", "09:00"}, {"close", "17:00"}});
  auto hours =
    ok(boss, "hours.create",
       {{"name", "Office"},
        {"weekly", weekly},
        {"special_days", {{{"date", "2026-12-25"}, {"name", "Christmas"}}}}});
  CAF_CHECK_EQUAL(hours["weekly"][0]["open"], "09:00");
  auto p = ok(boss, "portals.create",
              {{"name", "Help"},
               {"slug", "help"},
               {"time_zone", "Europe/Berlin"},
               {"hours_id", hours["id"]}});
  auto state_at = [&](int64_t now) {
    auto c = ctx(boss);
    c.now_unix = now;
    auto res = svc.apply("portals.open_state", {{"id", p["id"]}}, c);
    return std::get<op_outcome>(res).body;
  };
  // Saturday 2026-03-28 20:00 CET: next opening Monday 2026-03-30 09:00 CEST
  // (07:00 UTC), after the switch to summer time.
  auto sat = state_at(1774724400);
  CAF_CHECK_EQUAL(sat["open"], false);
  CAF_CHECK_EQUAL(sat["reason"], "outside_hours");
  CAF_CHECK_EQUAL(sat["next_change"].get<int64_t>(), 1774854000);
  // Friday 2026-12-25 10:00 CET: Christmas.
  auto xmas = state_at(1798189200);
  CAF_CHECK_EQUAL(xmas["open"], false);
  CAF_CHECK_EQUAL(xmas["reason"], "holiday:Christmas");
  auto bad = error_code(
    boss, "hours.create",
    {{"name", "Bad"},
     {"weekly", {{{"day", 1}, {"open", "18:00"}, {"close", "09:00"}}}}});
  CAF_CHECK_EQUAL(bad, "bad_field");
  CAF_CHECK_EQUAL(error_code(boss, "hours.delete", {{"id", hours["id"]}}),
                  "in_use");
  CAF_CHECK_EQUAL(error_code(lead, "hours.list", json::object()), "forbidden");
}

CAF_TEST(the organisation survives its storage form) {
  ok(boss, "technicians.create", tech("ann@acme.example", tier2));
  ok(boss, "portals.create", {{"name", "Help"}, {"slug", "help"}});
  auto stored = to_storage_json(acct);
  auto back = from_storage_json(json::parse(stored.dump()));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK_EQUAL(to_storage_json(*back), stored);
  // Public forms never carry password hashes.
  for (auto& [id, u] : back->users)
    CAF_CHECK(!public_json(u).contains("password_hash"));
}

CAF_TEST_FIXTURE_SCOPE_END()

// -- dashboard monitors (docs/dashboards.md)

CAF_TEST_FIXTURE_SCOPE(monitor_ops, fixture)

CAF_TEST(managers add rename restart and remove monitors every manager sees) {
  auto c = ctx(boss);
  c.now_unix = 1'764'000'000;
  auto made =
    svc.apply("monitors.create", {{"name", "Queue"}, {"kind", "waiting"}}, c);
  auto* ok = std::get_if<op_outcome>(&made);
  CAF_REQUIRE(ok != nullptr);
  CAF_CHECK_EQUAL(ok->status, 201u);
  CAF_CHECK_EQUAL(ok->body.value("kind", ""), "waiting");
  CAF_CHECK_EQUAL(ok->body.value("started_at", int64_t{0}),
                  int64_t{1'764'000'000'000});
  CAF_CHECK_EQUAL(ok->body.value("stops_at", int64_t{0}),
                  int64_t{1'764'000'000'000} + monitor_run_ms);
  CAF_CHECK_EQUAL(ok->body.value("running", false), true);
  CAF_REQUIRE_EQUAL(ok->audit.size(), 1u);
  CAF_CHECK_EQUAL(ok->audit[0].action, "monitor.create");
  auto id = ok->body.value("id", "");
  // The team manager sees it and may rename and restart it.
  auto lc = ctx(lead);
  lc.now_unix = 1'764'000'100;
  auto listed = std::get<op_outcome>(svc.apply("monitors.list", {}, lc));
  CAF_REQUIRE_EQUAL(listed.body["monitors"].size(), 1u);
  auto renamed = std::get<op_outcome>(
    svc.apply("monitors.update", {{"id", id}, {"name", "Waiting"}}, lc));
  CAF_CHECK_EQUAL(renamed.body.value("name", ""), "Waiting");
  auto restarted =
    std::get<op_outcome>(svc.apply("monitors.restart", {{"id", id}}, lc));
  CAF_CHECK_EQUAL(restarted.body.value("started_at", int64_t{0}),
                  int64_t{1'764'000'100'000});
  // Twelve hours later it is not running.
  c.now_unix = 1'764'000'100 + monitor_run_ms / 1000;
  auto later = std::get<op_outcome>(svc.apply("monitors.list", {}, c));
  CAF_CHECK_EQUAL(later.body["monitors"][0].value("running", true), false);
  auto removed =
    std::get<op_outcome>(svc.apply("monitors.delete", {{"id", id}}, c));
  CAF_CHECK_EQUAL(removed.status, 204u);
  CAF_CHECK(acct.monitors.empty());
}

CAF_TEST(a monitor runs as long as the node said when it was added or
         restarted) {
  auto c = ctx(boss);
  c.now_unix = 1'764'000'000;
  c.monitor_run_ms = 10'000;
  auto made = std::get<op_outcome>(svc.apply(
    "monitors.create", {{"name", "Short"}, {"kind", "technicians"}}, c));
  CAF_CHECK_EQUAL(made.body.value("stops_at", int64_t{0}),
                  int64_t{1'764'000'010'000});
  auto id = made.body.value("id", "");
  // The setting is kept with the monitor (a node restarted with another one
  // does not move the stop of a running monitor), and survives storage.
  auto stored = from_storage_json(to_storage_json(acct));
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->monitors.begin()->second.run_ms, 10'000);
  c.now_unix = 1'764'000'011;
  auto listed = std::get<op_outcome>(svc.apply("monitors.list", {}, c));
  CAF_CHECK_EQUAL(listed.body["monitors"][0].value("running", true), false);
  c.monitor_run_ms = 20'000;
  auto restarted =
    std::get<op_outcome>(svc.apply("monitors.restart", {{"id", id}}, c));
  CAF_CHECK_EQUAL(restarted.body.value("stops_at", int64_t{0}),
                  int64_t{1'764'000'031'000});
  CAF_CHECK_EQUAL(restarted.body.value("running", false), true);
}

CAF_TEST(bad monitor input is refused naming the field) {
  auto c = ctx(boss);
  auto code = [&](const std::string& op, const json& args) {
    auto res = svc.apply(op, args, c);
    auto* e = std::get_if<op_error>(&res);
    return e ? e->code + "/" + e->field : std::string{"ok"};
  };
  CAF_CHECK_EQUAL(code("monitors.create", {{"kind", "waiting"}}),
                  "bad_field/name");
  CAF_CHECK_EQUAL(code("monitors.create",
                       {{"name", std::string(101, 'x')}, {"kind", "waiting"}}),
                  "bad_field/name");
  CAF_CHECK_EQUAL(code("monitors.create", {{"name", "x"}, {"kind", "queue"}}),
                  "bad_field/kind");
  CAF_CHECK_EQUAL(code("monitors.update", {{"id", "99"}, {"name", "x"}}),
                  "not_found/");
  CAF_CHECK_EQUAL(code("monitors.create", {{"name", "x"}, {"kind", "active"}}),
                  "ok");
  auto id = std::to_string(acct.monitors.begin()->first);
  CAF_CHECK_EQUAL(
    code("monitors.update", {{"id", id}, {"name", "x"}, {"kind", "waiting"}}),
    "bad_field/kind");
  for (size_t i = acct.monitors.size(); i < max_monitors; ++i)
    CAF_CHECK_EQUAL(
      code("monitors.create", {{"name", "m"}, {"kind", "technicians"}}), "ok");
  CAF_CHECK_EQUAL(code("monitors.create", {{"name", "m"}, {"kind", "waiting"}}),
                  "limit/");
}

CAF_TEST(who watches sessions is for company managers) {
  auto c = ctx(boss);
  auto made = std::get<op_outcome>(svc.apply(
    "monitors.create", {{"name", "Watchers"}, {"kind", "managers"}}, c));
  auto id = made.body.value("id", "");
  auto lc = ctx(lead);
  auto refused =
    svc.apply("monitors.create", {{"name", "Mine"}, {"kind", "managers"}}, lc);
  auto* e = std::get_if<op_error>(&refused);
  CAF_REQUIRE(e != nullptr);
  CAF_CHECK_EQUAL(e->status, 403u);
  auto listed = std::get<op_outcome>(svc.apply("monitors.list", {}, lc));
  CAF_CHECK(listed.body["monitors"].empty());
  auto hidden = svc.apply("monitors.delete", {{"id", id}}, lc);
  CAF_CHECK(std::holds_alternative<op_error>(hidden));
  CAF_CHECK_EQUAL(acct.monitors.size(), 1u);
}

CAF_TEST(monitors survive storage) {
  auto c = ctx(boss);
  c.now_unix = 1'764'000'000;
  svc.apply("monitors.create", {{"name", "Team"}, {"kind", "technicians"}}, c);
  auto back = from_storage_json(to_storage_json(acct));
  CAF_REQUIRE(back.has_value());
  CAF_REQUIRE_EQUAL(back->monitors.size(), 1u);
  auto& m = back->monitors.begin()->second;
  CAF_CHECK_EQUAL(m.name, "Team");
  CAF_CHECK_EQUAL(m.kind, "technicians");
  CAF_CHECK_EQUAL(m.created_by, boss);
  CAF_CHECK_EQUAL(m.started_ms, int64_t{1'764'000'000'000});
}

CAF_TEST_FIXTURE_SCOPE_END()

// -- saved reports ("my reports", docs/reports.md)

CAF_TEST_FIXTURE_SCOPE(saved_report_ops, fixture)

CAF_TEST(a manager saves edits runs and deletes their own reports) {
  auto saved = ok(boss, "reports.create",
                  {{"name", " Weekly EU "},
                   {"kind", "snapshot"},
                   {"period", "last_7_days"},
                   {"team_id", std::to_string(eu)}});
  auto id = saved.value("id", "");
  CAF_CHECK_EQUAL(saved.value("name", ""), "Weekly EU");
  CAF_CHECK_EQUAL(saved.value("team_id", ""), std::to_string(eu));
  CAF_CHECK_EQUAL(saved.value("portal_id", "x"), "");
  auto listed = ok(boss, "reports.list", json::object());
  CAF_REQUIRE_EQUAL(listed["saved_reports"].size(), 1u);
  // Fixed days; back to a relative period forgets them; "" is any team.
  auto days = ok(boss, "reports.update",
                 {{"id", id},
                  {"period", "days"},
                  {"from", "2026-11-01"},
                  {"to", "2026-11-30"},
                  {"team_id", ""}});
  CAF_CHECK_EQUAL(days.value("from", ""), "2026-11-01");
  CAF_CHECK_EQUAL(days.value("team_id", "x"), "");
  auto back = ok(boss, "reports.update", {{"id", id}, {"period", "yesterday"}});
  CAF_CHECK_EQUAL(back.value("from", "x"), "");
  CAF_CHECK_EQUAL(back.value("kind", ""), "snapshot");
  // Another manager neither sees nor touches it.
  CAF_CHECK(ok(lead, "reports.list", json::object())["saved_reports"].empty());
  CAF_CHECK_EQUAL(
    error_code(lead, "reports.update", {{"id", id}, {"name", "x"}}),
    "not_found");
  CAF_CHECK_EQUAL(error_code(lead, "reports.delete", {{"id", id}}),
                  "not_found");
  CAF_CHECK_EQUAL(error_code(boss, "reports.delete", {{"id", id}}), "ok");
  CAF_CHECK(acct.saved_reports.empty());
}

CAF_TEST(bad saved report input is refused naming the field) {
  auto c = ctx(boss);
  auto code = [&](const json& args) {
    auto res = svc.apply("reports.create", args, c);
    auto* e = std::get_if<op_error>(&res);
    return e ? e->code + "/" + e->field : std::string{"ok"};
  };
  json good = {{"name", "R"}, {"kind", "sessions"}, {"period", "today"}};
  auto with = [&](const char* key, json value) {
    auto args = good;
    args[key] = std::move(value);
    return args;
  };
  CAF_CHECK_EQUAL(code(good), "ok");
  CAF_CHECK_EQUAL(code(with("name", "   ")), "bad_field/name");
  CAF_CHECK_EQUAL(code(with("kind", "everything")), "bad_field/kind");
  CAF_CHECK_EQUAL(code(with("period", "forever")), "bad_field/period");
  auto fixed = with("period", "days");
  CAF_CHECK_EQUAL(code(fixed), "bad_field/from");
  fixed["from"] = "2026-02-29"; // not a leap year
  fixed["to"] = "2026-03-01";
  CAF_CHECK_EQUAL(code(fixed), "bad_field/from");
  fixed["from"] = "2028-02-29";
  fixed["to"] = "2028-02-28";
  CAF_CHECK_EQUAL(code(fixed), "bad_field/to");
  CAF_CHECK_EQUAL(code(with("portal_id", "77")), "bad_field/portal_id");
  CAF_CHECK_EQUAL(code(with("technician_id", std::to_string(lead))),
                  "bad_field/technician_id");
  CAF_CHECK_EQUAL(code(with("team_id", "x1")), "bad_field/team_id");
  CAF_CHECK_EQUAL(code(with("schedule", "hourly")), "bad_field/schedule");
  CAF_CHECK_EQUAL(code(with("send_at", 1440)), "bad_field/send_at");
  CAF_CHECK_EQUAL(code(with("send_at", "06:00")), "bad_field/send_at");
  CAF_CHECK_EQUAL(code(with("email", "not-an-address")), "bad_field/email");
  // A technician has no reports to save.
  org_user t;
  t.id = acct.next_id++;
  t.r = role::technician;
  acct.users.emplace(t.id, t);
  CAF_CHECK_EQUAL(error_code(t.id, "reports.create", good), "forbidden");
  // At most max_saved_reports each.
  for (size_t i = acct.saved_reports.size(); i < max_saved_reports; ++i)
    CAF_CHECK_EQUAL(code(good), "ok");
  CAF_CHECK_EQUAL(code(good), "limit/");
  CAF_CHECK_EQUAL(error_code(lead, "reports.create", good), "ok");
  auto stored = from_storage_json(to_storage_json(acct));
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->saved_reports.size(), max_saved_reports + 1);
}

CAF_TEST(a schedule starts from when it is set and deliveries only move on) {
  auto c = ctx(boss);
  c.now_unix = 1'796'000'000;
  auto made = std::get<op_outcome>(svc.apply("reports.create",
                                             {{"name", "Daily"},
                                              {"kind", "snapshot"},
                                              {"period", "yesterday"},
                                              {"schedule", "daily"},
                                              {"send_at", 450},
                                              {"email", " Ops@Example.com "}},
                                             c));
  auto id = made.body.value("id", "");
  CAF_CHECK_EQUAL(made.body.value("email", ""), "ops@example.com");
  CAF_CHECK_EQUAL(made.body.value("delivered_at", int64_t{0}),
                  int64_t{1'796'000'000'000});
  auto& r = acct.saved_reports.begin()->second;
  auto delivered = [&](int64_t slot) {
    return svc.apply("reports.delivered", {{"id", id}, {"slot_ms", slot}}, c);
  };
  CAF_CHECK(std::holds_alternative<op_outcome>(delivered(1'796'100'000'000)));
  CAF_CHECK_EQUAL(r.delivered_ms, int64_t{1'796'100'000'000});
  // An older slot (a late answer) does not move it back.
  auto late = std::get<op_outcome>(delivered(1'796'050'000'000));
  CAF_CHECK(!late.changed);
  CAF_CHECK_EQUAL(r.delivered_ms, int64_t{1'796'100'000'000});
  // A name change keeps the schedule's place; a new time restarts it.
  c.now_unix = 1'796'200'000;
  svc.apply("reports.update", {{"id", id}, {"name", "Daily 2"}}, c);
  CAF_CHECK_EQUAL(r.delivered_ms, int64_t{1'796'100'000'000});
  svc.apply("reports.update", {{"id", id}, {"send_at", 480}}, c);
  CAF_CHECK_EQUAL(r.delivered_ms, int64_t{1'796'200'000'000});
  // Only the owner's deliveries are recorded.
  auto other =
    svc.apply("reports.delivered",
              {{"id", id}, {"slot_ms", int64_t{1'797'000'000'000}}}, ctx(lead));
  CAF_CHECK(std::holds_alternative<op_error>(other));
}

CAF_TEST_FIXTURE_SCOPE_END()
