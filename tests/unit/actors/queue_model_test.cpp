#define CAF_SUITE actors.queue_model

#include "actors/intake/queue_model.hpp"

#include <caf/test/unit_test.hpp>

#include <vector>

using openassist::actors::desk::queue_model;
using ids = std::vector<uint64_t>;

CAF_TEST(requests are served in the order they came and given back ones first) {
  queue_model q;
  CAF_CHECK(q.empty());
  CAF_CHECK(!q.front());
  q.push(1, false);
  q.push(2, false);
  q.push(3, false);
  CAF_CHECK_EQUAL(q.in_order(), (ids{1, 2, 3}));
  // Given back: before every waiting one, the latest given back first.
  q.push(4, true);
  q.push(5, true);
  CAF_CHECK_EQUAL(q.in_order(), (ids{5, 4, 1, 2, 3}));
  CAF_CHECK_EQUAL(q.front().value_or(0), 5u);
  CAF_CHECK_EQUAL(q.size(), 5u);
  struct row {
    uint64_t id;
    size_t place;
  };
  for (auto r :
       {row{5, 1}, row{4, 2}, row{1, 3}, row{2, 4}, row{3, 5}, row{9, 0}})
    CAF_CHECK_EQUAL(q.position(r.id), r.place);
}

CAF_TEST(a request leaves the queue once and may come back to either end) {
  queue_model q;
  q.push(1, false);
  q.push(2, false);
  q.push(3, false);
  CAF_CHECK(q.remove(2));
  CAF_CHECK(!q.remove(2));
  CAF_CHECK(!q.contains(2));
  CAF_CHECK_EQUAL(q.position(3), 2u);
  // A waiting request pushed again moves, it is not there twice.
  q.push(3, true);
  CAF_CHECK_EQUAL(q.in_order(), (ids{3, 1}));
  q.push(3, false);
  CAF_CHECK_EQUAL(q.in_order(), (ids{1, 3}));
  CAF_CHECK_EQUAL(q.size(), 2u);
  CAF_CHECK(q.remove(1));
  CAF_CHECK(q.remove(3));
  CAF_CHECK(q.empty());
}

CAF_TEST(restored requests keep their places and later ones go around them) {
  // Orders as an earlier run stored them: two given back (-3, 0), three new.
  queue_model q;
  for (auto [id, order] : {std::pair<uint64_t, int64_t>{12, 40},
                           {10, 7},
                           {11, -3},
                           {13, 0},
                           {14, 41}})
    q.restore(id, order);
  CAF_CHECK_EQUAL(q.in_order(), (ids{11, 13, 10, 12, 14}));
  // A new request goes behind all of them, a returned one before all.
  CAF_CHECK_EQUAL(q.push(20, false), 42);
  CAF_CHECK_EQUAL(q.push(21, true), -4);
  CAF_CHECK_EQUAL(q.in_order(), (ids{21, 11, 13, 10, 12, 14, 20}));
}

CAF_TEST(the handle time is the mean of ten sessions then a moving average) {
  queue_model q;
  CAF_CHECK(!q.has_handle());
  CAF_CHECK_EQUAL(q.handle_s(300), 300); // no session yet: the default
  q.record_handle(100);
  CAF_CHECK_EQUAL(q.handle_s(300), 100);
  q.record_handle(200);
  CAF_CHECK_EQUAL(q.handle_s(300), 150);
  for (int i = 0; i < 8; ++i)
    q.record_handle(150);
  CAF_CHECK_EQUAL(q.handle_sessions(), 10);
  CAF_CHECK_EQUAL(q.handle_s(300), 150); // the mean of ten
  // From the eleventh on, each weighs a tenth.
  q.record_handle(250);
  CAF_CHECK_EQUAL(q.handle_s(300), 160);
  // Negative durations (a clock step) count as zero; never below a second.
  queue_model z;
  z.record_handle(-5);
  CAF_CHECK_EQUAL(z.handle_s(300), 300); // an average of 0: none yet
  z.record_handle(0.2);
  CAF_CHECK_EQUAL(z.handle_s(300), 1);
}

CAF_TEST(an average stored without its count weighs as ten sessions) {
  queue_model q;
  q.restore_handle(100, 0);
  CAF_CHECK(q.has_handle());
  q.record_handle(200);
  CAF_CHECK_EQUAL(q.handle_sessions(), 11);
  CAF_CHECK_EQUAL(q.handle_s(300), 110);
  queue_model counted;
  counted.restore_handle(100, 1);
  counted.record_handle(200);
  CAF_CHECK_EQUAL(counted.handle_s(300), 150);
}

CAF_TEST(the wait estimate is place times handle time over servers) {
  queue_model q;
  q.restore_handle(120, 20);
  struct row {
    size_t place;
    int servers;
    int64_t wait; ///< -1: no estimate
  };
  for (auto r : {row{1, 1, 120}, row{3, 1, 360}, row{1, 2, 60}, row{3, 2, 180},
                 row{1, 7, 18}, // rounded up
                 row{0, 1, 0}, row{1, 0, -1}, row{5, -1, -1}})
    CAF_CHECK_EQUAL(q.wait_estimate_s(r.place, r.servers, 300).value_or(-1),
                    r.wait);
  // Before any session the default handle time stands in.
  CAF_CHECK_EQUAL(queue_model{}.wait_estimate_s(2, 4, 300).value_or(-1), 150);
}
