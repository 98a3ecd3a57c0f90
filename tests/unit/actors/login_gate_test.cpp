#define CAF_SUITE actors.login_gate

#include "actors/identity/login_gate.hpp"

#include <string>
#include <vector>

#include <caf/test/unit_test.hpp>

using namespace openassist::actors;

namespace {

struct log {
  std::vector<std::string> events;
  std::function<void()> start(const std::string& name) {
    return [this, name] { events.push_back("start " + name); };
  }
  std::function<void()> refuse(const std::string& name) {
    return [this, name] { events.push_back("refuse " + name); };
  }
};

} // namespace

CAF_TEST(untrusted checks take a slot then wait in a bounded queue) {
  login_gate gate{{1, 2, 10'000, 100, 1'000'000}};
  log l;
  CAF_CHECK(gate.enter(l.start("a"), l.refuse("a"), 0) ==
            login_gate::admit::now);
  CAF_CHECK(gate.enter(l.start("b"), l.refuse("b"), 0) ==
            login_gate::admit::queued);
  CAF_CHECK(gate.enter(l.start("c"), l.refuse("c"), 0) ==
            login_gate::admit::queued);
  // The queue is full: refused at once, nothing runs.
  CAF_CHECK(gate.enter(l.start("d"), l.refuse("d"), 0) ==
            login_gate::admit::busy);
  CAF_CHECK_EQUAL(l.events, (std::vector<std::string>{"start a"}));
  CAF_CHECK_EQUAL(gate.running(), 1u);
  CAF_CHECK_EQUAL(gate.waiting(), 2u);
  gate.leave(100);
  gate.leave(200);
  CAF_CHECK_EQUAL(l.events,
                  (std::vector<std::string>{"start a", "start b", "start c"}));
  gate.leave(300);
  CAF_CHECK_EQUAL(gate.running(), 0u);
  CAF_CHECK_EQUAL(gate.waiting(), 0u);
}

CAF_TEST(a check that waited too long is refused and its slot passed on) {
  login_gate gate{{1, 4, 5'000, 100, 1'000'000}};
  log l;
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.enter(l.start("b"), l.refuse("b"), 0);
  gate.enter(l.start("c"), l.refuse("c"), 4'000);
  gate.leave(6'000); // b waited 6 s: refused; c waited 2 s: starts
  CAF_CHECK_EQUAL(l.events,
                  (std::vector<std::string>{"start a", "refuse b", "start c"}));
  CAF_CHECK_EQUAL(gate.running(), 1u);
}

CAF_TEST(a newcomer does not overtake the queue) {
  login_gate gate{{2, 4, 10'000, 100, 1'000'000}};
  log l;
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.enter(l.start("b"), l.refuse("b"), 0);
  gate.enter(l.start("c"), l.refuse("c"), 0);
  CAF_CHECK_EQUAL(gate.waiting(), 1u);
  gate.leave(10);
  CAF_CHECK_EQUAL(l.events.back(), "start c");
  CAF_CHECK(gate.enter(l.start("d"), l.refuse("d"), 20) ==
            login_gate::admit::queued);
}

CAF_TEST(trust lasts for its time and the table stays bounded) {
  login_gate gate{{1, 1, 1'000, 3, 1'000}};
  gate.trust("10.0.0.1", 0);
  CAF_CHECK(gate.trusted("10.0.0.1", 999));
  CAF_CHECK(!gate.trusted("10.0.0.1", 1'000));
  CAF_CHECK(!gate.trusted("10.0.0.2", 0));
  gate.trust("10.0.0.2", 100);
  gate.trust("10.0.0.3", 200);
  gate.trust("10.0.0.4", 300); // full: the least recently trusted goes
  CAF_CHECK_EQUAL(gate.trusted_count(), 3u);
  CAF_CHECK(!gate.trusted("10.0.0.1", 300));
  CAF_CHECK(gate.trusted("10.0.0.2", 300));
  CAF_CHECK(gate.trusted("10.0.0.4", 300));
  // Expired entries make room before live ones are dropped.
  gate.trust("10.0.0.5", 1'150); // 2 (trusted at 100) has expired
  CAF_CHECK(gate.trusted("10.0.0.3", 1'150));
  CAF_CHECK(gate.trusted("10.0.0.4", 1'150));
  CAF_CHECK(gate.trusted("10.0.0.5", 1'150));
}

CAF_TEST(failures at flood rate pace untrusted checks) {
  login_gate_limits limits;
  limits.slots = 2;
  limits.queue = 10;
  limits.max_wait_ms = 60'000;
  limits.flood_failures = 3;
  limits.flood_interval_ms = 1'000;
  login_gate gate{limits};
  log l;
  // Not flooded: both slots start at once.
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.enter(l.start("b"), l.refuse("b"), 0);
  CAF_CHECK_EQUAL(gate.running(), 2u);
  for (int i = 0; i < 3; ++i)
    gate.failed(10);
  CAF_CHECK(gate.flooded(10));
  gate.leave(10);
  gate.leave(10);
  // Flooded: checks start a second apart although slots are free (b started
  // at 0).
  gate.enter(l.start("c"), l.refuse("c"), 10);
  gate.enter(l.start("d"), l.refuse("d"), 10);
  CAF_CHECK_EQUAL(gate.running(), 0u);
  CAF_CHECK_EQUAL(gate.waiting(), 2u);
  CAF_CHECK_EQUAL(gate.wake_in_ms(10), 990);
  gate.pump(500);
  CAF_CHECK_EQUAL(gate.waiting(), 2u);
  gate.pump(1'000);
  CAF_CHECK_EQUAL(l.events.back(), "start c");
  CAF_CHECK_EQUAL(gate.wake_in_ms(1'000), 1'000);
  gate.pump(2'000);
  CAF_CHECK_EQUAL(l.events.back(), "start d");
  CAF_CHECK_EQUAL(gate.wake_in_ms(2'000), 0);
  // A minute later the failures are old: no pace any more.
  CAF_CHECK(!gate.flooded(60'011));
  gate.leave(60'011);
  gate.leave(60'011);
  gate.enter(l.start("e"), l.refuse("e"), 60'011);
  gate.enter(l.start("f"), l.refuse("f"), 60'011);
  CAF_CHECK_EQUAL(gate.running(), 2u);
}

CAF_TEST(a newcomer first lets the waiting start once the flood is over) {
  login_gate_limits limits;
  limits.slots = 1;
  limits.queue = 4;
  limits.max_wait_ms = 120'000;
  limits.flood_failures = 1;
  limits.flood_interval_ms = 1'000;
  login_gate gate{limits};
  log l;
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.failed(0);
  gate.leave(0);
  gate.enter(l.start("b"), l.refuse("b"), 10); // paced: waits
  CAF_CHECK_EQUAL(gate.waiting(), 1u);
  // No wake-up came; a minute later the flood is over and a new login
  // arrives: the waiting one starts first, the newcomer queues behind it.
  CAF_CHECK(gate.enter(l.start("c"), l.refuse("c"), 61'000) ==
            login_gate::admit::queued);
  CAF_CHECK_EQUAL(l.events, (std::vector<std::string>{"start a", "start b"}));
  gate.leave(61'100);
  CAF_CHECK_EQUAL(l.events.back(), "start c");
}

CAF_TEST(refusals at a full queue pace untrusted checks before any fails) {
  login_gate_limits limits;
  limits.slots = 1;
  limits.queue = 1;
  limits.max_wait_ms = 60'000;
  limits.flood_failures = 3;
  limits.flood_interval_ms = 1'000;
  login_gate gate{limits};
  log l;
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.enter(l.start("b"), l.refuse("b"), 0); // waits for the slot
  for (int i = 0; i < 3; ++i)
    CAF_CHECK(gate.enter(l.start("x"), l.refuse("x"), 0) ==
              login_gate::admit::busy);
  // No check has failed yet, but three were refused: a flood.
  CAF_CHECK(gate.flooded(0));
  gate.leave(10);
  // b waits for the pace (a started at 0), not just for the free slot.
  CAF_CHECK_EQUAL(gate.waiting(), 1u);
  CAF_CHECK_EQUAL(gate.wake_in_ms(10), 990);
  gate.pump(1'000);
  CAF_CHECK_EQUAL(l.events.back(), "start b");
}

CAF_TEST(checks that waited too long count towards the flood) {
  login_gate_limits limits;
  limits.slots = 1;
  limits.queue = 4;
  limits.max_wait_ms = 100;
  limits.flood_failures = 2;
  login_gate gate{limits};
  log l;
  gate.enter(l.start("a"), l.refuse("a"), 0);
  gate.enter(l.start("b"), l.refuse("b"), 0);
  gate.enter(l.start("c"), l.refuse("c"), 0);
  CAF_CHECK(!gate.flooded(0));
  gate.pump(200);
  CAF_CHECK_EQUAL(
    l.events, (std::vector<std::string>{"start a", "refuse b", "refuse c"}));
  CAF_CHECK(gate.flooded(200));
}
