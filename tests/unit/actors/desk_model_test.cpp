#define CAF_SUITE actors.desk_model

#include "actors/desk_model.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors;
using namespace openassist::actors::desk;

namespace {

// An account with two teams (EU with sub-team T2, US), four technicians and
// one portal of each kind, every portal served by every team.
org_account sample_org() {
  org_account a;
  a.id = "acme";
  a.teams[1] = team{1, "EU", 0, {}};
  a.teams[2] = team{2, "T2", 1, {}};
  a.teams[3] = team{3, "US", 0, {}};
  auto tech = [&](uint64_t id, const char* first, uint64_t team_id,
                  std::vector<skill> skills,
                  std::optional<int> max = std::nullopt) {
    org_user u;
    u.id = id;
    u.r = role::technician;
    u.email = std::string{first} + "@acme.example";
    u.first_name = first;
    u.last_name = "X";
    u.team_id = team_id;
    u.skills = std::move(skills);
    u.features.max_sessions = max;
    a.users[id] = u;
  };
  tech(10, "Anna", 1, {{"windows", 1}, {"printers", 2}});
  tech(11, "Ben", 2, {{"network", 1}});
  tech(12, "Carla", 3, {{"windows", 2}});
  tech(13, "Solo", 3, {}, 1);
  auto add_portal = [&](uint64_t id, const char* slug, const char* mode,
                        const char* type, std::vector<uint64_t> teams) {
    portal p;
    p.id = id;
    p.slug = slug;
    p.name = slug;
    p.mode = mode;
    p.type = type;
    p.skills_routing = std::string{type} == "queue";
    p.alert_timeout_s = 60;
    p.sub_portals.push_back({1, "All", std::move(teams)});
    a.portals[id] = p;
  };
  add_portal(20, "help", "web", "smartbox", {1, 3});
  add_portal(21, "experts", "web", "smartmatch", {1, 3});
  add_portal(22, "phone", "phone", "smartpin", {1, 3});
  add_portal(23, "queue", "queue", "queue", {1, 3});
  add_portal(24, "solo", "queue", "queue", {});
  a.portals[24].skills_routing = false;
  a.portals[23].fields.push_back(
    {"topic", "Topic", "skill", false, {"windows", "network", "printers"}});
  a.portals[23].fields.push_back(
    {"also", "Also", "skill", false, {"windows", "network", "printers"}});
  return a;
}

intake customer(const std::string& name, json extra = json::object()) {
  intake in;
  in.fields = {
    {"name", name}, {"email", name + "@example.com"}, {"problem", "help"}};
  in.fields.update(extra);
  in.source.ip = "10.0.0.1";
  in.token_digest = "digest-" + name;
  return in;
}

struct fixture {
  model m;
  int64_t now = 1'000'000;
  fixture() { m.set_org(sample_org(), 1); }

  const portal& p(const char* slug) { return *m.portal_by_slug(slug); }

  uint64_t create(const char* slug, intake in) {
    effects fx;
    auto res = m.create(p(slug), std::move(in), now, fx);
    CAF_REQUIRE(std::holds_alternative<uint64_t>(res));
    return std::get<uint64_t>(res);
  }

  std::variant<json, failure> cmd(uint64_t tech, json c) {
    effects fx;
    return m.command(tech, c, now, fx);
  }

  bool ok(uint64_t tech, json c) {
    return std::holds_alternative<json>(cmd(tech, c));
  }

  std::string error_of(uint64_t tech, json c) {
    auto r = cmd(tech, c);
    return std::holds_alternative<failure>(r) ? std::get<failure>(r).code : "";
  }

  void online(uint64_t tech) {
    effects fx;
    m.console_connected(tech, now, fx);
  }

  status st(uint64_t id) { return m.find(id)->st; }
  uint64_t tech_of(uint64_t id) { return m.find(id)->technician_id; }
  size_t pos(uint64_t id) { return m.position(*m.find(id)); }
};

json req(const char* type, uint64_t id) {
  return {{"type", type}, {"request_id", std::to_string(id)}};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(desk_model_tests, fixture)

CAF_TEST(smartbox alerts every available technician and the first accept wins) {
  online(10);
  online(12);
  effects fx;
  auto res = m.create(p("help"), customer("maria"), now, fx);
  auto id = std::get<uint64_t>(res);
  CAF_CHECK_EQUAL(fx.alerts.size(), 2u);
  CAF_CHECK(ok(12, req("request.accept", id)));
  CAF_CHECK(st(id) == status::assigned);
  CAF_CHECK_EQUAL(tech_of(id), 12u);
  CAF_CHECK_EQUAL(error_of(10, req("request.accept", id)), "taken");
  CAF_CHECK(m.find(id)->alerted.empty());
}

CAF_TEST(offline and away technicians get no alerts) {
  online(10);
  CAF_CHECK(ok(10, {{"type", "status.set"}, {"status", "away"}}));
  effects fx;
  auto id = std::get<uint64_t>(m.create(p("help"), customer("x"), now, fx));
  CAF_CHECK(fx.alerts.empty());
  effects back;
  CAF_CHECK(ok(10, {{"type", "status.set"}, {"status", "available"}}));
  CAF_CHECK_EQUAL(m.find(id)->alerted.count(10), 1u);
}

CAF_TEST(
  smartmatch alerts only the chosen technician and refuses an unavailable one) {
  online(10);
  online(12);
  effects fx;
  auto in = customer("pia");
  in.technician_id = 12;
  auto id = std::get<uint64_t>(m.create(p("experts"), in, now, fx));
  CAF_REQUIRE_EQUAL(fx.alerts.size(), 1u);
  CAF_CHECK_EQUAL(fx.alerts[0].first, 12u);
  CAF_CHECK_EQUAL(error_of(10, req("request.accept", id)), "no_alert");
  auto off = customer("otto");
  off.technician_id = 11;
  effects fx2;
  auto res = m.create(p("experts"), off, now, fx2);
  CAF_REQUIRE(std::holds_alternative<failure>(res));
  CAF_CHECK_EQUAL(std::get<failure>(res).code, "technician_unavailable");
}

CAF_TEST(queue mode waits in order and never exceeds a maximum) {
  online(13);
  auto& solo = m.org().portals.at(24);
  org_account org = m.org();
  org.portals.at(24).sub_portals[0].team_ids = {3};
  org.users.at(12).deleted = true; // only Solo (max 1) serves US now
  m.set_org(org, 2);
  (void)solo;
  CAF_CHECK(ok(13, {{"type", "status.set"}, {"status", "busy"}}));
  auto a = create("solo", customer("a"));
  auto b = create("solo", customer("b"));
  auto c = create("solo", customer("c"));
  CAF_CHECK_EQUAL(pos(a), 1u);
  CAF_CHECK_EQUAL(pos(b), 2u);
  CAF_CHECK_EQUAL(pos(c), 3u);
  CAF_CHECK_EQUAL(m.waiting_count(24), 3u);
  CAF_CHECK(ok(13, {{"type", "status.set"}, {"status", "available"}}));
  CAF_CHECK(st(a) == status::assigned);
  CAF_CHECK_EQUAL(m.waiting_count(24), 2u);
  CAF_CHECK_EQUAL(pos(b), 1u);
  CAF_CHECK_EQUAL(pos(c), 2u);
  CAF_CHECK(ok(13, req("request.join", a)));
  CAF_CHECK(ok(13, req("request.close", a)));
  CAF_CHECK(st(b) == status::assigned);
  CAF_CHECK_EQUAL(pos(c), 1u);
  // Gone offline with an assigned, unjoined request: back to the front.
  CAF_CHECK(ok(13, {{"type", "status.set"}, {"status", "offline"}}));
  CAF_CHECK_EQUAL(pos(b), 1u);
  CAF_CHECK_EQUAL(pos(c), 2u);
  CAF_CHECK_EQUAL(m.waiting_count(24), 2u);
  // The front leaves: the next one moves up.
  effects fx;
  CAF_CHECK(!m.cancel(b, 0, fx).has_value());
  CAF_CHECK_EQUAL(pos(c), 1u);
  CAF_CHECK_EQUAL(m.waiting_count(24), 1u);
  CAF_CHECK_EQUAL(m.waiting_count(999), 0u);
}

CAF_TEST(a raised maximum in a new organisation moves the queue at once) {
  online(13);
  org_account org = m.org();
  org.portals.at(24).sub_portals[0].team_ids = {3};
  org.users.at(12).deleted = true;
  m.set_org(org, 2);
  auto a = create("solo", customer("a"));
  auto b = create("solo", customer("b"));
  CAF_CHECK(st(a) == status::assigned);
  CAF_CHECK_EQUAL(pos(b), 1u);
  org.users.at(13).features.max_sessions = 2;
  m.set_org(org, 3);
  effects fx;
  m.org_changed(now, fx);
  CAF_CHECK(st(b) == status::assigned);
  CAF_CHECK(fx.me.count(13) == 1);
  CAF_CHECK(fx.roster);
  auto ev = fx.events.size();
  CAF_CHECK_EQUAL(ev, 1u);
}

CAF_TEST(colleagues are invited by name or anyone and take over in order) {
  online(10);
  online(11);
  online(12);
  effects fx;
  auto id = std::get<uint64_t>(m.create(p("help"), customer("maria"), now, fx));
  CAF_CHECK(ok(10, req("request.accept", id)));
  // Only the session's technician invites, and only during the session.
  auto by_name = req("request.invite", id);
  by_name["technician_id"] = 12;
  by_name["hidden"] = true;
  CAF_CHECK_EQUAL(error_of(10, by_name), "not_yours");
  CAF_CHECK(ok(10, req("request.join", id)));
  CAF_CHECK_EQUAL(error_of(12, by_name), "not_yours");
  auto bad_rights = by_name;
  bad_rights["rights"] = "admin";
  CAF_CHECK_EQUAL(error_of(10, bad_rights), "bad_field");
  effects inv_fx;
  auto invited = m.command(10, by_name, now, inv_fx);
  CAF_REQUIRE(std::holds_alternative<json>(invited));
  CAF_REQUIRE_EQUAL(inv_fx.to_console.size(), 1u);
  CAF_CHECK_EQUAL(inv_fx.to_console[0].first, 12u);
  CAF_CHECK_EQUAL(error_of(10, by_name), "already_invited");
  // Carla sees the request now, and accepts; Ben is not invited.
  CAF_CHECK(m.visible_to(*m.find(id), 12));
  auto accept = req("invite.accept", id);
  accept["invite_id"] = std::get<json>(invited)["invite_id"];
  CAF_CHECK_EQUAL(error_of(11, accept), "not_found");
  CAF_CHECK(ok(12, accept));
  auto& r = *m.find(id);
  CAF_REQUIRE_EQUAL(r.collaborators.size(), 1u);
  CAF_CHECK(r.collaborators[0].hidden);
  CAF_CHECK(!r.collaborators[0].full);
  CAF_CHECK(m.participant(r, 12));
  CAF_CHECK(r.invites.empty());
  // Anyone on the portal: everyone online but the two in it; first wins.
  auto anyone = req("request.invite", id);
  anyone["anyone"] = true;
  anyone["rights"] = "full";
  effects any_fx;
  auto any = m.command(10, anyone, now + 1, any_fx);
  CAF_REQUIRE(std::holds_alternative<json>(any));
  size_t sent = 0;
  for (auto& [t, msg] : any_fx.to_console)
    sent += t == 11;
  CAF_CHECK_EQUAL(sent, 1u);
  auto take = req("invite.accept", id);
  take["invite_id"] = std::get<json>(any)["invite_id"];
  CAF_CHECK(ok(11, take));
  CAF_CHECK_EQUAL(m.find(id)->collaborators.size(), 2u);
  // The technician leaves: the colleague present longest (Carla) takes over.
  CAF_CHECK(ok(10, req("request.leave", id)));
  CAF_CHECK_EQUAL(tech_of(id), 12u);
  CAF_CHECK(st(id) == status::active);
  CAF_CHECK_EQUAL(m.find(id)->collaborators.size(), 1u);
  auto me = m.me_view(12);
  auto load = me["active_sessions"].get<int>();
  CAF_CHECK_EQUAL(load, 1);
  // A colleague leaves; then the last one leaves: back to the queue front.
  CAF_CHECK(ok(11, req("request.leave", id)));
  CAF_CHECK(m.find(id)->collaborators.empty());
  CAF_CHECK(ok(12, req("request.leave", id)));
  CAF_CHECK(st(id) != status::active);
  CAF_CHECK(m.find(id)->collaborators.empty());
  // The storage form keeps colleagues and invitations.
  request copy = *m.find(id);
  copy.collaborators.push_back({12, 5, true, false});
  copy.invites.push_back({3, 0, 10, false, true, 6, {11, 13}});
  auto back = model::from_storage(model::to_storage(copy));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(model::to_storage(*back) == model::to_storage(copy));
}

CAF_TEST(seven colleagues at most) {
  online(10);
  effects fx;
  auto id = std::get<uint64_t>(m.create(p("help"), customer("maria"), now, fx));
  CAF_CHECK(ok(10, req("request.accept", id)));
  CAF_CHECK(ok(10, req("request.join", id)));
  org_account org = m.org();
  for (uint64_t u = 100; u < 110; ++u) {
    org_user x;
    x.id = u;
    x.r = role::technician;
    x.email = "t" + std::to_string(u) + "@acme.example";
    x.team_id = 1;
    org.users[u] = x;
  }
  m.set_org(org, 5);
  for (uint64_t u = 100; u < 107; ++u) {
    auto c = req("request.invite", id);
    c["technician_id"] = u;
    CAF_CHECK(ok(10, c));
  }
  auto eighth = req("request.invite", id);
  eighth["technician_id"] = 107;
  CAF_CHECK_EQUAL(error_of(10, eighth), "too_many");
  // Closing ends the invitations.
  effects close_fx;
  (void)m.command(10, req("request.close", id), now, close_fx);
  size_t withdrawn = 0;
  for (auto& [t, msg] : close_fx.to_console)
    withdrawn += msg["type"] == "invite.withdrawn";
  CAF_CHECK_EQUAL(withdrawn, 7u);
}

CAF_TEST(a console that leaves counts as offline only after the grace) {
  online(13);
  org_account org = m.org();
  org.portals.at(24).sub_portals[0].team_ids = {3};
  org.users.at(12).deleted = true;
  m.set_org(org, 2);
  auto a = create("solo", customer("a"));
  CAF_CHECK(st(a) == status::assigned);
  effects fx;
  m.console_disconnected(13, now, fx);
  effects t1;
  m.tick(now + 1000, t1);
  CAF_CHECK(st(a) == status::assigned);
  effects t2;
  m.tick(now + 20000, t2);
  CAF_CHECK(st(a) == status::waiting);
  CAF_CHECK_EQUAL(pos(a), 1u);
}

CAF_TEST(skills routing takes the best - skilled and degrades) {
  online(10);
  online(11);
  online(12);
  auto net = create("queue", customer("n", {{"topic", "network"}}));
  CAF_CHECK_EQUAL(tech_of(net), 11u);
  auto win = create("queue", customer("w", {{"topic", "windows"}}));
  CAF_CHECK_EQUAL(tech_of(win), 10u);
  auto both = create(
    "queue", customer("b", {{"topic", "network"}, {"also", "printers"}}));
  CAF_CHECK_EQUAL(tech_of(both), 11u);
  effects fx;
  auto bad =
    m.create(p("queue"), customer("z", {{"topic", "cooking"}}), now, fx);
  CAF_REQUIRE(std::holds_alternative<failure>(bad));
  CAF_CHECK_EQUAL(std::get<failure>(bad).field, "topic");
}

CAF_TEST(connection codes are single use and expire and limit guessing) {
  online(10);
  auto made = cmd(10, {{"type", "code.create"}, {"portal_id", 22}});
  CAF_REQUIRE(std::holds_alternative<json>(made));
  auto code = std::get<json>(made)["code"].get<std::string>();
  auto in = customer("paul");
  in.code = code.substr(0, 3) + " " + code.substr(3, 3) + "-" + code.substr(6);
  auto id = create("phone", in);
  CAF_CHECK(st(id) == status::assigned);
  CAF_CHECK_EQUAL(tech_of(id), 10u);
  effects fx;
  auto again = customer("paul");
  again.code = code;
  auto res = m.create(p("phone"), again, now, fx);
  CAF_REQUIRE(std::holds_alternative<failure>(res));
  CAF_CHECK_EQUAL(std::get<failure>(res).code, "invalid_code");
  // Expiry (20 minutes by default).
  auto second =
    std::get<json>(cmd(10, {{"type", "code.create"}, {"portal_id", 22}}));
  effects tick;
  m.tick(now + 21 * 60 * 1000, tick);
  auto late = customer("late");
  late.code = second["code"].get<std::string>();
  effects fx2;
  auto expired = m.create(p("phone"), late, now + 21 * 60 * 1000, fx2);
  CAF_CHECK_EQUAL(std::get<failure>(expired).code, "invalid_code");
  // Guessing: 5 wrong codes within 10 minutes (one so far), then 429.
  std::string last;
  for (int i = 0; i < 5; ++i) {
    auto g = customer("g");
    g.code = "000000000";
    effects f;
    auto r = m.create(p("phone"), g, now + 21 * 60 * 1000, f);
    last = std::get<failure>(r).code;
  }
  CAF_CHECK_EQUAL(last, "too_many_guesses");
}

namespace {

bool has_event(const effects& fx, const std::string& kind) {
  for (auto& [k, payload] : fx.events)
    if (k == kind)
      return true;
  return false;
}

size_t alerts_to(const effects& fx, uint64_t tech) {
  size_t n = 0;
  for (auto& [t, id] : fx.alerts)
    n += t == tech;
  return n;
}

json choose(const char* type, const std::string& email = {}) {
  json j = {{"type", type}};
  if (!email.empty())
    j["email"] = email;
  return j;
}

} // namespace

CAF_TEST(
  nobody answering in time alerts again then offers the customer a choice) {
  online(10);
  online(12);
  auto id = create("help", customer("ida"));
  CAF_CHECK_EQUAL(m.find(id)->alerted.size(), 2u);
  // Round 1 runs out: counted as no response, both are alerted again.
  effects one;
  m.tick(now + 61 * 1000, one);
  auto* r = m.find(id);
  CAF_REQUIRE(r != nullptr);
  CAF_CHECK(r->st == status::waiting);
  CAF_CHECK(has_event(one, "request.no_response"));
  CAF_CHECK_EQUAL(one.withdrawn.size(), 2u);
  CAF_CHECK_EQUAL(one.withdrawn[0].reason, "timeout");
  CAF_CHECK_EQUAL(alerts_to(one, 10), 1u);
  CAF_CHECK_EQUAL(alerts_to(one, 12), 1u);
  CAF_CHECK_EQUAL(m.customer_view(*r)["notice"].get<std::string>(),
                  "alerted_again");
  CAF_CHECK(!r->choice);
  // Round 2 runs out: the customer chooses; nobody who let it run out is
  // alerted again, but a technician who comes is.
  effects two;
  m.tick(now + 122 * 1000, two);
  r = m.find(id);
  CAF_CHECK(r->st == status::waiting);
  CAF_CHECK(r->choice);
  CAF_CHECK(r->alerted.empty());
  CAF_CHECK(two.alerts.empty());
  CAF_CHECK(has_event(two, "request.choice_offered"));
  auto view = m.customer_view(*r);
  CAF_CHECK_EQUAL(view["notice"].get<std::string>(), "no_answer");
  CAF_CHECK_EQUAL(view["customer_email"].get<std::string>(), "ida@example.com");
  CAF_CHECK(m.request_view(*r)["no_answer"].get<bool>());
  CAF_CHECK_EQUAL(view["message"].get<std::string>().find("No technician"), 0u);
  effects ben;
  m.console_connected(11, now + 123 * 1000, ben);
  CAF_CHECK_EQUAL(alerts_to(ben, 11), 1u);
  CAF_CHECK_EQUAL(alerts_to(ben, 10), 0u);
  // Keep waiting: everyone is alerted again, in new rounds.
  effects wait;
  CAF_CHECK(
    !m.customer_choice(id, choose("customer.wait"), now + 124 * 1000, wait));
  r = m.find(id);
  CAF_CHECK(!r->choice);
  CAF_CHECK_EQUAL(r->alert_rounds, 0);
  CAF_CHECK_EQUAL(r->alerted.size(), 3u);
  effects again;
  auto twice =
    m.customer_choice(id, choose("customer.wait"), now + 125 * 1000, again);
  CAF_REQUIRE(twice);
  CAF_CHECK_EQUAL(twice->code, "no_choice");
}

CAF_TEST(a customer who leaves an e-mail is kept for a technician to contact) {
  auto org = sample_org();
  org.portals[20].notification_email = "desk@acme.example";
  m.set_org(org, 2);
  online(10);
  auto id = create("help", customer("eve"));
  effects t1, t2;
  m.tick(now + 61 * 1000, t1);
  m.tick(now + 122 * 1000, t2);
  CAF_REQUIRE(m.find(id)->choice);
  effects bad;
  auto refused = m.customer_choice(
    id, choose("customer.contact", "not-an-address"), now + 123 * 1000, bad);
  CAF_REQUIRE(refused);
  CAF_CHECK_EQUAL(refused->code, "bad_field");
  CAF_CHECK_EQUAL(refused->field, "email");
  CAF_CHECK(m.find(id)->contact_email.empty());
  effects fx;
  CAF_CHECK(!m.customer_choice(
    id, choose("customer.contact", "eve@home.example"), now + 123 * 1000, fx));
  auto* r = m.find(id);
  CAF_CHECK(r->st == status::waiting);
  CAF_CHECK_EQUAL(r->contact_email, "eve@home.example");
  CAF_CHECK(has_event(fx, "request.contact_requested"));
  CAF_REQUIRE_EQUAL(fx.mails.size(), 1u);
  CAF_CHECK_EQUAL(fx.mails[0].to, "desk@acme.example");
  CAF_CHECK(fx.mails[0].body.find("eve@home.example") != std::string::npos);
  CAF_CHECK_EQUAL(m.customer_view(*r)["notice"].get<std::string>(), "contact");
  CAF_CHECK_EQUAL(m.request_view(*r)["contact_email"].get<std::string>(),
                  "eve@home.example");
  // No more alerts, but every console of the portal lists it; a technician
  // takes it from there.
  effects carla;
  m.console_connected(12, now + 124 * 1000, carla);
  CAF_CHECK(carla.alerts.empty());
  CAF_CHECK(m.visible_to(*r, 12));
  CAF_CHECK(ok(12, req("request.assign_me", id)));
  CAF_CHECK(st(id) == status::assigned);
  CAF_CHECK(!m.find(id)->choice);
  // Kept across a restart.
  auto back = model::from_storage(model::to_storage(*m.find(id)));
  CAF_REQUIRE(back);
  CAF_CHECK_EQUAL(back->contact_email, "eve@home.example");
}

CAF_TEST(smartmatch widens to the other technicians when the chosen cannot) {
  online(10);
  online(12);
  auto in = customer("max");
  in.technician_id = 10;
  auto id = create("experts", in);
  CAF_CHECK_EQUAL(m.find(id)->alerted, (std::set<uint64_t>{10}));
  effects fx;
  CAF_CHECK(std::holds_alternative<json>(
    m.command(10, req("request.decline", id), now, fx)));
  auto* r = m.find(id);
  CAF_CHECK(has_event(fx, "request.widened"));
  CAF_CHECK_EQUAL(alerts_to(fx, 12), 1u);
  CAF_CHECK_EQUAL(r->alerted, (std::set<uint64_t>{12}));
  CAF_CHECK_EQUAL(r->pinned_id, 0u);
  CAF_CHECK_EQUAL(m.customer_view(*r)["notice"].get<std::string>(), "widened");
  CAF_CHECK(ok(12, req("request.accept", id)));
  // Nobody answers the chosen one: after its timeout the others are asked.
  auto in2 = customer("mo");
  in2.technician_id = 12;
  auto id2 = create("experts", in2);
  effects tick;
  m.tick(now + 61 * 1000, tick);
  CAF_CHECK_EQUAL(alerts_to(tick, 10), 1u);
  CAF_CHECK(m.find(id2)->st == status::waiting);
  // The chosen one steps away: at once.
  auto in3 = customer("mia");
  in3.technician_id = 10;
  auto id3 = create("experts", in3);
  online(11);
  effects away;
  CAF_CHECK(std::holds_alternative<json>(m.command(
    10, {{"type", "status.set"}, {"status", "away"}}, now + 62 * 1000, away)));
  CAF_CHECK(m.find(id3)->alerted.count(11) == 1);
}

CAF_TEST(
  queue estimates come from the handle time and the serving technicians) {
  auto org = sample_org();
  org.portals[24].sub_portals[0].team_ids = {3}; // Carla and Solo
  org.users[12].features.max_sessions = 1;
  org.hours_sets[7] = hours_set{7, business_hours{"never", {}, {}}};
  org.portals[25] = org.portals[24];
  org.portals[25].id = 25;
  org.portals[25].slug = "shut";
  org.portals[25].hours_id = 7;
  org.portals[25].time_zone = "UTC";
  m.set_org(org, 2);
  // Nobody serves it now: no estimate, said as such.
  auto first = create("solo", customer("a"));
  auto view = m.customer_view(*m.find(first));
  CAF_CHECK_EQUAL(view["position"].get<size_t>(), 1u);
  CAF_CHECK(view["estimated_wait_s"].is_null());
  CAF_CHECK_EQUAL(view["notice"].get<std::string>(), "no_estimate");
  CAF_CHECK(m.public_status(p("solo"), now)["estimated_wait_s"].is_null());
  CAF_CHECK(m.public_status(p("shut"), now)["estimated_wait_s"].is_null());
  // Two technicians with one session each take two; three wait. Before any
  // session ended the default handle time (300 s) stands in.
  online(12);
  online(13);
  CAF_CHECK(st(first) == status::assigned);
  auto second = create("solo", customer("b"));
  CAF_CHECK(st(second) == status::assigned);
  std::vector<uint64_t> waiting;
  for (auto name : {"c", "d", "e"})
    waiting.push_back(create("solo", customer(name)));
  std::vector<int64_t> estimates;
  for (auto id : waiting)
    estimates.push_back(
      m.customer_view(*m.find(id))["estimated_wait_s"].get<int64_t>());
  CAF_CHECK_EQUAL(estimates, (std::vector<int64_t>{150, 300, 450}));
  CAF_CHECK_EQUAL(
    m.public_status(p("solo"), now)["estimated_wait_s"].get<int64_t>(), 600);
  // A session of 100 s ends: the measured time replaces the default.
  auto holder = tech_of(first);
  CAF_CHECK(ok(holder, req("request.join", first)));
  effects fx;
  auto close = req("request.close", first);
  CAF_CHECK(std::holds_alternative<json>(
    m.command(holder, close, now + 100 * 1000, fx)));
  CAF_CHECK_EQUAL(m.handle_s(24), 100);
  CAF_CHECK(st(waiting[0]) == status::assigned);
  CAF_CHECK_EQUAL(
    m.customer_view(*m.find(waiting[1]))["estimated_wait_s"].get<int64_t>(),
    50);
  CAF_CHECK_EQUAL(
    m.customer_view(*m.find(waiting[2]))["estimated_wait_s"].get<int64_t>(),
    100);
  // The first ten sessions are averaged alike, and the count is kept.
  CAF_CHECK(ok(tech_of(second), req("request.join", second)));
  effects fx2;
  CAF_CHECK(std::holds_alternative<json>(m.command(
    tech_of(second), req("request.close", second), now + 300 * 1000, fx2)));
  CAF_CHECK_EQUAL(m.handle_s(24), 200);
  model copy;
  copy.set_org(org, 2);
  CAF_REQUIRE(copy.restore(m.snapshot(), now));
  CAF_CHECK_EQUAL(copy.handle_s(24), 200);
  CAF_CHECK_EQUAL(m.snapshot()["handle"][0]["sessions"].get<int64_t>(), 2);
  // Everyone away: nobody takes its requests, no estimate.
  CAF_CHECK(ok(12, {{"type", "status.set"}, {"status", "away"}}));
  CAF_CHECK(ok(13, {{"type", "status.set"}, {"status", "away"}}));
  CAF_CHECK(m.customer_view(*m.find(waiting[2]))["estimated_wait_s"].is_null());
}

CAF_TEST(transfer to a technician or a team) {
  online(10);
  online(12);
  auto id = create("help", customer("t"));
  CAF_CHECK(ok(10, req("request.accept", id)));
  auto to_carla = req("request.transfer", id);
  to_carla["technician_id"] = 12;
  to_carla["note"] = "printer";
  CAF_CHECK(ok(10, to_carla));
  CAF_CHECK_EQUAL(tech_of(id), 12u);
  CAF_CHECK_EQUAL(m.find(id)->note, "printer");
  auto to_eu = req("request.transfer", id);
  to_eu["team_id"] = 1;
  CAF_CHECK(ok(12, to_eu));
  CAF_CHECK(st(id) == status::waiting);
  CAF_CHECK_EQUAL(m.find(id)->alerted.count(10), 1u);
  CAF_CHECK_EQUAL(m.find(id)->alerted.count(12), 0u);
  CAF_CHECK_EQUAL(
    error_of(12, {{"type", "request.close"}, {"request_id", "x"}}),
    "not_found");
  CAF_CHECK_EQUAL(error_of(12, {{"type", "status.set"}, {"status", 5}}),
                  "bad_field");
  CAF_CHECK_EQUAL(error_of(12, {{"type", "nope"}}), "unknown_type");
}

CAF_TEST(the storage form restores queue order assignments and codes) {
  online(13);
  org_account org = m.org();
  org.portals.at(24).sub_portals[0].team_ids = {3};
  org.users.at(12).deleted = true;
  m.set_org(org, 2);
  auto a = create("solo", customer("a"));
  CAF_CHECK(ok(13, {{"type", "status.set"}, {"status", "busy"}}));
  auto b = create("solo", customer("b"));
  auto c = create("solo", customer("c"));
  model copy;
  copy.set_org(org, 2);
  CAF_REQUIRE(copy.restore(m.snapshot(), now));
  for (auto& [id, r] : m.open_requests()) {
    auto back = model::from_storage(model::to_storage(r));
    CAF_REQUIRE(back.has_value());
    copy.restore_request(*back, now);
  }
  CAF_CHECK_EQUAL(copy.find(a)->technician_id, 13u);
  CAF_CHECK_EQUAL(copy.position(*copy.find(b)), 1u);
  CAF_CHECK_EQUAL(copy.position(*copy.find(c)), 2u);
  CAF_CHECK_EQUAL(copy.next_request_id(), m.next_request_id());
  CAF_CHECK(
    !model::from_storage(json{{"id", 1}, {"status", "bogus"}}).has_value());
  CAF_CHECK(!model::from_storage(json::array()).has_value());
}

CAF_TEST(a finished session is rated once and its summary is mailed) {
  org_account org = m.org();
  org.portals.at(20).notification_email = "desk@acme.example";
  m.set_org(org, 2);
  online(10);
  auto a = create("help", customer("rita"));
  CAF_CHECK(ok(10, req("request.accept", a)));
  CAF_CHECK(ok(10, req("request.join", a)));
  auto close = req("request.close", a);
  close["resolution"] = "sometimes";
  CAF_CHECK_EQUAL(error_of(10, close), "bad_field");
  close["resolution"] = "resolved";
  close["notes"] = "fixed";
  CAF_CHECK(ok(10, close));
  effects fx;
  auto bad = m.rate(a, json{{"rating", 0}}, now, fx);
  CAF_REQUIRE(bad.has_value());
  CAF_CHECK_EQUAL(bad->field, "rating");
  effects good;
  CAF_CHECK(!m.rate(a, json{{"rating", 4}, {"comment", "thanks"}}, now, good)
               .has_value());
  CAF_REQUIRE_EQUAL(good.mails.size(), 1u);
  CAF_CHECK_EQUAL(good.mails[0].to, "desk@acme.example");
  CAF_CHECK(good.mails[0].body.find("Customer rating: 4 of 5") !=
            std::string::npos);
  effects again;
  auto twice = m.rate(a, json{{"rating", 5}}, now, again);
  CAF_REQUIRE(twice.has_value());
  CAF_CHECK_EQUAL(twice->code, "already_rated");
  // Unrated: the summary goes out after the delay, once.
  auto b = create("help", customer("uma"));
  CAF_CHECK(ok(10, req("request.accept", b)));
  CAF_CHECK(ok(10, req("request.join", b)));
  CAF_CHECK(ok(10, req("request.close", b)));
  effects early;
  m.tick(now + 60 * 1000, early);
  CAF_CHECK(early.mails.empty());
  effects late;
  m.tick(now + 16 * 60 * 1000, late);
  CAF_REQUIRE_EQUAL(late.mails.size(), 1u);
  CAF_CHECK(late.mails[0].subject.find("not rated") != std::string::npos);
  effects later;
  m.tick(now + 40 * 60 * 1000, later);
  CAF_CHECK(later.mails.empty());
  // A customer who leaves an active session ends it as finished, and may
  // rate it.
  auto left = create("help", customer("lea"));
  CAF_CHECK(ok(10, req("request.accept", left)));
  CAF_CHECK(ok(10, req("request.join", left)));
  effects leaving;
  CAF_CHECK(!m.cancel(left, now, leaving).has_value());
  auto* gone = m.find(left);
  CAF_REQUIRE(gone != nullptr);
  CAF_CHECK(gone->st == status::closed);
  CAF_CHECK_EQUAL(gone->outcome, "customer_left");
  effects rated;
  CAF_CHECK(!m.rate(left, json{{"rating", 5}}, now, rated).has_value());
  // A request that never had a session cannot be rated.
  auto c = create("help", customer("never"));
  effects cancel;
  CAF_CHECK(!m.cancel(c, now, cancel).has_value());
  CAF_CHECK(m.find(c)->st == status::abandoned);
  CAF_CHECK_EQUAL(m.find(c)->outcome, "cancelled");
  effects none;
  auto never = m.rate(c, json{{"rating", 3}}, now, none);
  CAF_REQUIRE(never.has_value());
  CAF_CHECK_EQUAL(never->code, "not_rateable");
}

// -- capacity: every path goes through one assignment that holds the maximum

namespace {

int load_of(model& m, uint64_t tech) {
  return m.me_view(tech)["active_sessions"].get<int>();
}

} // namespace

CAF_TEST(accept and assign_me refuse a technician at their maximum) {
  online(13); // Solo: at most one session
  auto a = create("help", customer("a"));
  auto b = create("help", customer("b"));
  CAF_REQUIRE_EQUAL(m.find(b)->alerted.count(13), 1u);
  CAF_CHECK(ok(13, req("request.accept", a)));
  CAF_CHECK_EQUAL(error_of(13, req("request.accept", b)), "at_capacity");
  CAF_CHECK_EQUAL(error_of(13, req("request.assign_me", b)), "at_capacity");
  CAF_CHECK(st(b) == status::waiting);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
  // New requests are not even alerted to them.
  effects fx;
  auto c = std::get<uint64_t>(m.create(p("help"), customer("c"), now, fx));
  CAF_CHECK_EQUAL(m.find(c)->alerted.count(13), 0u);
}

CAF_TEST(smartmatch never hands a full technician a request) {
  online(13);
  auto in = customer("pia");
  in.technician_id = 13;
  auto first = create("experts", in);
  auto second = create("experts", in); // alerted too: Solo is still free
  CAF_CHECK(ok(13, req("request.accept", first)));
  CAF_CHECK_EQUAL(error_of(13, req("request.accept", second)), "at_capacity");
  effects fx;
  auto res = m.create(p("experts"), in, now, fx);
  CAF_REQUIRE(std::holds_alternative<failure>(res));
  CAF_CHECK_EQUAL(std::get<failure>(res).code, "technician_unavailable");
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
}

CAF_TEST(queue routing assigns only below the maximum) {
  online(13);
  org_account org = m.org();
  org.portals.at(24).sub_portals[0].team_ids = {3};
  org.users.at(12).deleted = true;
  m.set_org(org, 2);
  auto a = create("solo", customer("a"));
  auto b = create("solo", customer("b"));
  CAF_CHECK(st(a) == status::assigned);
  CAF_CHECK(st(b) == status::waiting);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
}

CAF_TEST(a smartpin code of a full technician waits for them) {
  online(13);
  auto made = cmd(13, {{"type", "code.create"}, {"portal_id", 22}});
  CAF_REQUIRE(std::holds_alternative<json>(made));
  auto busy = create("help", customer("busy"));
  CAF_REQUIRE(ok(13, req("request.accept", busy)));
  CAF_REQUIRE_EQUAL(load_of(m, 13), 1);
  auto in = customer("caller");
  in.code = std::get<json>(made)["code"].get<std::string>();
  effects fx;
  auto id = std::get<uint64_t>(m.create(p("phone"), in, now, fx));
  // Not above the maximum: the request waits, for Solo only, unalerted.
  CAF_CHECK(st(id) == status::waiting);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
  CAF_CHECK(fx.alerts.empty());
  CAF_CHECK(m.find(id)->by_code);
  CAF_CHECK(m.visible_to(*m.find(id), 13));
  auto view = m.customer_view(*m.find(id));
  CAF_CHECK(view["message"].get<std::string>().find("finishing another") !=
            std::string::npos);
  // The code is used up all the same.
  effects again;
  auto twice = m.create(p("phone"), in, now, again);
  CAF_CHECK_EQUAL(std::get<failure>(twice).code, "invalid_code");
  // It survives a restart as it is.
  auto back = model::from_storage(model::to_storage(*m.find(id)));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(back->by_code);
  // A free colleague does not get it; Solo does once they have room.
  online(10);
  CAF_CHECK(st(id) == status::waiting);
  CAF_CHECK(ok(13, req("request.join", busy)));
  CAF_CHECK(ok(13, req("request.close", busy)));
  CAF_CHECK(st(id) == status::assigned);
  CAF_CHECK_EQUAL(tech_of(id), 13u);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
  CAF_CHECK(!m.find(id)->by_code);
}

CAF_TEST(a transfer to a full colleague is refused and changes nothing) {
  online(10);
  online(13);
  auto full = create("help", customer("full"));
  CAF_REQUIRE(ok(13, req("request.accept", full)));
  auto x = create("help", customer("x"));
  CAF_REQUIRE(ok(10, req("request.accept", x)));
  CAF_REQUIRE(ok(10, req("request.join", x)));
  auto t = req("request.transfer", x);
  t["technician_id"] = 13;
  t["note"] = "over to you";
  CAF_CHECK_EQUAL(error_of(10, t), "at_capacity");
  CAF_CHECK_EQUAL(tech_of(x), 10u);
  CAF_CHECK(st(x) == status::active);
  CAF_CHECK_EQUAL(m.find(x)->note, "");
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
  // With room again the transfer goes through.
  CAF_CHECK(ok(13, req("request.join", full)));
  CAF_CHECK(ok(13, req("request.close", full)));
  CAF_CHECK(ok(10, t));
  CAF_CHECK_EQUAL(tech_of(x), 13u);
  CAF_CHECK_EQUAL(load_of(m, 10), 0);
}

CAF_TEST(the hand - over on leave skips colleagues at their maximum) {
  online(10);
  online(12);
  online(13);
  // Solo is full with a session of their own.
  auto own = create("help", customer("own"));
  CAF_REQUIRE(ok(13, req("request.accept", own)));
  auto x = create("help", customer("x"));
  CAF_REQUIRE(ok(10, req("request.accept", x)));
  CAF_REQUIRE(ok(10, req("request.join", x)));
  auto join_as = [&](uint64_t tech) {
    auto inv = req("request.invite", x);
    inv["technician_id"] = tech;
    auto made = cmd(10, inv);
    CAF_REQUIRE(std::holds_alternative<json>(made));
    auto acc = req("invite.accept", x);
    acc["invite_id"] = std::get<json>(made)["invite_id"];
    CAF_REQUIRE(ok(tech, acc));
  };
  join_as(13); // present longest, but full
  join_as(12);
  CAF_CHECK(ok(10, req("request.leave", x)));
  CAF_CHECK_EQUAL(tech_of(x), 12u);
  CAF_CHECK(st(x) == status::active);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
  CAF_CHECK_EQUAL(load_of(m, 12), 1);
  // Solo stays a colleague.
  CAF_REQUIRE_EQUAL(m.find(x)->collaborators.size(), 1u);
  CAF_CHECK_EQUAL(m.find(x)->collaborators[0].technician_id, 13u);
  // Only a full colleague left: back to the front of the queue.
  CAF_CHECK(ok(12, req("request.leave", x)));
  CAF_CHECK(st(x) == status::waiting);
  CAF_CHECK_EQUAL(tech_of(x), 0u);
  CAF_CHECK_EQUAL(load_of(m, 13), 1);
}

// -- idempotent intakes

CAF_TEST(an intake retried with the same key gets the same request) {
  auto keyed = [](const char* key, uint64_t fingerprint) {
    auto in = customer("ida");
    in.idempotency_key = key;
    in.fingerprint = fingerprint;
    in.token = "token-1";
    return in;
  };
  CAF_CHECK(!m.replay_intake(p("help"), "k1", 7, now).has_value());
  auto id = create("help", keyed("k1", 7));
  // Still being stored: the retry is told to wait a moment.
  auto early = m.replay_intake(p("help"), "k1", 7, now);
  CAF_REQUIRE(early.has_value());
  CAF_CHECK_EQUAL(std::get<failure>(*early).code, "in_progress");
  m.intake_stored(p("help").id, "k1");
  auto again = m.replay_intake(p("help"), "k1", 7, now + 1000);
  CAF_REQUIRE(again.has_value());
  auto& replay = std::get<intake_replay>(*again);
  CAF_CHECK_EQUAL(replay.request_id, id);
  CAF_CHECK_EQUAL(replay.token, "token-1");
  // Another body with the same key; the same key on another portal.
  auto other = m.replay_intake(p("help"), "k1", 8, now);
  CAF_REQUIRE(other.has_value());
  CAF_CHECK_EQUAL(std::get<failure>(*other).code, "idempotency_key_reused");
  CAF_CHECK(!m.replay_intake(p("experts"), "k1", 7, now).has_value());
  // Kept for an hour, not longer.
  CAF_CHECK(
    !m.replay_intake(p("help"), "k1", 7, now + 3601 * 1000).has_value());
}

CAF_TEST(idempotency keys are bounded in number) {
  settings s;
  s.idempotency_keys = 3;
  model small{s};
  small.set_org(sample_org(), 1);
  auto& portal = *small.portal_by_slug("help");
  for (int i = 0; i < 5; ++i) {
    auto in = customer("c" + std::to_string(i));
    in.idempotency_key = "k" + std::to_string(i);
    effects fx;
    CAF_REQUIRE(
      std::holds_alternative<uint64_t>(small.create(portal, in, now, fx)));
    small.intake_stored(portal.id, in.idempotency_key);
  }
  // The oldest two are forgotten, the newest three kept.
  CAF_CHECK(!small.replay_intake(portal, "k0", 0, now).has_value());
  CAF_CHECK(!small.replay_intake(portal, "k1", 0, now).has_value());
  CAF_CHECK(small.replay_intake(portal, "k4", 0, now).has_value());
}

CAF_TEST(an open request keeps its intake key and the closed list its order
           across a restore) {
  auto in = customer("ida");
  in.idempotency_key = "k1";
  in.fingerprint = 7;
  in.token = "token-1";
  auto keyed = create("help", in);
  m.intake_stored(p("help").id, "k1");
  auto gone1 = create("help", customer("a"));
  auto gone2 = create("help", customer("b"));
  effects fx;
  CAF_REQUIRE(!m.cancel(gone1, now + 10, fx).has_value());
  CAF_REQUIRE(!m.cancel(gone2, now + 20, fx).has_value());
  // The stored form of an ended request no longer holds a customer token.
  auto ended = model::to_storage(*m.find(gone2));
  CAF_CHECK(!ended.contains("retry_token"));
  CAF_CHECK_EQUAL(model::to_storage(*m.find(keyed)).value("retry_token", ""),
                  "token-1");

  model copy;
  copy.set_org(m.org(), 2);
  CAF_REQUIRE(copy.restore(m.snapshot(), now + 100));
  CAF_CHECK_EQUAL(copy.requests_to_load(),
                  (std::vector<uint64_t>{gone2, gone1}));
  for (auto& [id, r] : m.open_requests())
    copy.restore_request(*model::from_storage(model::to_storage(r)), now + 100);
  for (auto id : copy.requests_to_load())
    copy.restore_request(*model::from_storage(model::to_storage(*m.find(id))),
                         now + 100);
  std::vector<uint64_t> closed;
  for (auto& r : copy.recent_closed())
    closed.push_back(r.id);
  CAF_CHECK_EQUAL(closed, (std::vector<uint64_t>{gone2, gone1}));
  auto again = copy.replay_intake(p("help"), "k1", 7, now + 1000);
  CAF_REQUIRE(again.has_value());
  CAF_REQUIRE(std::holds_alternative<intake_replay>(*again));
  CAF_CHECK_EQUAL(std::get<intake_replay>(*again).request_id, keyed);
  CAF_CHECK_EQUAL(std::get<intake_replay>(*again).token, "token-1");
  auto other = copy.replay_intake(p("help"), "k1", 8, now + 1000);
  CAF_REQUIRE(other.has_value());
  CAF_CHECK_EQUAL(std::get<failure>(*other).code, "idempotency_key_reused");
}

CAF_TEST_FIXTURE_SCOPE_END()
