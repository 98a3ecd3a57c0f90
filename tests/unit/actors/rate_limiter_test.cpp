#define CAF_SUITE actors.rate_limiter

#include "actors/rate_limiter.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors;

CAF_TEST(a key is limited within its window and free again after it) {
  rate_limiter l{{3, 60000, 100, 100}};
  for (int i = 0; i < 3; ++i)
    CAF_CHECK(l.try_hit("a", 1000 + i));
  CAF_CHECK(!l.allowed("a", 1010));
  CAF_CHECK_EQUAL(l.retry_after_ms("a", 1010), 59990);
  CAF_CHECK(l.allowed("b", 1010));
  // Sliding: the first event leaves the window at 61000.
  CAF_CHECK(!l.allowed("a", 60999));
  CAF_CHECK(l.allowed("a", 61000));
  l.forget("a");
  CAF_CHECK(l.allowed("a", 1010));
}

CAF_TEST(keys expire by time instead of filling the table) {
  rate_limiter l{{2, 1000, 10, 10}};
  for (int i = 0; i < 10; ++i)
    l.hit("k" + std::to_string(i), 0);
  CAF_CHECK_EQUAL(l.keys(), 10u);
  // A window later all are dead: a new key finds room without evicting.
  l.hit("fresh", 1000);
  CAF_CHECK_EQUAL(l.keys(), 1u);
  CAF_CHECK_EQUAL(l.evicted(), 0u);
}

CAF_TEST(an attacker rotating addresses does not reset a throttled victim) {
  // The table holds 100 keys; the old code cleared everything when full.
  rate_limiter l{{5, 600000, 100, 0}};
  int64_t t = 0;
  for (int i = 0; i < 5; ++i)
    l.hit("victim", t++);
  CAF_REQUIRE(!l.allowed("victim", t));
  // Thousands of distinct addresses, each asking first as callers do.
  size_t admitted = 0;
  for (int i = 0; i < 5000; ++i) {
    auto key =
      "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".1";
    admitted += l.try_hit(key, t++);
  }
  // The global ceiling stopped the flood before the table filled ...
  CAF_CHECK_LESS_OR_EQUAL(l.keys(), 100u);
  CAF_CHECK_LESS(admitted, 100u);
  CAF_CHECK_EQUAL(l.evicted(), 0u);
  // ... so the victim is still throttled.
  CAF_CHECK(!l.allowed("victim", t));
  CAF_CHECK_GREATER(l.retry_after_ms("victim", t), 0);
}

CAF_TEST(the least recently used key goes first when hits exceed the table) {
  // Without asking first (hit only) the table still stays bounded.
  rate_limiter l{{5, 600000, 3, 3}};
  l.hit("a", 1);
  l.hit("b", 2);
  l.hit("c", 3);
  l.hit("a", 4); // a is now the most recent
  l.hit("d", 5); // b goes
  CAF_CHECK_EQUAL(l.keys(), 3u);
  CAF_CHECK_EQUAL(l.evicted(), 1u);
  l.forget("b"); // gone already: nothing happens
  CAF_CHECK_EQUAL(l.keys(), 3u);
}

CAF_TEST(the global ceiling throttles every key until events leave the window) {
  rate_limiter l{{100, 1000, 1000, 4}};
  for (int i = 0; i < 4; ++i)
    CAF_CHECK(l.try_hit("k" + std::to_string(i), 100 * i));
  CAF_CHECK(!l.allowed("new", 350));
  CAF_CHECK_EQUAL(l.retry_after_ms("new", 350), 650);
  CAF_CHECK(l.allowed("new", 1001));
}

CAF_TEST(ipv6 addresses count by their 64 - bit prefix) {
  CAF_CHECK_EQUAL(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  CAF_CHECK_EQUAL(address_key("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
  CAF_CHECK_EQUAL(address_key("[2001:db8:1:3::9]"), "2001:db8:1:3::/64");
  CAF_CHECK_EQUAL(address_key("fe80::1%eth0"), "fe80::/64");
  CAF_CHECK_EQUAL(address_key("::ffff:192.0.2.7"), "192.0.2.7");
  CAF_CHECK_EQUAL(address_key("192.0.2.7"), "192.0.2.7");
  CAF_CHECK_EQUAL(address_key("user:x"), "user:x");
  CAF_CHECK_EQUAL(address_key(""), "");
  // So one subscriber's many addresses share one limit.
  rate_limiter l{{2, 60000, 100, 100}};
  CAF_CHECK(l.try_hit(address_key("2001:db8::1"), 0));
  CAF_CHECK(l.try_hit(address_key("2001:db8::2"), 1));
  CAF_CHECK(!l.allowed(address_key("2001:db8::3"), 2));
  CAF_CHECK(l.allowed(address_key("2001:db8:0:1::3"), 2));
}
