#define CAF_SUITE actors.desk_capacity
// The desk model: technicians' maximum sessions on every path; idempotent
// intakes.

#include "desk_model_fixture.hpp"

using namespace openassist::actors;
using namespace openassist::actors::desk;
using namespace openassist::actors::desk_test;

CAF_TEST_FIXTURE_SCOPE(desk_capacity_tests, fixture)

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
  solo_alone();
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
  auto x = joined_session("x", 10);
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
  auto x = joined_session("x", 10);
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
