#define CAF_SUITE gateways.app_codes
// The support app's one-time join codes (docs/remote-control.md, "Joining"):
// 10 digits, one use, 10 minutes, the oldest go first when too many are
// held, and a budget of tries per address.

#include "gateways/app_codes.hpp"

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include <caf/test/unit_test.hpp>

#include "actors/rate_limiter.hpp"

using namespace openassist;
using namespace openassist::gateways;

namespace {

constexpr int64_t t0 = 1'764'000'000'000;

app_codes::grant grant_of(const std::string& request_id) {
  return {"acme", request_id, "tok-" + request_id, "support"};
}

bool all_digits(const std::string& code) {
  for (char c : code)
    if (std::isdigit(static_cast<unsigned char>(c)) == 0)
      return false;
  return true;
}

} // namespace

CAF_TEST(a code is 10 digits and stands for its grant) {
  app_codes codes;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto code = codes.mint(grant_of(std::to_string(i)), t0);
    CAF_CHECK_EQUAL(code.size(), app_codes::digits);
    CAF_CHECK_EQUAL(code.size(), 10u);
    CAF_CHECK(all_digits(code));
    seen.insert(code);
  }
  CAF_CHECK_EQUAL(seen.size(), 50u);
  CAF_CHECK_EQUAL(codes.size(), 50u);
  auto code = codes.mint(grant_of("7"), t0);
  auto g = codes.redeem(code, t0 + 1000);
  CAF_REQUIRE(g.has_value());
  CAF_CHECK_EQUAL(g->account, "acme");
  CAF_CHECK_EQUAL(g->request_id, "7");
  CAF_CHECK_EQUAL(g->token, "tok-7");
  CAF_CHECK_EQUAL(g->portal, "support");
}

CAF_TEST(a code is redeemed once) {
  app_codes codes;
  auto code = codes.mint(grant_of("5"), t0);
  CAF_CHECK(codes.redeem(code, t0).has_value());
  CAF_CHECK(!codes.redeem(code, t0).has_value());
  CAF_CHECK(!codes.redeem(code, t0 + 1).has_value());
  CAF_CHECK_EQUAL(codes.size(), 0u);
  // A second code for the same request is a code of its own.
  auto a = codes.mint(grant_of("5"), t0);
  auto b = codes.mint(grant_of("5"), t0);
  CAF_CHECK_NOT_EQUAL(a, b);
  CAF_CHECK(codes.redeem(b, t0).has_value());
  CAF_CHECK(codes.redeem(a, t0).has_value());
}

CAF_TEST(an unknown code fails) {
  app_codes codes;
  CAF_CHECK(!codes.redeem("0000000000", t0).has_value());
  CAF_CHECK(!codes.redeem("", t0).has_value());
  auto code = codes.mint(grant_of("5"), t0);
  // Another code, a prefix of it, the code with more digits: all unknown.
  auto other = code;
  other[0] = other[0] == '9' ? '0' : static_cast<char>(other[0] + 1);
  CAF_CHECK(!codes.redeem(other, t0).has_value());
  CAF_CHECK(!codes.redeem(code.substr(0, 9), t0).has_value());
  CAF_CHECK(!codes.redeem(code + "0", t0).has_value());
  // None of them used the right one up.
  CAF_CHECK(codes.redeem(code, t0).has_value());
}

CAF_TEST(a code expires after its lifetime) {
  app_codes codes;
  CAF_CHECK_EQUAL(app_codes::lifetime_ms, 600'000);
  auto late = codes.mint(grant_of("1"), t0);
  auto in_time = codes.mint(grant_of("2"), t0);
  // Good until just before its lifetime is over...
  CAF_CHECK(codes.redeem(in_time, t0 + app_codes::lifetime_ms - 1).has_value());
  // ...and not from then on.
  CAF_CHECK(!codes.redeem(late, t0 + app_codes::lifetime_ms).has_value());
  CAF_CHECK_EQUAL(codes.size(), 0u);
  // Expired codes go when the time comes, even if nobody asks for them.
  codes.mint(grant_of("3"), t0);
  codes.mint(grant_of("4"), t0 + 1000);
  CAF_CHECK_EQUAL(codes.size(), 2u);
  auto fresh = codes.mint(grant_of("5"), t0 + app_codes::lifetime_ms);
  CAF_CHECK_EQUAL(codes.size(), 2u); // "4" and "5"
  CAF_CHECK(
    codes.redeem(fresh, t0 + 2 * app_codes::lifetime_ms - 1).has_value());
}

CAF_TEST(expiry takes the oldest codes first) {
  app_codes codes;
  std::vector<std::string> minted;
  for (int64_t i = 0; i < 5; ++i)
    minted.push_back(codes.mint(grant_of(std::to_string(i)), t0 + i * 1000));
  // At lifetime + 2 s the codes of 0 s, 1 s and 2 s are over.
  auto now = t0 + app_codes::lifetime_ms + 2000;
  CAF_CHECK(!codes.redeem(minted[0], now).has_value());
  CAF_CHECK_EQUAL(codes.size(), 2u);
  CAF_CHECK(!codes.redeem(minted[2], now).has_value());
  auto g = codes.redeem(minted[3], now);
  CAF_REQUIRE(g.has_value());
  CAF_CHECK_EQUAL(g->request_id, "3");
  CAF_CHECK(codes.redeem(minted[4], now).has_value());
}

CAF_TEST(beyond max_codes the oldest code goes) {
  app_codes codes;
  std::vector<std::string> minted;
  minted.reserve(app_codes::max_codes + 1);
  for (size_t i = 0; i < app_codes::max_codes; ++i)
    minted.push_back(codes.mint(grant_of("1"), t0));
  CAF_CHECK_EQUAL(codes.size(), app_codes::max_codes);
  auto newest = codes.mint(grant_of("2"), t0);
  CAF_CHECK_EQUAL(codes.size(), app_codes::max_codes);
  // The first minted went; the second and the newest are still good.
  CAF_CHECK(!codes.redeem(minted[0], t0).has_value());
  CAF_CHECK(codes.redeem(minted[1], t0).has_value());
  CAF_CHECK(codes.redeem(newest, t0).has_value());
  CAF_CHECK_EQUAL(codes.size(), app_codes::max_codes - 2);
  // With room again, minting takes nothing away.
  codes.mint(grant_of("3"), t0);
  codes.mint(grant_of("3"), t0);
  CAF_CHECK_EQUAL(codes.size(), app_codes::max_codes);
  CAF_CHECK(codes.redeem(minted[2], t0).has_value());
}

CAF_TEST(an address gets tries_per_min tries a minute) {
  app_codes codes;
  CAF_CHECK_EQUAL(app_codes::tries_per_min, 10u);
  for (size_t i = 0; i < app_codes::tries_per_min; ++i)
    CAF_CHECK_EQUAL(codes.wait_s("203.0.113.7", t0), 0);
  // The next try waits for the minute of the first one.
  CAF_CHECK_EQUAL(codes.wait_s("203.0.113.7", t0), 60);
  CAF_CHECK_EQUAL(codes.wait_s("203.0.113.7", t0 + 30'000), 30);
  // Rounded up: never 0 while it must wait.
  CAF_CHECK_EQUAL(codes.wait_s("203.0.113.7", t0 + 59'500), 1);
  // Other addresses have their own budget.
  CAF_CHECK_EQUAL(codes.wait_s("203.0.113.8", t0), 0);
  // A minute later the address may try again.
  CAF_CHECK_EQUAL(codes.wait_s("203.0.113.7", t0 + 60'000), 0);
}

CAF_TEST(the addresses of one IPv6 64 share a budget) {
  app_codes codes;
  // The same /64 counts as one address (actors::address_key).
  CAF_CHECK_EQUAL(actors::address_key("2001:db8:1:2::1"),
                  actors::address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  for (size_t i = 0; i < app_codes::tries_per_min; ++i) {
    auto host = "2001:db8:1:2::" + std::to_string(i + 1);
    CAF_CHECK_EQUAL(codes.wait_s(host, t0), 0);
  }
  CAF_CHECK(codes.wait_s("2001:db8:1:2:abcd::99", t0) > 0);
  CAF_CHECK(codes.wait_s("[2001:db8:1:2::1]", t0) > 0);
  // The next /64 is another budget.
  CAF_CHECK_EQUAL(codes.wait_s("2001:db8:1:3::1", t0), 0);
  // An IPv4-mapped address is its IPv4 address.
  for (size_t i = 0; i < app_codes::tries_per_min; ++i)
    CAF_CHECK_EQUAL(codes.wait_s("198.51.100.4", t0), 0);
  CAF_CHECK(codes.wait_s("::ffff:198.51.100.4", t0) > 0);
}
