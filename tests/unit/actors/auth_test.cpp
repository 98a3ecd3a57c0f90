#define CAF_SUITE actors.auth

#include "actors/auth.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/account.hpp"
#include "temp_dir.hpp"

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
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *storage::environment::open(opts);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    hash = sys.spawn(hasher);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("account", [this](actor_system& s, const std::string& key) {
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
    auto created = self->request(acct, infinite, account_create_atom::value,
                                 std::string{"Acme"}, std::string{"boss@acme.example"},
                                 std::string{"boss-password-1"});
    run();
    created.receive([](unsigned status, std::string&) { CAF_REQUIRE_EQUAL(status, 201u); },
                    [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  std::tuple<unsigned, json, std::string> login(const std::string& email,
                                                const std::string& password,
                                                bool bearer = false) {
    std::tuple<unsigned, json, std::string> out;
    auto rh = self->request(aut, infinite, login_atom::value, std::string{"manager"},
                            email, password, std::string{"10.0.0.1"}, bearer);
    run();
    rh.receive(
      [&](unsigned status, std::string& body, std::string& token) {
        out = {status, json::parse(body), token};
      },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  std::string account_of(const std::string& token) {
    std::string out = "<none>";
    auto rh = self->request(aut, infinite, authn_atom::value, token);
    run();
    rh.receive([&](std::string& account, uint64_t, std::string&, bool) { out = account; },
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

CAF_TEST(only API managers get bearer tokens) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1", true);
  CAF_CHECK_EQUAL(status, 403u);
}

CAF_TEST(logout ends the session) {
  auto [status, body, token] = login("boss@acme.example", "boss-password-1");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto rh = self->request(aut, infinite, logout_atom::value, token);
  run();
  rh.receive([](bool ended) { CAF_CHECK(ended); }, [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(account_of(token), "");
}

CAF_TEST_FIXTURE_SCOPE_END()
