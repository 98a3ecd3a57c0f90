#define CAF_SUITE actors.presence_model

#include "actors/intake/presence_model.hpp"

#include <caf/test/unit_test.hpp>

using openassist::actors::desk::presence_model;

CAF_TEST(a technician is offline without a console and in the grace) {
  presence_model p;
  CAF_CHECK_EQUAL(p.effective(), "offline");
  CAF_CHECK(p.connect());  // came online
  CAF_CHECK(!p.connect()); // a second console
  CAF_CHECK_EQUAL(p.effective(), "available");
  CAF_CHECK(!p.disconnect(1000, 15000)); // one console is left
  CAF_CHECK(p.online());
  CAF_CHECK(p.disconnect(1000, 15000)); // the last one
  CAF_CHECK_EQUAL(p.effective(), "offline");
  CAF_CHECK(!p.disconnect(1000, 15000)); // no console to lose
  // The grace runs until 16000; it is over once.
  CAF_CHECK(!p.grace_over(15999));
  CAF_CHECK(p.grace_over(16000));
  CAF_CHECK(!p.grace_over(17000));
  // A console back within the grace keeps everything: no grace left.
  p.connect();
  p.disconnect(20000, 15000);
  p.connect();
  CAF_CHECK(!p.expecting());
  CAF_CHECK(!p.grace_over(40000));
}

CAF_TEST(the chosen status shows while a console is connected) {
  struct row {
    const char* choose;
    bool changed;
    const char* chosen;
  };
  presence_model p;
  p.connect();
  for (auto r : {row{"busy", true, "busy"}, row{"busy", false, "busy"},
                 row{"lunch", false, "busy"}, row{"", false, "busy"},
                 row{"away", true, "away"}, row{"offline", true, "offline"},
                 row{"available", true, "available"}}) {
    CAF_CHECK_EQUAL(p.choose(r.choose), r.changed);
    CAF_CHECK_EQUAL(p.chosen(), r.chosen);
    CAF_CHECK_EQUAL(p.effective(), r.chosen);
  }
  p.choose("away");
  p.disconnect(0, 1000);
  CAF_CHECK_EQUAL(p.effective(), "offline");
  CAF_CHECK_EQUAL(p.chosen(), "away"); // kept for when they come back
}

CAF_TEST(a technician never holds more requests than the maximum) {
  presence_model p;
  CAF_CHECK(p.hold(1, 2, 100));
  CAF_CHECK(p.hold(2, 2, 200));
  CAF_CHECK_EQUAL(p.last_assigned_ms(), 200);
  CAF_CHECK(!p.hold(3, 2, 300)); // full: nothing changes
  CAF_CHECK(!p.holds(3));
  CAF_CHECK_EQUAL(p.load(), 2);
  CAF_CHECK_EQUAL(p.last_assigned_ms(), 200);
  // Holding one again (a hand-over to themselves) is no new load.
  CAF_CHECK(p.hold(2, 2, 400));
  CAF_CHECK_EQUAL(p.load(), 2);
  // A lower maximum refuses new requests and keeps the held ones.
  CAF_CHECK(p.hold(1, 1, 500));
  CAF_CHECK(!p.hold(4, 1, 500));
  CAF_CHECK(!p.has_room(1));
  p.release(1);
  p.release(2);
  CAF_CHECK(p.has_room(1));
  CAF_CHECK(p.hold(4, 1, 600));
  // What storage says is held is taken whatever the maximum.
  p.restore_held(5);
  CAF_CHECK_EQUAL(p.load(), 2);
}

CAF_TEST(after a restart consoles get until the deadline) {
  presence_model p;
  p.restore("busy", 1234);
  CAF_CHECK_EQUAL(p.chosen(), "busy");
  CAF_CHECK_EQUAL(p.last_assigned_ms(), 1234);
  p.expect_until(60000);
  CAF_CHECK(!p.grace_over(59999));
  CAF_CHECK(p.grace_over(60000));
  presence_model q;
  q.restore("made-up", 0);
  CAF_CHECK_EQUAL(q.chosen(), "available");
  q.connect();
  q.expect_until(60000); // online: nothing to wait for
  CAF_CHECK(!q.expecting());
}
