#define CAF_SUITE gateways.connection_caps

#include "gateways/detail/connection_caps.hpp"

#include <vector>

#include <caf/test/unit_test.hpp>

using namespace openassist::gateways;
using boost::asio::ip::make_address;

CAF_TEST(IPv4 addresses are their own group) {
  CAF_CHECK_EQUAL(address_group(make_address("192.0.2.7")), "192.0.2.7");
  CAF_CHECK_NOT_EQUAL(address_group(make_address("192.0.2.7")),
                      address_group(make_address("192.0.2.8")));
}

CAF_TEST(IPv6 addresses are grouped by their / 64) {
  auto a = address_group(make_address("2001:db8:1:2:aaaa::1"));
  CAF_CHECK_EQUAL(a, "2001:db8:1:2::/64");
  CAF_CHECK_EQUAL(address_group(make_address("2001:db8:1:2:ffff:1:2:3")), a);
  CAF_CHECK_NOT_EQUAL(address_group(make_address("2001:db8:1:3::1")), a);
  CAF_CHECK_EQUAL(address_group(make_address("::1")), "0:0:0:0::/64");
}

CAF_TEST(IPv4 mapped IPv6 counts as the IPv4 address) {
  CAF_CHECK_EQUAL(address_group(make_address("::ffff:192.0.2.7")), "192.0.2.7");
}

CAF_TEST(a group holds at most its cap and slots release on destruction) {
  connection_caps caps{3};
  std::vector<address_slot> held;
  for (int i = 0; i < 3; ++i) {
    auto s = caps.try_acquire("a");
    CAF_REQUIRE(static_cast<bool>(s));
    held.push_back(std::move(s));
  }
  CAF_CHECK(!caps.try_acquire("a"));
  CAF_CHECK_EQUAL(caps.count("a"), 3u);
  // Other addresses are not affected.
  auto b = caps.try_acquire("b");
  CAF_CHECK(static_cast<bool>(b));
  CAF_CHECK_EQUAL(caps.groups(), 2u);
  held.pop_back();
  CAF_CHECK_EQUAL(caps.count("a"), 2u);
  CAF_CHECK(static_cast<bool>(caps.try_acquire("a"))); // released at once
  CAF_CHECK_EQUAL(caps.count("a"), 2u);
  held.clear();
  b.release();
  CAF_CHECK_EQUAL(caps.count("a"), 0u);
  CAF_CHECK_EQUAL(caps.groups(), 0u); // nothing kept for idle addresses
}

CAF_TEST(a slot moves with its connection and is released once) {
  connection_caps caps{1};
  auto s = caps.try_acquire("a");
  address_slot moved{std::move(s)};
  // The moved-from slot is empty (checked on purpose).
  CAF_CHECK(!s); // NOLINT(bugprone-use-after-move)
  CAF_CHECK(static_cast<bool>(moved));
  CAF_CHECK_EQUAL(caps.count("a"), 1u);
  address_slot other;
  other = std::move(moved);
  CAF_CHECK_EQUAL(caps.count("a"), 1u);
  other.release();
  other.release();
  CAF_CHECK_EQUAL(caps.count("a"), 0u);
  CAF_CHECK(static_cast<bool>(caps.try_acquire("a")));
}

CAF_TEST(a refused group leaves no entry behind) {
  connection_caps caps{0};
  CAF_CHECK(!caps.try_acquire("a"));
  CAF_CHECK_EQUAL(caps.groups(), 0u);
}
