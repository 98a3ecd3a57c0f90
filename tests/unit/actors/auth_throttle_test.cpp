#define CAF_SUITE actors.auth_throttle

#include "actors/auth.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

// Login throttling uses the node's rate_limiter: addresses count by their
// IPv6 /64, and the table never forgets a throttled key to make room.
namespace {

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  hasher_actor hash;
  cluster::directory_actor directory;
  auth_actor aut;
  int64_t clock = 1'800'000'000;

  fixture() {
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 16 << 20;
    env = *storage::environment::open(opts);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    hash = sys.spawn(hasher);
    directory = sys.spawn(cluster::directory, cluster::directory_config{});
    auth_config acfg;
    acfg.env = env;
    acfg.persistence = writer;
    acfg.hasher = hash;
    acfg.directory = directory;
    acfg.now_s = [this] { return clock; };
    aut = sys.spawn(auth, acfg);
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
    rh.receive(
      [&](unsigned status, std::string&, std::string&) { out = status; },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
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
