#define CAF_SUITE actors.connection_codes

#include "actors/connection_codes.hpp"

#include <set>

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

CAF_TEST(codes are nine random digits) {
  std::set<std::string> seen;
  bool leading_zero = false;
  for (int i = 0; i < 20000; ++i) {
    auto c = new_connection_code();
    CAF_REQUIRE(well_formed_connection_code(c));
    leading_zero |= c.front() == '0';
    seen.insert(c);
  }
  // 20,000 draws from 10^9: a repeat would be a broken generator.
  CAF_CHECK_EQUAL(seen.size(), 20000u);
  CAF_CHECK(leading_zero);  // about 2,000 expected
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
