#define CAF_SUITE monitoring.memory

#include <caf/all.hpp>
#include <caf/test/dsl.hpp>

#include <cstdlib>
#include <string>

#include "monitoring/mailbox_probe.hpp"
#include "monitoring/memory_keeper.hpp"
#include "monitoring/metrics.hpp"

using namespace caf;
using namespace openassist::monitoring;

namespace {

using probe_atom = atom_constant<atom("probe")>;

struct probed_state {
  mailbox_probe probe;
};

// Samples its mailbox on a `(probe_atom, true)`.
behavior probed(stateful_actor<probed_state>* self, prometheus::Gauge* g) {
  self->state.probe = mailbox_probe(g);
  return {
    [self](probe_atom, bool sample) {
      if (sample)
        self->state.probe.sample(self);
    },
  };
}

struct fixture : test_coordinator_fixture<> {
  node_metrics metrics;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(memory_tests, fixture)

CAF_TEST(a probe adds what waits in its actor mailbox to its kind) {
  auto* g = metrics.actors.mailbox("session");
  auto a = sys.spawn(probed, g);
  auto b = sys.spawn(probed, g);
  sched.run();
  // Each samples while handling its first message: the rest still waits.
  anon_send(a, probe_atom::value, true);
  for (int i = 0; i < 4; ++i)
    anon_send(a, probe_atom::value, false);
  anon_send(b, probe_atom::value, true);
  for (int i = 0; i < 2; ++i)
    anon_send(b, probe_atom::value, false);
  sched.run();
  CAF_CHECK_EQUAL(g->Value(), 4.0 + 2.0);
  // A new sample replaces the actor's share.
  anon_send(a, probe_atom::value, true);
  sched.run();
  CAF_CHECK_EQUAL(g->Value(), 2.0);
  // What an actor reported leaves the gauge with it.
  anon_send_exit(b, exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK_EQUAL(g->Value(), 0.0);
  anon_send_exit(a, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a probe without a gauge does nothing and kinds are separate) {
  mailbox_probe none;
  none.report(7);
  CAF_CHECK_EQUAL(none.reported(), 0u);
  auto* desks = metrics.actors.mailbox("desk");
  auto* conns = metrics.actors.mailbox("connection");
  {
    mailbox_probe p{desks};
    p.report(3);
    mailbox_probe moved{std::move(p)};
    moved.report(5);
    CAF_CHECK_EQUAL(desks->Value(), 5.0);
    CAF_CHECK_EQUAL(conns->Value(), 0.0);
  }
  CAF_CHECK_EQUAL(desks->Value(), 0.0);
}

CAF_TEST(the memory keeper trims on its interval and on demand) {
  memory_keeper_config cfg;
  cfg.interval = std::chrono::seconds(10);
  cfg.trims = metrics.memory.trims;
  cfg.released_bytes = metrics.memory.released_bytes;
  cfg.trim_seconds = metrics.memory.trim_seconds;
  auto keeper = sys.spawn(memory_keeper, cfg);
  sched.run();
  CAF_CHECK_EQUAL(metrics.memory.trims->Value(), 0.0);
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(metrics.memory.trims->Value(), 1.0);
  sched.advance_time(std::chrono::seconds(10));
  sched.run();
  CAF_CHECK_EQUAL(metrics.memory.trims->Value(), 2.0);
  // On demand: answers what it gave back (zero or more bytes).
  auto rh = self->request(keeper, infinite, trim_atom::value);
  sched.run();
  rh.receive([](uint64_t) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(metrics.memory.trims->Value(), 3.0);
  anon_send_exit(keeper, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the node reads its own anonymous memory) {
  // Touch a megabyte so that the figure cannot be zero.
  std::string block(1 << 20, 'x');
  CAF_CHECK_GREATER(anon_resident_bytes(), block.size() / 2);
  auto scrape = metrics.scrape();
  CAF_CHECK_NOT_EQUAL(scrape.find("openassist_memory_anon_bytes "),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(scrape.find("openassist_heap_in_use_bytes "),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    scrape.find("openassist_mailbox_messages{kind=\"persistence\"}"),
    std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
