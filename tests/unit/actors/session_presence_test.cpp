#define CAF_SUITE actors.session_presence
// The customer's presence and the shared screen when the page goes.

#include "session_fixture.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::session_test;
using json = nlohmann::json;

CAF_TEST_FIXTURE_SCOPE(session_presence_tests, fixture)

CAF_TEST(the customer leaving the page is shown and said after the grace) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto first = presence(tech);
  CAF_REQUIRE_EQUAL(first.size(), 1u);
  CAF_CHECK_EQUAL(first[0]["customer"], "gone");
  CAF_CHECK_EQUAL(first[0]["since"], 0); // not seen yet
  auto cust = customer(s);
  sched.run();
  CAF_REQUIRE_EQUAL(presence(tech).size(), 2u);
  CAF_CHECK_EQUAL(where(tech), "here");
  // The page closes: the technician hears at once, the chat after the grace.
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  CAF_REQUIRE_EQUAL(presence(tech).size(), 3u);
  CAF_CHECK_EQUAL(where(tech), "gone");
  auto since = presence(tech)[2]["since"].get<int64_t>();
  CAF_CHECK_EQUAL(since, 1'764'000'000'000);
  CAF_CHECK_EQUAL(stored().size(), 0u);
  sched.advance_time(std::chrono::seconds(5));
  sched.run();
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 1u);
  CAF_CHECK_EQUAL(lines[0]["code"], "customer_away");
  CAF_CHECK_EQUAL(lines[0]["text"], "The customer left the page");
  CAF_CHECK_EQUAL(lines[0]["private"], true);
  CAF_CHECK_EQUAL(tech.box->lines().size(), 1u);
  // Back: shown, and said (once; the customer does not read these lines).
  auto again = customer(s);
  sched.run();
  CAF_CHECK_EQUAL(where(tech), "here");
  lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 2u);
  CAF_CHECK_EQUAL(lines[1]["code"], "customer_back");
  CAF_CHECK_EQUAL(lines[1]["text"], "The customer is back");
  CAF_CHECK_EQUAL(again.box->lines().size(), 0u);
  // A second page of the customer changes nothing.
  auto other_tab = customer(s);
  anon_send_exit(other_tab.conn, exit_reason::user_shutdown);
  sched.run();
  sched.advance_time(std::chrono::seconds(5));
  sched.run();
  CAF_CHECK_EQUAL(where(tech), "here");
  CAF_CHECK_EQUAL(stored().size(), 2u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a reload within the grace writes no line) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto cust = customer(s);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  auto reloaded = customer(s);
  sched.run();
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(stored().size(), 0u);
  auto seen = presence(tech);
  CAF_REQUIRE_EQUAL(seen.size(), 4u); // gone (not seen), here, gone, here
  CAF_CHECK_EQUAL(seen[3]["customer"], "here");
  // Gone when the session ends: nothing is said any more.
  anon_send_exit(reloaded.conn, exit_reason::user_shutdown);
  sched.run();
  anon_send(s, session_update_atom::value, news("closed"));
  sched.run();
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(stored().size(), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the screen ends when the sharing page goes) {
  auto s = spawn_session(writer);
  auto tech = technician(s, 10);
  auto cust = customer(s);
  auto reader = technician(s, 11);
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, cust, "accept").first, 200u);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  json ended;
  for (auto& m : tech.box->messages)
    if (m["type"] == "screen.state")
      ended = m;
  CAF_CHECK_EQUAL(ended["sharing"], false);
  CAF_CHECK_EQUAL(ended["reason"], "page_closed");
  auto gone = presence(tech).back();
  CAF_CHECK_EQUAL(gone["customer"], "gone");
  CAF_CHECK_EQUAL(gone["screen_ended"], true);
  // Said to everyone; frames from elsewhere are not relayed any more.
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 2u);
  CAF_CHECK_EQUAL(lines[1]["code"], "screen_page_closed");
  CAF_CHECK_EQUAL(lines[1]["private"], false);
  CAF_CHECK_EQUAL(reader.box->lines().size(), 2u);
  // The customer comes back: the page learns that it does not share any
  // more, and sharing must be asked for again.
  auto back = customer(s);
  CAF_CHECK_EQUAL(back.box->count("screen.state"), 1u);
  CAF_CHECK_EQUAL(screen(s, back, "accept").first, 409u);
  // A question not answered yet is asked again on the page that comes back.
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_CHECK_EQUAL(back.box->count("screen.requested"), 1u);
  anon_send_exit(back.conn, exit_reason::user_shutdown);
  sched.run();
  auto reloaded = customer(s);
  CAF_CHECK_EQUAL(reloaded.box->count("screen.requested"), 1u);
  CAF_CHECK_EQUAL(screen(s, reloaded, "accept").first, 200u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(presence is a small state machine) {
  customer_presence p;
  CAF_CHECK(!p.grace_over(p.departed(1))); // never seen: nothing to say
  CAF_CHECK(!p.arrived(2));
  auto r1 = p.departed(3);
  CAF_CHECK(!p.arrived(4)); // back within the grace
  CAF_CHECK(!p.grace_over(r1));
  auto r2 = p.departed(5);
  CAF_CHECK(p.grace_over(r2));
  CAF_CHECK(!p.grace_over(r2)); // said once
  CAF_CHECK(p.arrived(9));      // "back"
  auto r3 = p.departed(10);
  p.ended();
  CAF_CHECK(!p.grace_over(r3));
  auto view = p.view();
  CAF_CHECK_EQUAL(view["since"], 10);
}

CAF_TEST_FIXTURE_SCOPE_END()
