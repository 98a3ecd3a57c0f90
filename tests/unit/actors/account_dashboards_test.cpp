#define CAF_SUITE actors.account_service

// The account service's dashboard monitors and saved reports.
#include "account_service_fixture.hpp"

using namespace openassist::actors;
using account_service_test::fixture;

// -- dashboard monitors (docs/dashboards.md)

CAF_TEST_FIXTURE_SCOPE(monitor_ops, fixture)

CAF_TEST(managers add rename restart and remove monitors every manager sees) {
  auto c = ctx(boss);
  c.now_unix = 1'764'000'000;
  auto made =
    svc.apply("monitors.create", {{"name", "Queue"}, {"kind", "waiting"}}, c);
  auto* ok = std::get_if<op_outcome>(&made);
  CAF_REQUIRE(ok != nullptr);
  CAF_CHECK(ok->created);
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
  CAF_CHECK(removed.body.is_null());
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
  CAF_CHECK(e->kind == errc::forbidden);
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
