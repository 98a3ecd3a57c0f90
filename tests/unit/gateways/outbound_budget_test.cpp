#define CAF_SUITE gateways.outbound_budget

#include "gateways/detail/outbound_budget.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::gateways;
using verdict = outbound_budget::verdict;

CAF_TEST(the per connection limit holds whatever the node total) {
  outbound_budget b{100, 1000};
  b.add(60);
  CAF_CHECK(b.admit(0, 60, 1) == verdict::accept);
  b.add(50);
  CAF_CHECK(b.admit(60, 50, 1) == verdict::over_connection);
  CAF_CHECK(b.admit(50, 50, 1) == verdict::accept); // exactly the limit
}

CAF_TEST(the total counts bytes until they are written or dropped) {
  outbound_budget b{100, 1000};
  b.add(40);
  b.add(30);
  CAF_CHECK_EQUAL(b.total(), 70u);
  b.remove(40);
  CAF_CHECK_EQUAL(b.total(), 30u);
  b.remove(30);
  CAF_CHECK_EQUAL(b.total(), 0u);
}

CAF_TEST(beyond the node budget a connection above its fair share is dropped) {
  // 10 connections share 1000 bytes: a fair share is 100.
  outbound_budget b{800, 1000};
  b.add(950); // queued by slow readers
  b.add(80);  // the new message: total 1030 > 1000
  CAF_CHECK(b.admit(500, 80, 10) == verdict::over_node); // a slow reader
  CAF_CHECK(b.admit(0, 80, 10) == verdict::accept);      // one keeping up
  CAF_CHECK(b.admit(20, 80, 10) == verdict::accept);     // exactly its share
  CAF_CHECK(b.admit(21, 80, 10) == verdict::over_node);
  // Below the node budget only the per-connection limit applies.
  b.remove(950);
  CAF_CHECK(b.admit(500, 80, 10) == verdict::accept);
}

CAF_TEST(a single connection gets the whole node budget) {
  outbound_budget b{5000, 1000};
  b.add(1001);
  CAF_CHECK(b.admit(900, 101, 1) == verdict::over_node);
  CAF_CHECK(b.admit(0, 1001, 1) == verdict::over_node);
  CAF_CHECK(b.admit(0, 1000, 0) == verdict::accept); // no division by zero
}

CAF_TEST(the gauge follows the total) {
  prometheus::Gauge gauge;
  outbound_budget b{100, 1000, &gauge};
  b.add(70);
  b.add(5);
  b.remove(70);
  CAF_CHECK_EQUAL(gauge.Value(), 5.0);
  CAF_CHECK_EQUAL(b.total(), 5u);
}
