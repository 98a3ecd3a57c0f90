#define CAF_SUITE actors.connection_codes

#include "actors/intake/connection_codes.hpp"

#include <array>
#include <set>

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

CAF_TEST(codes are nine random digits) {
  std::set<std::string> seen;
  std::array<int, 10> first_digit{};
  std::set<long long> steps;
  long long previous = -1;
  for (int i = 0; i < 20000; ++i) {
    auto c = new_connection_code();
    CAF_REQUIRE(well_formed_connection_code(c));
    ++first_digit[static_cast<size_t>(c.front() - '0')];
    auto n = std::stoll(c);
    if (previous >= 0)
      steps.insert(n - previous);
    previous = n;
    seen.insert(c);
  }
  // 20,000 draws from 10^9 repeat about 0.2 times on average (birthday
  // bound); more than 5 repeats would be a broken generator.
  auto repeats = 20000 - seen.size();
  CAF_CHECK_LESS_OR_EQUAL(repeats, 5u);
  // Not sequential: consecutive codes differ by all sorts of steps.
  CAF_CHECK_GREATER(steps.size(), 19000u);
  // Every leading digit, 0 included, about 2,000 times (sd about 42).
  for (auto count : first_digit) {
    CAF_CHECK_GREATER(count, 1700);
    CAF_CHECK_LESS(count, 2300);
  }
  CAF_CHECK(!well_formed_connection_code("12345678"));
  CAF_CHECK(!well_formed_connection_code("12345678a"));
  CAF_CHECK(!well_formed_connection_code("1234567890"));
}

CAF_TEST(wrong guesses are limited per address) {
  guess_limiter limit{5, 600};
  for (int i = 0; i < 5; ++i) {
    CAF_CHECK(limit.allowed("1.2.3.4", 1000 + i));
    limit.wrong("1.2.3.4", 1000 + i);
  }
  CAF_CHECK(!limit.allowed("1.2.3.4", 1010));
  CAF_CHECK_EQUAL(limit.retry_after("1.2.3.4", 1010), 590);
  CAF_CHECK(limit.allowed("5.6.7.8", 1010));
  CAF_CHECK(limit.allowed("1.2.3.4", 1601));
}

CAF_TEST(a flood of addresses does not reset a throttled guesser) {
  guess_limiter limit{5, 600};
  for (int i = 0; i < 5; ++i)
    limit.wrong("1.2.3.4", 1000);
  CAF_REQUIRE(!limit.allowed("1.2.3.4", 1000));
  // More distinct addresses than the old table held before it was wiped.
  for (int i = 0; i < 100010; ++i) {
    auto a = "10." + std::to_string(i >> 16) + "." +
             std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255);
    if (limit.allowed(a, 1001))
      limit.wrong(a, 1001);
  }
  CAF_CHECK(!limit.allowed("1.2.3.4", 1002));
  CAF_CHECK_EQUAL(limit.limiter().evicted(), 0u);
  CAF_CHECK_LESS_OR_EQUAL(limit.limiter().keys(), 20000u);
}

CAF_TEST(ipv6 guessers are limited by their 64 - bit prefix) {
  guess_limiter limit{5, 600};
  for (int i = 1; i <= 5; ++i) {
    auto a = "2001:db8:7:7::" + std::to_string(i);
    CAF_CHECK(limit.allowed(a, 1000));
    limit.wrong(a, 1000);
  }
  CAF_CHECK(!limit.allowed("2001:db8:7:7:ffff::6", 1000));
  CAF_CHECK(limit.allowed("2001:db8:7:8::1", 1000));
}
