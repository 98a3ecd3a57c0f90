#define CAF_SUITE actors.monitor
// A dashboard monitor (docs/dashboards.md): its table and who sees which
// rows (monitor_table), and the actor: watch, updates, stop, removal.

#include "actors/dashboard/monitor.hpp"

#include <map>
#include <optional>

#include <caf/test/dsl.hpp>

#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "fake_auth.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;
using openassist::actors::test_doubles::fake_auth;

namespace {

constexpr int64_t t0 = 1'764'000'000'000;

dashboard_technician tech(uint64_t id, uint64_t team, std::string status) {
  dashboard_technician t;
  t.id = id;
  t.name = "Tech " + std::to_string(id);
  t.team_id = team;
  t.status = std::move(status);
  t.since_ms = t0;
  t.max = 3;
  return t;
}

dashboard_request req(uint64_t id, std::string status, uint64_t tech_team = 0,
                      std::vector<uint64_t> portal_teams = {}) {
  dashboard_request r;
  r.id = id;
  r.portal_id = 1;
  r.portal_name = "Help";
  r.customer_name = "Maria";
  r.status = std::move(status);
  r.created_ms = t0;
  r.updated_ms = t0;
  r.technician_id = tech_team ? 50 : 0;
  r.technician_team_id = tech_team;
  r.portal_team_ids = std::move(portal_teams);
  return r;
}

// A request as the service level counts it: created at `created`, answered
// after `wait` (none: not answered), ended or not.
dashboard_request level(uint64_t id, uint64_t portal, int64_t created,
                        std::optional<int64_t> wait, bool ended,
                        std::vector<uint64_t> portal_teams = {}) {
  auto r = req(id, ended ? "gone" : wait ? "active" : "waiting");
  r.portal_id = portal;
  r.portal_name = portal == 1 ? "Help" : "Sales";
  r.created_ms = created;
  r.portal_team_ids = std::move(portal_teams);
  r.facts.created = created;
  r.facts.answered = wait ? created + *wait : 0;
  r.facts.ended = ended;
  r.facts.closed = ended ? created + 600'000 : 0;
  r.facts.abandoned = ended && !wait;
  return r;
}

// 2025-11-24 00:00 UTC: the day of t0 (16:00 UTC).
constexpr int64_t day0 = t0 - 16 * 3'600'000;

dashboard_monitor config(std::string kind, int64_t started = t0) {
  return {7, "Queue", std::move(kind), 1, started};
}

dashboard_feed full(std::string kind) {
  dashboard_feed f;
  f.full = true;
  f.whole_roster = true;
  f.config = config(std::move(kind));
  f.technicians = {tech(10, 100, "available"), tech(11, 200, "away")};
  f.requests = {req(1, "waiting", 0, {100}), req(2, "waiting", 0, {200}),
                req(3, "active", 100)};
  return f;
}

const dashboard_scope everything{true, {}};
const dashboard_scope team_100{false, {100}};

std::vector<std::string> keys_of(const json& rows) {
  std::vector<std::string> out;
  for (auto& r : rows)
    out.push_back(r["key"].get<std::string>());
  return out;
}

std::vector<std::string> visible(const dashboard::monitor_table& t,
                                 const dashboard_scope& s) {
  std::set<std::string> keys;
  return keys_of(t.rows(s, keys));
}

} // namespace

CAF_TEST(a table keeps the rows of its kind) {
  dashboard::monitor_table waiting{"waiting"};
  waiting.apply(full("waiting"));
  CAF_CHECK_EQUAL(visible(waiting, everything),
                  (std::vector<std::string>{"r1", "r2"}));
  dashboard::monitor_table active{"active"};
  active.apply(full("active"));
  CAF_CHECK_EQUAL(visible(active, everything),
                  (std::vector<std::string>{"r3"}));
  auto row = active.row("r3");
  CAF_CHECK_EQUAL(row.value("technician_id", 0), 50);
  CAF_CHECK_EQUAL(row.value("started_at", int64_t{0}), t0);
  dashboard::monitor_table techs{"technicians"};
  techs.apply(full("technicians"));
  CAF_CHECK_EQUAL(visible(techs, everything),
                  (std::vector<std::string>{"t10", "t11"}));
  CAF_CHECK_EQUAL(techs.row("t11").value("status", ""), "away");
  CAF_CHECK(techs.row("t99").is_null());
  CAF_CHECK(techs.row("x").is_null());
}

CAF_TEST(a team manager sees the rows of their teams) {
  dashboard::monitor_table waiting{"waiting"};
  waiting.apply(full("waiting"));
  // r1's portal is served by team 100; r2's by team 200 only.
  CAF_CHECK_EQUAL(visible(waiting, team_100), (std::vector<std::string>{"r1"}));
  dashboard::monitor_table techs{"technicians"};
  techs.apply(full("technicians"));
  CAF_CHECK_EQUAL(visible(techs, team_100), (std::vector<std::string>{"t10"}));
  dashboard::monitor_table active{"active"};
  active.apply(full("active"));
  CAF_CHECK_EQUAL(visible(active, team_100), (std::vector<std::string>{"r3"}));
  CAF_CHECK(!active.visible("r3", dashboard_scope{false, {200}}));
}

CAF_TEST(a change says which rows changed and which went) {
  dashboard::monitor_table waiting{"waiting"};
  waiting.apply(full("waiting"));
  dashboard_feed f;
  f.config = config("waiting");
  f.requests = {req(1, "assigned", 100), req(4, "waiting")};
  auto c = waiting.apply(f);
  CAF_CHECK_EQUAL(c.gone, (std::set<std::string>{"r1"}));
  CAF_CHECK_EQUAL(c.changed, (std::set<std::string>{"r4"}));
  // A request it never showed changes nothing.
  f.requests = {req(9, "closed")};
  CAF_CHECK(waiting.apply(f).empty());
  // The whole roster without a technician: that one is gone.
  dashboard::monitor_table techs{"technicians"};
  techs.apply(full("technicians"));
  dashboard_feed roster;
  roster.whole_roster = true;
  roster.technicians = {tech(10, 100, "busy")};
  auto r = techs.apply(roster);
  CAF_CHECK_EQUAL(r.gone, (std::set<std::string>{"t11"}));
  CAF_CHECK_EQUAL(r.changed, (std::set<std::string>{"t10"}));
  CAF_CHECK_EQUAL(techs.size(), 1u);
}

namespace {

struct inbox {
  std::vector<json> messages;
  std::vector<json> of(const std::string& type) const {
    std::vector<json> out;
    for (auto& m : messages)
      if (m["type"] == type)
        out.push_back(m);
    return out;
  }
};

behavior viewer(event_based_actor*, std::shared_ptr<inbox> box) {
  return {[box](desk_push_atom, const std::string& text) {
    box->messages.push_back(json::parse(text));
  }};
}

// The desk as a monitor sees it: answers the subscription with `picture`;
// user 1 sees everything, user 2 team 100, user 3 is a technician.
struct fake_desk_state {
  std::vector<actor> monitors;
  dashboard_feed picture;
  bool knows_monitor = true;
  std::vector<dashboard_request> history; ///< what is stored (service level)
  std::vector<int64_t> history_from;      ///< the days it was asked for
};

behavior fake_desk(stateful_actor<fake_desk_state>* self, dashboard_feed f,
                   bool knows_monitor, std::vector<dashboard_request> history) {
  self->state.picture = std::move(f);
  self->state.knows_monitor = knows_monitor;
  self->state.history = std::move(history);
  return {
    [self](desk_dash_history_atom, uint64_t, int64_t from_ms) {
      self->state.history_from.push_back(from_ms);
      return self->state.history;
    },
    [self](desk_dash_feed_atom, uint64_t,
           const actor& m) -> result<dashboard_feed> {
      if (!self->state.knows_monitor)
        return make_error(errc::not_found, "no such monitor");
      self->state.monitors.push_back(m);
      return self->state.picture;
    },
    [](desk_dash_scope_atom, uint64_t user) -> result<dashboard_scope> {
      if (user == 1)
        return dashboard_scope{true, {}};
      if (user == 2)
        return dashboard_scope{false, {100}};
      return make_error(errc::forbidden, "managers only");
    },
  };
}

struct fixture : test_coordinator_fixture<> {
  cluster::directory_actor directory;
  auth_actor auth;
  std::shared_ptr<int64_t> clock = std::make_shared<int64_t>(t0 + 1000);
  std::vector<actor> spawned;

  fixture() {
    auth = sys.spawn(fake_auth);
    sched.run();
  }

  ~fixture() {
    for (auto& a : spawned)
      anon_send_exit(a, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    anon_send_exit(auth, exit_reason::user_shutdown);
    sched.run();
  }

  actor spawn_monitor(dashboard_feed picture, bool knows = true,
                      bool run = true,
                      std::vector<dashboard_request> history = {}) {
    cluster::directory_config dcfg;
    dcfg.factories.emplace(
      "desk", [picture, knows, history](actor_system& s, const std::string&) {
        return s.spawn(fake_desk, picture, knows, history);
      });
    directory = sys.spawn(cluster::directory, dcfg);
    monitor_config cfg;
    cfg.account = "acme";
    cfg.id = 7;
    cfg.directory = directory;
    cfg.auth = auth;
    cfg.now_ms = [c = clock] { return *c; };
    auto m = sys.spawn(monitor_actor, cfg);
    if (run)
      sched.run();
    return m;
  }

  /// Whether `m` quit once its linger ran out (a request to it then fails
  /// as undeliverable).
  bool gone(const actor& m) {
    sched.trigger_timeouts();
    sched.run();
    bool down = false;
    auto rh = self->request(m, infinite, dashboard_watch_atom::value, actor{},
                            std::string{"acme-1"});
    sched.run();
    rh.receive([](std::string&) {},
               [&](error& err) { down = err == sec::request_receiver_down; });
    return down;
  }

  /// A viewer's connection watching `m` with `login`; the answer's text.
  std::pair<std::shared_ptr<inbox>, json> watch(actor m, std::string login) {
    auto box = std::make_shared<inbox>();
    auto conn = sys.spawn(viewer, box);
    spawned.push_back(conn);
    json answer;
    auto rh = self->request(m, infinite, dashboard_watch_atom::value, conn,
                            std::move(login));
    sched.run();
    rh.receive([&](std::string& text) { answer = json::parse(text); },
               [&](error& err) {
                 answer = {{"error", code_of(err)}};
               });
    return {box, answer};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(monitor_tests, fixture)

CAF_TEST(a viewer gets the whole table then what changed) {
  auto m = spawn_monitor(full("waiting"));
  auto [box, state] = watch(m, "acme-1");
  CAF_REQUIRE_EQUAL(state.value("type", ""), "dashboard.state");
  CAF_CHECK_EQUAL(state.value("monitor_id", ""), "7");
  CAF_CHECK_EQUAL(state["monitor"].value("running", false), true);
  CAF_CHECK_EQUAL(state["monitor"].value("kind", ""), "waiting");
  CAF_CHECK_EQUAL(keys_of(state["rows"]),
                  (std::vector<std::string>{"r1", "r2"}));
  // A team manager sees their teams' part.
  auto [lead_box, lead_state] = watch(m, "acme-2");
  CAF_CHECK_EQUAL(keys_of(lead_state["rows"]),
                  (std::vector<std::string>{"r1"}));
  // A change: pushed once after flush_every, to each as they may see it.
  dashboard_feed f;
  f.config = config("waiting");
  f.requests = {req(2, "assigned", 200), req(5, "waiting", 0, {100})};
  anon_send(m, dashboard_feed_atom::value, f);
  sched.run();
  CAF_CHECK(box->of("dashboard.update").empty());
  sched.trigger_timeouts();
  sched.run();
  auto updates = box->of("dashboard.update");
  CAF_REQUIRE_EQUAL(updates.size(), 1u);
  CAF_CHECK_EQUAL(keys_of(updates[0]["rows"]),
                  (std::vector<std::string>{"r5"}));
  CAF_CHECK_EQUAL(updates[0]["removed"], json::array({"r2"}));
  auto lead_updates = lead_box->of("dashboard.update");
  CAF_REQUIRE_EQUAL(lead_updates.size(), 1u);
  CAF_CHECK_EQUAL(keys_of(lead_updates[0]["rows"]),
                  (std::vector<std::string>{"r5"}));
  // r2 was never the lead's: nothing to remove for them.
  CAF_CHECK_EQUAL(lead_updates[0]["removed"], json::array());
  anon_send_exit(m, exit_reason::user_shutdown);
}

CAF_TEST(only managers of the account may watch) {
  auto m = spawn_monitor(full("technicians"));
  for (auto login : {"acme-3", "evil-1", "nobody", ""}) {
    auto [box, answer] = watch(m, login);
    CAF_CHECK_EQUAL(answer.value("error", 0),
                    static_cast<int>(errc::not_found));
  }
  anon_send_exit(m, exit_reason::user_shutdown);
}

CAF_TEST(a monitor stops after its twelve hours and says so) {
  auto m = spawn_monitor(full("technicians"));
  auto [box, state] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(state["monitor"].value("stops_at", int64_t{0}),
                  t0 + monitor_run_ms);
  *clock = t0 + monitor_run_ms;
  sched.trigger_timeouts();
  sched.run();
  auto stopped = box->of("dashboard.stopped");
  CAF_REQUIRE_EQUAL(stopped.size(), 1u);
  CAF_CHECK_EQUAL(stopped[0].value("reason", ""), "timeout");
  // The actor is gone.
  CAF_CHECK(gone(m));
}

CAF_TEST(a restart while a stopped monitor lingers keeps it running) {
  auto m = spawn_monitor(full("technicians"));
  auto [box, state] = watch(m, "acme-1");
  *clock = t0 + monitor_run_ms;
  sched.trigger_timeouts();
  sched.run();
  CAF_REQUIRE_EQUAL(box->of("dashboard.stopped").size(), 1u);
  auto restarted = full("technicians");
  restarted.full = true;
  restarted.config.started_ms = *clock;
  anon_send(m, dashboard_feed_atom::value, restarted);
  sched.run();
  CAF_CHECK(!gone(m));
  auto [again, fresh] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(fresh["monitor"].value("running", false), true);
  CAF_CHECK(!fresh["rows"].empty());
  anon_send_exit(m, exit_reason::user_shutdown);
}

CAF_TEST(a viewer of a stopped monitor is told of its restart) {
  auto m = spawn_monitor(full("technicians"));
  auto [box, state] = watch(m, "acme-1");
  *clock = t0 + monitor_run_ms;
  sched.trigger_timeouts();
  sched.run();
  CAF_REQUIRE_EQUAL(box->of("dashboard.stopped").size(), 1u);
  // The page that restarted it watches again before the monitor hears of
  // the restart (the race): still stopped.
  auto [again, early] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(early["monitor"].value("running", true), false);
  // The restart reaches the monitor as a change of its configuration (not
  // a whole picture); that viewer gets the whole table, running.
  auto restarted = full("technicians");
  restarted.full = false;
  restarted.config.started_ms = *clock;
  anon_send(m, dashboard_feed_atom::value, restarted);
  sched.run();
  auto states = again->of("dashboard.state");
  CAF_REQUIRE(!states.empty());
  CAF_CHECK_EQUAL(states.back()["monitor"].value("running", false), true);
  CAF_CHECK_EQUAL(states.back()["monitor"].value("stops_at", int64_t{0}),
                  *clock + monitor_run_ms);
  anon_send_exit(m, exit_reason::user_shutdown);
}

CAF_TEST(
  a feed without its configuration does not bring back a deleted monitor) {
  auto m = spawn_monitor(full("waiting"));
  auto [box, state] = watch(m, "acme-1");
  dashboard_feed removed;
  removed.removed = true;
  anon_send(m, dashboard_feed_atom::value, removed);
  sched.run();
  CAF_REQUIRE_EQUAL(box->of("dashboard.stopped").size(), 1u);
  // A change the desk fed before it heard of the deletion: no config.
  dashboard_feed stray;
  stray.requests = {req(9, "waiting")};
  anon_send(m, dashboard_feed_atom::value, stray);
  sched.run();
  auto [again, answer] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(answer.value("error", 0), static_cast<int>(errc::not_found));
  CAF_CHECK(gone(m));
}

CAF_TEST(a monitor past its hours answers a watch stopped and quits) {
  auto old = full("waiting");
  old.config.started_ms = t0 - monitor_run_ms;
  auto m = spawn_monitor(old);
  auto [box, state] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(state["monitor"].value("running", true), false);
  CAF_CHECK(state["rows"].empty());
  sched.trigger_timeouts();
  sched.run();
  CAF_CHECK_EQUAL(box->of("dashboard.stopped").size(), 1u);
  CAF_CHECK(gone(m));
}

CAF_TEST(a deleted monitor tells its viewers) {
  auto m = spawn_monitor(full("active"));
  auto [box, state] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(keys_of(state["rows"]), (std::vector<std::string>{"r3"}));
  dashboard_feed deleted;
  deleted.removed = true;
  anon_send(m, dashboard_feed_atom::value, deleted);
  sched.run();
  auto stopped = box->of("dashboard.stopped");
  CAF_REQUIRE_EQUAL(stopped.size(), 1u);
  CAF_CHECK_EQUAL(stopped[0].value("reason", ""), "removed");
  // Until it quits, a watch that reaches it is refused, not dropped.
  auto [late, refused] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(refused.value("error", 0), static_cast<int>(errc::not_found));
  CAF_CHECK(gone(m));
}

CAF_TEST(a monitor the account does not have stops at once) {
  // A watch that came before the desk's answer is refused, not left open.
  auto m = spawn_monitor(full("waiting"), false, false);
  auto [box, answer] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(answer.value("error", 0), static_cast<int>(errc::not_found));
  // A watch that arrives after the desk's answer (the directory started it
  // for that watch) is refused too, not bounced as if the monitor had
  // failed.
  auto [late, again] = watch(m, "acme-1");
  CAF_CHECK_EQUAL(again.value("error", 0), static_cast<int>(errc::not_found));
  CAF_CHECK(gone(m));
}

CAF_TEST(a service level monitor counts today from storage and the feed) {
  auto picture = full("service_level");
  picture.config.target_s = 60;
  // Open now: 1 waits (portal 1, served by team 100).
  picture.requests = {level(1, 1, t0, std::nullopt, false, {100})};
  // Stored: 1 (older than the feed: kept as the feed says), 2 answered in
  // 30 s and closed, 3 left before an answer, 4 from yesterday.
  auto stored = std::vector<dashboard_request>{
    level(1, 1, t0, std::nullopt, false, {100}),
    level(2, 1, t0 - 60'000, 30'000, true, {100}),
    level(3, 2, t0 - 50'000, std::nullopt, true, {200}),
    level(4, 1, day0 - 1000, 5'000, true, {100})};
  auto m = spawn_monitor(picture, true, true, stored);
  auto [box, state] = watch(m, "acme-1");
  CAF_REQUIRE_EQUAL(state.value("type", ""), "dashboard.state");
  CAF_CHECK_EQUAL(state["monitor"].value("target_s", 0), 60);
  sched.trigger_timeouts(); // the flush after the history arrived
  sched.run();
  auto rows_of = [&](const std::shared_ptr<inbox>& b) {
    std::map<std::string, json> rows;
    for (auto& u : b->of("dashboard.update"))
      for (auto& r : u["rows"])
        rows[r["key"].get<std::string>()] = r;
    return rows;
  };
  auto rows = rows_of(box);
  CAF_REQUIRE_EQUAL(rows.size(), 2u);
  auto& help = rows["p1"];
  CAF_CHECK_EQUAL(help.value("portal_name", ""), "Help");
  CAF_CHECK_EQUAL(help.value("day_start", int64_t{0}), day0);
  CAF_CHECK_EQUAL(help.value("submitted", 0), 2); // 1 and 2, not yesterday's
  CAF_CHECK_EQUAL(help.value("answered", 0), 1);
  CAF_CHECK_EQUAL(help.value("within_target", 0), 1);
  CAF_CHECK_EQUAL(help.value("open", 0), 1);
  CAF_CHECK_EQUAL(help["within_target_percent"], 100.0);
  CAF_CHECK_EQUAL(rows["p2"].value("abandoned", 0), 1);
  // The team manager of team 100 sees the Help portal only.
  auto [lead_box, lead_state] = watch(m, "acme-2");
  CAF_CHECK_EQUAL(keys_of(lead_state["rows"]),
                  (std::vector<std::string>{"p1"}));
  // 1 is answered after 2 minutes: beyond the target.
  dashboard_feed f;
  f.config = picture.config;
  f.requests = {level(1, 1, t0, 120'000, false, {100})};
  anon_send(m, dashboard_feed_atom::value, f);
  sched.run();
  sched.trigger_timeouts();
  sched.run();
  rows = rows_of(box);
  CAF_CHECK_EQUAL(rows["p1"].value("answered", 0), 2);
  CAF_CHECK_EQUAL(rows["p1"].value("within_target", 0), 1);
  CAF_CHECK_EQUAL(rows["p1"].value("longest_wait_ms", int64_t{0}), 120'000);
  // A target of 3 minutes: both within it.
  f.requests.clear();
  f.config.target_s = 180;
  anon_send(m, dashboard_feed_atom::value, f);
  sched.run();
  sched.trigger_timeouts();
  sched.run();
  rows = rows_of(box);
  CAF_CHECK_EQUAL(rows["p1"].value("within_target", 0), 2);
  CAF_CHECK_EQUAL(rows["p1"].value("target_ms", int64_t{0}), 180'000);
  anon_send_exit(m, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(a service level table starts a new day at midnight) {
  dashboard::monitor_table t{"service_level"};
  t.set_day(day0);
  auto f = full("service_level");
  f.requests = {level(1, 1, t0, 10'000, true), level(2, 2, t0, {}, false)};
  t.apply(f);
  CAF_CHECK_EQUAL(visible(t, everything),
                  (std::vector<std::string>{"p1", "p2"}));
  // Portals served by every team: no team manager's.
  CAF_CHECK(visible(t, team_100).empty());
  // History never replaces what the feed said.
  auto c = t.add_history({level(1, 1, t0, std::nullopt, false)});
  CAF_CHECK(c.empty());
  CAF_CHECK_EQUAL(t.row("p1").value("answered", 0), 1);
  // The next day: yesterday's requests go, and so do their rows.
  auto next = t.set_day(day0 + 24 * 3'600'000);
  CAF_CHECK_EQUAL(next.gone, (std::set<std::string>{"p1", "p2"}));
  CAF_CHECK(visible(t, everything).empty());
  t.apply(dashboard_feed{});
  auto later = day0 + 24 * 3'600'000 + 1000;
  dashboard_feed g;
  g.requests = {level(5, 1, later, {}, false)};
  CAF_CHECK_EQUAL(t.apply(g).changed, (std::set<std::string>{"p1"}));
  CAF_CHECK_EQUAL(t.row("p1").value("submitted", 0), 1);
  CAF_CHECK_EQUAL(t.size(), 1u);
}

CAF_TEST(the managers table is the list of who watches which session) {
  dashboard::monitor_table managers{"managers"};
  auto f = full("managers");
  f.watchers_changed = true;
  f.watchers = {{90, "Petra Lang", 3, "Maria", "Tech 50", t0},
                {91, "Otto Kranz", 3, "Maria", "Tech 50", t0 + 5}};
  managers.apply(f);
  CAF_CHECK_EQUAL(visible(managers, everything),
                  (std::vector<std::string>{"w90-3", "w91-3"}));
  // Requests and technicians are not its rows; team managers see none.
  CAF_CHECK(visible(managers, team_100).empty());
  auto row = managers.row("w90-3");
  CAF_CHECK_EQUAL(row.value("manager_name", ""), "Petra Lang");
  CAF_CHECK_EQUAL(row.value("request_id", ""), "3");
  CAF_CHECK_EQUAL(row.value("since", int64_t{0}), t0);
  // The next list without Otto: his row is gone, Petra's unchanged.
  dashboard_feed next;
  next.watchers_changed = true;
  next.watchers = {{90, "Petra Lang", 3, "Maria", "Tech 50", t0}};
  auto c = managers.apply(next);
  CAF_CHECK_EQUAL(c.gone, (std::set<std::string>{"w91-3"}));
  CAF_CHECK(c.changed.empty());
  // A feed without a list leaves it as it is.
  CAF_CHECK(managers.apply(dashboard_feed{}).empty());
  CAF_CHECK_EQUAL(managers.size(), 1u);
}
