#define CAF_SUITE actors.desk_model

// The desk model: routing in every portal mode, colleagues, presence, codes,
// no-response rounds, transfers and its storage form.

#include "desk_model_fixture.hpp"

using namespace openassist::actors;
using namespace openassist::actors::desk;
using namespace openassist::actors::desk_test;

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
  auto org = solo_alone();
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
  auto invited = m.command(10, console(by_name), now, inv_fx);
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
  auto any = m.command(10, console(anyone), now + 1, any_fx);
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
  (void)m.command(10, console(req("request.close", id)), now, close_fx);
  size_t withdrawn = 0;
  for (auto& [t, msg] : close_fx.to_console)
    withdrawn += msg["type"] == "invite.withdrawn";
  CAF_CHECK_EQUAL(withdrawn, 7u);
}

CAF_TEST(a console that leaves counts as offline only after the grace) {
  auto org = solo_alone();
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

openassist::actors::customer_choice choose(const char* type,
                                           const std::string& email = {}) {
  return {type, email};
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
    m.command(10, console(req("request.decline", id)), now, fx)));
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
  CAF_CHECK(std::holds_alternative<json>(
    m.command(10, console({{"type", "status.set"}, {"status", "away"}}),
              now + 62 * 1000, away)));
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
    m.command(holder, console(close), now + 100 * 1000, fx)));
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
  CAF_CHECK(std::holds_alternative<json>(
    m.command(tech_of(second), console(req("request.close", second)),
              now + 300 * 1000, fx2)));
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
  auto org = solo_alone();
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

CAF_TEST_FIXTURE_SCOPE_END()
