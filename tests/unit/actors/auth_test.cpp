#define CAF_SUITE actors.auth

#include "actors/identity/auth.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/credentials.hpp"
#include "actors/identity/login_sessions.hpp"
#include "actors/org/account.hpp"
#include "client_answer.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  hasher_actor hash;
  cluster::directory_actor directory;
  auth_actor aut;
  std::shared_ptr<int64_t> clock = std::make_shared<int64_t>(1'800'000'000);

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    hash = sys.spawn(hasher);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("account",
                           [this](actor_system& s, const std::string& key) {
                             account_config cfg;
                             cfg.id = key.substr(key.find('/') + 1);
                             cfg.env = env;
                             cfg.persistence = writer;
                             cfg.hasher = hash;
                             return actor_cast<actor>(s.spawn(account, cfg));
                           });
    directory = sys.spawn(cluster::directory, dcfg);
    auth_config acfg;
    acfg.env = env;
    acfg.persistence = writer;
    acfg.hasher = hash;
    acfg.directory = directory;
    acfg.now_s = [c = clock] { return *c; };
    aut = sys.spawn(auth, acfg);
    run();
    // An account with a company manager.
    account_actor acct;
    auto rh = self->request(directory, infinite, cluster::lookup_atom::value,
                            std::string{"account/acme"});
    run();
    rh.receive([&](actor& a) { acct = actor_cast<account_actor>(a); },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    auto created = self->request(
      acct, infinite, account_create_atom::value, std::string{"Acme"},
      std::string{"boss@acme.example"}, std::string{"boss-password-1"});
    run();
    created.receive([](std::string&) {},
                    [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  std::tuple<unsigned, json, std::string> login(const std::string& email,
                                                const std::string& password,
                                                bool bearer = false,
                                                std::string from = "10.0.0.1") {
    std::tuple<unsigned, json, std::string> out;
    auto rh =
      self->request(aut, infinite, login_atom::value, std::string{"manager"},
                    email, password, from, bearer);
    run();
    rh.receive(
      [&](std::string& body, std::string& token) {
        out = {200u, json::parse(body), token};
      },
      [&](error& err) {
        auto [status, body] = answers::as_client(err);
        out = std::make_tuple(status, body, std::string{});
      });
    return out;
  }

  std::string account_of(const std::string& token) {
    std::string out = "<none>";
    auto rh = self->request(aut, infinite, authn_atom::value, token);
    run();
    rh.receive([&](std::string& account, uint64_t, std::string&,
                   bool) { out = account; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(auth_tests, fixture)

CAF_TEST(a login opens a session with a CSRF token) {
  auto [status, body, token] = login("Boss@Acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  CAF_CHECK_EQUAL(token.size(), 43u);
  CAF_CHECK_EQUAL(body["user"]["role"], "company_manager");
  CAF_CHECK_EQUAL(body["csrf_token"].get<std::string>().size(), 43u);
  CAF_CHECK_EQUAL(account_of(token), "acme");
  CAF_CHECK_EQUAL(account_of("made-up-token"), "");
}

CAF_TEST(sessions expire) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  *clock += 12 * 3600 - 1;
  CAF_CHECK_EQUAL(account_of(token), "acme");
  *clock += 2;
  CAF_CHECK_EQUAL(account_of(token), "");
}

CAF_TEST(guessing is throttled) {
  for (int i = 0; i < 5; ++i) {
    auto [status, body, token] = login("boss@acme.example", "wrong-password");
    CAF_CHECK_EQUAL(status, 401u);
  }
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_CHECK_EQUAL(status, 429u);
  // The window passes.
  *clock += 15 * 60 + 1;
  auto [later, b2, t2] = login("boss@acme.example", "boss-password-1");
  CAF_CHECK_EQUAL(later, 200u);
}

CAF_TEST(
  a flood against a user id does not lock them out where they signed in) {
  auto [ok, b0, t0] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(ok, 200u);
  // Someone elsewhere guesses the boss's password from five addresses.
  for (int i = 2; i <= 6; ++i) {
    auto [status, body, token] = login("boss@acme.example", "wrong-password",
                                       false, "10.9.0." + std::to_string(i));
    CAF_CHECK_EQUAL(status, 401u);
  }
  // The user id is locked for everyone else ...
  auto [locked, b1, t1] =
    login("boss@acme.example", "boss-password-1", false, "10.9.0.7");
  CAF_CHECK_EQUAL(locked, 429u);
  // ... but not from the address the boss signed in from.
  auto [again, b2, t2] = login("boss@acme.example", "boss-password-1");
  CAF_CHECK_EQUAL(again, 200u);
}

CAF_TEST(only API managers get bearer tokens) {
  auto [status, body, token] =
    login("boss@acme.example", "boss-password-1", true);
  CAF_CHECK_EQUAL(status, 403u);
}

CAF_TEST(logout ends the session) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto rh = self->request(aut, infinite, logout_atom::value, token);
  run();
  rh.receive([](bool ended) { CAF_CHECK(ended); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(account_of(token), "");
}

CAF_TEST(a password change ends every login of the user) {
  auto [s1, b1, first] = login("boss@acme.example", "boss-password-1");
  auto [s2, b2, second] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(s1, 200u);
  CAF_REQUIRE_EQUAL(s2, 200u);
  CAF_CHECK_EQUAL(account_of(first), "acme");
  // Both are in the user's index.
  size_t indexed = 0;
  auto prefix = user_sessions_prefix("acme", 1);
  env->scan(storage::table::user_sessions, prefix, 100,
            [&](std::string_view k, std::string_view) {
              if (k.substr(0, prefix.size()) != prefix)
                return false;
              indexed += k.size() > prefix.size();
              return true;
            });
  CAF_CHECK_EQUAL(indexed, 2u);
  account_actor acct;
  auto rh = self->request(directory, infinite, cluster::lookup_atom::value,
                          std::string{"account/acme"});
  run();
  rh.receive([&](actor& a) { acct = actor_cast<account_actor>(a); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  auto changed = self->request(acct, infinite, account_op_atom::value,
                               uint64_t{1}, std::string{"me.settings"},
                               json{{"current_password", "boss-password-1"},
                                    {"new_password", "boss-password-2"}}
                                 .dump());
  run();
  changed.receive([](bool, std::string& body) { CAF_CHECK(!body.empty()); },
                  [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(account_of(first), "");
  CAF_CHECK_EQUAL(account_of(second), "");
  auto rows = env->get(storage::table::auth_sessions, token_digest(first));
  CAF_REQUIRE(static_cast<bool>(rows));
  CAF_CHECK(!*rows);
  // A new login with the new password works.
  auto [s3, b3, third] = login("boss@acme.example", "boss-password-2");
  CAF_REQUIRE_EQUAL(s3, 200u);
  CAF_CHECK_EQUAL(account_of(third), "acme");
}

CAF_TEST(
  a login whose credentials were read before the change does not survive it) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  // The change happened after this login checked the password (its write
  // was still on the way when the change ended the user's logins).
  storage::write_batch batch;
  batch.ops.push_back({storage::table::user_sessions,
                       user_sessions_prefix("acme", 1),
                       std::to_string(std::numeric_limits<int64_t>::max() / 2),
                       storage::op_kind::put});
  auto rh = self->request(writer, infinite, storage::write_atom::value,
                          std::move(batch));
  run();
  rh.receive([](const storage::write_receipt&) {},
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(account_of(token), "");
}

CAF_TEST(logout removes the login from the user index) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto key = user_session_key("acme", 1, token_digest(token));
  CAF_CHECK(env->get(storage::table::user_sessions, key)->has_value());
  auto rh = self->request(aut, infinite, logout_atom::value, token);
  run();
  rh.receive([](bool ended) { CAF_CHECK(ended); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK(!env->get(storage::table::user_sessions, key)->has_value());
}

CAF_TEST(a damaged login index row is refused without an exception) {
  for (auto value :
       {"acme/not-a-number", "garbage", "/7", "acme/99999999999999999999999"}) {
    storage::write_batch batch;
    batch.ops.push_back({storage::table::logins,
                         login_key("manager", "broken@acme.example"), value,
                         storage::op_kind::put});
    auto rh = self->request(writer, infinite, storage::write_atom::value,
                            std::move(batch));
    run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    auto [s, b, t] = login("broken@acme.example", "some-password-1");
    CAF_CHECK_EQUAL(s, 401u);
    auto reset =
      self->request(aut, infinite, reset_request_atom::value,
                    std::string{"manager"}, std::string{"broken@acme.example"});
    run();
    reset.receive([](bool ok) { CAF_CHECK(ok); },
                  [&](error& err) { CAF_FAIL(sys.render(err)); });
  }
  // The auth actor lives on.
  auto [s, b, t] = login("boss@acme.example", "boss-password-1");
  CAF_CHECK_EQUAL(s, 200u);
}

CAF_TEST_FIXTURE_SCOPE_END()
