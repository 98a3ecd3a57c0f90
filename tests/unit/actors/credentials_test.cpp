#define CAF_SUITE actors.credentials

#include "actors/identity/credentials.hpp"

#include <set>

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

CAF_TEST(passwords hash with argon2id and verify) {
  auto hash = hash_password("correct horse battery");
  CAF_REQUIRE(hash.has_value());
  CAF_CHECK_EQUAL(hash->rfind("$argon2id$", 0), 0u);
  CAF_CHECK(verify_password(*hash, "correct horse battery"));
  CAF_CHECK(!verify_password(*hash, "correct horse batterY"));
  CAF_CHECK(!verify_password("", "x"));
  CAF_CHECK(!verify_password("$argon2id$garbage", "x"));
  // Salted: the same password hashes differently each time.
  auto again = hash_password("correct horse battery");
  CAF_CHECK_NOT_EQUAL(*hash, *again);
}

CAF_TEST(password rules) {
  CAF_CHECK(!check_password_rules("short").empty());
  CAF_CHECK(check_password_rules("long enough").empty());
  CAF_CHECK(!check_password_rules(std::string(300, 'x')).empty());
}

CAF_TEST(tokens are random and stored by digest) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto t = random_token();
    CAF_CHECK_EQUAL(t.size(), 43u);
    seen.insert(t);
  }
  CAF_CHECK_EQUAL(seen.size(), 1000u);
  auto t = random_token();
  CAF_CHECK_EQUAL(token_digest(t), token_digest(t));
  CAF_CHECK_EQUAL(token_digest(t).size(), 64u);
  CAF_CHECK_NOT_EQUAL(token_digest(t), token_digest(random_token()));
}
