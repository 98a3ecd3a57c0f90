#define CAF_SUITE actors.account_service

#include "account_service_fixture.hpp"

using namespace openassist::actors;
using account_service_test::fixture;

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
