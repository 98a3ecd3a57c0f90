#define CAF_SUITE actors.auth_throttle

#include "actors/identity/auth.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "gateways/error_table.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

// Login throttling uses the node's rate_limiter: addresses count by their
// IPv6 /64, and the table never forgets a throttled key to make room.
namespace {

// Storage, a directory and the settings of an auth actor with a fake clock.
struct auth_env : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  int64_t clock = 1'800'000'000;

  auth_env() {
    env = open_temp_environment(dir, size_t{16} << 20);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    directory = sys.spawn(cluster::directory, cluster::directory_config{});
  }

  auth_config config(hasher_actor hash) {
    auth_config acfg;
    acfg.env = env;
    acfg.persistence = writer;
    acfg.hasher = std::move(hash);
    acfg.directory = directory;
    acfg.now_s = [this] { return clock; };
    return acfg;
  }
};

struct fixture : auth_env {
  hasher_actor hash;
  auth_actor aut;

  fixture() {
    hash = sys.spawn(hasher);
    aut = sys.spawn(auth, config(hash));
    run();
  }

  ~fixture() {
    anon_send_exit(aut, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    run();
  }

  // A login of an unknown user (refused after the same work as a known one).
  unsigned login(const std::string& email, const std::string& from) {
    unsigned out = 0;
    auto rh =
      self->request(aut, infinite, login_atom::value, std::string{"manager"},
                    email, std::string{"wrong-password"}, from, false);
    run();
    rh.receive([&](std::string&, std::string&) { out = 200; },
               [&](error& err) { out = gateways::describe(err).status; });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(auth_throttle_tests, fixture)

CAF_TEST(failed logins from one ipv6 64 - bit prefix count together) {
  // 20 failures per address within 15 minutes; each try another user and
  // another address of the same /64 (free to any subscriber).
  for (int i = 1; i <= 20; ++i) {
    auto from = "2001:db8:5:5::" + std::to_string(i);
    CAF_CHECK_EQUAL(login("u" + std::to_string(i) + "@x.example", from), 401u);
  }
  CAF_CHECK_EQUAL(login("u99@x.example", "2001:db8:5:5:ffff::99"), 429u);
  // Another /64 is another address.
  CAF_CHECK_EQUAL(login("u99@x.example", "2001:db8:5:6::1"), 401u);
  // After the window the prefix may try again.
  clock += 15 * 60 + 1;
  CAF_CHECK_EQUAL(login("u98@x.example", "2001:db8:5:5::1"), 401u);
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

// A hasher that holds every verify until the test answers the oldest with
// "wrong password" (an ok_atom message); `held` counts the verifies held.
using release_atom = atom_constant<atom("release")>;

behavior held_hasher(event_based_actor* self,
                     std::shared_ptr<std::deque<response_promise>> held) {
  return {
    [](hash_atom, const std::vector<std::string>&) {
      return std::map<std::string, std::string>{};
    },
    [self, held](verify_atom, const std::string&, const std::string&) {
      held->push_back(self->make_response_promise());
      return held->back();
    },
    [held](release_atom) {
      if (held->empty())
        return;
      auto rp = held->front();
      held->pop_front();
      rp.deliver(false);
    },
  };
}

struct gate_fixture : auth_env {
  actor hash;
  std::shared_ptr<std::deque<response_promise>> held_ =
    std::make_shared<std::deque<response_promise>>();
  auth_actor aut;

  gate_fixture() {
    hash = sys.spawn(held_hasher, held_);
    auto acfg = config(actor_cast<hasher_actor>(hash));
    acfg.gate.slots = 1;
    acfg.gate.queue = 2;
    acfg.gate.max_wait_ms = 10'000;
    aut = sys.spawn(auth, acfg);
    sched.run();
  }

  ~gate_fixture() {
    while (!held_->empty()) {
      anon_send(hash, release_atom::value);
      sched.run();
    }
    anon_send_exit(aut, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    anon_send_exit(hash, exit_reason::user_shutdown);
    sched.run();
  }

  size_t held() const { return held_->size(); }

  using answer = std::shared_ptr<unsigned>;
  answer login(const std::string& email, const std::string& from) {
    auto out = std::make_shared<unsigned>(0);
    sys.spawn([=, a = aut](event_based_actor* s) {
      s->request(a, infinite, login_atom::value, std::string{"manager"}, email,
                 std::string{"wrong-password"}, from, false)
        .then([out](std::string&, std::string&) { *out = 200; },
              [out](error& err) { *out = gateways::describe(err).status; });
    });
    sched.run();
    return out;
  }

  // Answers the oldest held verify with "wrong password".
  void answer_one() {
    CAF_REQUIRE(held() > 0);
    anon_send(hash, release_atom::value);
    sched.run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(login_gate_tests, gate_fixture)

CAF_TEST(
  a login flood from many addresses gets one hasher slot and a short queue) {
  auto a = login("a@x.example", "10.1.0.1");
  auto b = login("b@x.example", "10.1.0.2");
  auto c = login("c@x.example", "10.1.0.3");
  auto d = login("d@x.example", "10.1.0.4");
  // One check is hashing, two wait, the fourth is refused without hashing.
  CAF_CHECK_EQUAL(held(), 1u);
  CAF_CHECK_EQUAL(*a, 0u);
  CAF_CHECK_EQUAL(*d, 503u);
  answer_one();
  CAF_CHECK_EQUAL(*a, 401u);
  CAF_CHECK_EQUAL(held(), 1u); // b took the slot
  // c waits longer than allowed and is refused when its turn comes.
  clock += 11;
  answer_one();
  CAF_CHECK_EQUAL(*b, 401u);
  CAF_CHECK_EQUAL(*c, 503u);
  CAF_CHECK_EQUAL(held(), 0u);
  // The gate is free again.
  auto e = login("e@x.example", "10.1.0.5");
  CAF_CHECK_EQUAL(held(), 1u);
  answer_one();
  CAF_CHECK_EQUAL(*e, 401u);
}

CAF_TEST_FIXTURE_SCOPE_END()
