#define CAF_SUITE actors.hasher

#include "actors/identity/hasher.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/credentials.hpp"
#include "actors/org/account.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

using hash_map = std::map<std::string, std::string>;

// A stand-in hasher whose hash answers wait until the test releases them
// (`ok_atom`; verify answers at once, with real argon2id).
struct held_hashes {
  std::vector<std::pair<response_promise, std::vector<std::string>>> held;
  size_t waiting() const { return held.size(); }
};

behavior held_hasher(event_based_actor* self, std::shared_ptr<held_hashes> h) {
  return {
    [self, h](hash_atom, std::vector<std::string>& passwords) {
      auto rp = self->make_response_promise();
      h->held.emplace_back(rp, std::move(passwords));
      return rp;
    },
    [](verify_atom, const std::string& stored, const std::string& password) {
      return verify_password(stored, password);
    },
    [h](ok_atom) {
      for (auto& [rp, passwords] : h->held) {
        hash_map out;
        for (auto& p : passwords)
          out.emplace(p, *hash_password(p));
        rp.deliver(std::move(out));
      }
      h->held.clear();
    },
  };
}

struct fixture : test_coordinator_fixture<> {
  hasher_pool_actor pool(size_t workers, size_t chunk) {
    hasher_pool_config cfg;
    cfg.workers = workers;
    cfg.chunk = chunk;
    cfg.detached = false;
    auto p = sys.spawn(hasher_pool, cfg);
    sched.run();
    return p;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(hasher_tests, fixture)

CAF_TEST(the pool hashes and verifies like a single hasher) {
  auto p = pool(2, 2);
  auto rh = self->request(
    p, infinite, hash_atom::value,
    std::vector<std::string>{"password-one", "password-two", "password-three"});
  sched.run();
  hash_map hashes;
  rh.receive([&](hash_map& h) { hashes = std::move(h); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_REQUIRE_EQUAL(hashes.size(), 3u);
  auto ok = self->request(p, infinite, verify_atom::value,
                          hashes["password-two"], std::string{"password-two"});
  auto bad = self->request(p, infinite, verify_atom::value,
                           hashes["password-two"], std::string{"password-one"});
  sched.run();
  ok.receive([](bool v) { CAF_CHECK(v); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  bad.receive([](bool v) { CAF_CHECK(!v); },
              [&](error& err) { CAF_FAIL(sys.render(err)); });
  anon_send_exit(p, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a login waits for at most one chunk of a bulk import) {
  // One worker: the import's chunks and the login alternate. The login is
  // answered after the first chunk, long before the import.
  auto p = pool(1, 2);
  std::vector<std::string> bulk;
  for (int i = 0; i < 8; ++i)
    bulk.push_back("bulk-password-" + std::to_string(i));
  auto stored = *hash_password("login-password");
  auto order = std::make_shared<std::vector<std::string>>();
  sys.spawn([=](event_based_actor* client) {
    client->request(p, infinite, hash_atom::value, bulk).then([=](hash_map& h) {
      order->push_back(h.size() == 8 ? "import" : "?");
    });
    client
      ->request(p, infinite, verify_atom::value, stored,
                std::string{"login-password"})
      .then([=](bool v) { order->push_back(v ? "login" : "?"); });
  });
  sched.run();
  std::vector<std::string> expected{"login", "import"};
  CAF_CHECK_EQUAL(*order, expected);
  anon_send_exit(p, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a worker that dies is replaced and its job fails) {
  auto p = pool(1, 4);
  std::vector<actor> workers;
  auto rh = self->request(p, infinite, hasher_workers_atom::value);
  sched.run();
  rh.receive([&](std::vector<actor>& w) { workers = std::move(w); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_REQUIRE_EQUAL(workers.size(), 1u);
  anon_send_exit(workers.front(), exit_reason::unhandled_exception);
  sched.run();
  auto again = self->request(p, infinite, hasher_workers_atom::value);
  sched.run();
  again.receive(
    [&](std::vector<actor>& w) {
      CAF_REQUIRE_EQUAL(w.size(), 1u);
      CAF_CHECK_NOT_EQUAL(w.front(), workers.front());
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  auto works = self->request(p, infinite, hash_atom::value,
                             std::vector<std::string>{"after-restart"});
  sched.run();
  works.receive([](hash_map& h) { CAF_CHECK_EQUAL(h.size(), 1u); },
                [&](error& err) { CAF_FAIL(sys.render(err)); });
  anon_send_exit(p, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the account answers logins while it waits for hashes) {
  temp_dir dir;
  auto env = open_temp_environment(dir);
  storage::persistence_config pcfg;
  pcfg.env = env;
  auto writer = sys.spawn(storage::persistence, pcfg);
  auto held = std::make_shared<held_hashes>();
  account_config cfg;
  cfg.id = "acme";
  cfg.env = env;
  cfg.persistence = writer;
  auto stand_in = sys.spawn(held_hasher, held);
  cfg.hasher = actor_cast<hasher_actor>(stand_in);
  auto release = [&] {
    anon_send(stand_in, ok_atom::value);
    sched.run();
  };
  auto acct = sys.spawn(account, cfg);
  auto created = self->request(
    acct, infinite, account_create_atom::value, std::string{"Acme"},
    std::string{"boss@acme.example"}, std::string{"boss-password-1"});
  sched.run();
  CAF_REQUIRE_EQUAL(held->waiting(), 1u);
  release();
  created.receive([](std::string& body) { CAF_CHECK(!body.empty()); },
                  [&](error& err) { CAF_FAIL(sys.render(err)); });
  // A password change: the account now waits for its hash...
  auto change = self->request(acct, infinite, account_op_atom::value,
                              uint64_t{1}, std::string{"me.settings"},
                              json{{"current_password", "boss-password-1"},
                                   {"new_password", "boss-password-2"}}
                                .dump());
  sched.run();
  CAF_REQUIRE_EQUAL(held->waiting(), 1u);
  // ...and still answers a login's credentials (the old hash)...
  auto creds =
    self->request(acct, infinite, credentials_atom::value, uint64_t{1});
  // ...while a second change waits its turn.
  auto later =
    self->request(acct, infinite, account_op_atom::value, uint64_t{1},
                  std::string{"me.get"}, std::string{"{}"});
  sched.run();
  creds.receive(
    [](std::string& hash, std::string& kind, std::string&, std::string&) {
      CAF_CHECK(verify_password(hash, "boss-password-1"));
      CAF_CHECK_EQUAL(kind, "manager");
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  release();
  change.receive([](bool, std::string& body) { CAF_CHECK(!body.empty()); },
                 [&](error& err) { CAF_FAIL(sys.render(err)); });
  later.receive([](bool, std::string& body) { CAF_CHECK(!body.empty()); },
                [&](error& err) { CAF_FAIL(sys.render(err)); });
  auto now =
    self->request(acct, infinite, credentials_atom::value, uint64_t{1});
  sched.run();
  now.receive(
    [](std::string& hash, std::string&, std::string&, std::string&) {
      CAF_CHECK(verify_password(hash, "boss-password-2"));
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  anon_send_exit(acct, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
