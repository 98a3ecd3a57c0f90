#define CAF_SUITE storage.persistence

#include "storage/persistence.hpp"

#include <caf/test/dsl.hpp>

#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::storage;

namespace {

// The stored value as a copy (CAF's check macros keep references).
[[maybe_unused]] std::string stored(const environment& env,
                                    const std::string& key) {
  auto v = env.get(table::entities, key);
  return v && *v ? **v : std::string{"<absent>"};
}

write_batch put(std::string key, std::string value, bool with_event = true) {
  write_batch b;
  b.ops.push_back(put_op{table::entities, key, std::move(value), op_kind::put});
  if (with_event)
    b.events.push_back({0, 0, "test.put", "acme", std::move(key), "{}"});
  return b;
}

write_batch fenced(const std::string& domain, uint64_t epoch, uint64_t seq,
                   std::string key) {
  auto b = put(std::move(key), "v");
  b.fence = domain;
  b.epoch = epoch;
  b.seq = seq;
  return b;
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<environment> env;
  persistence_actor writer;
  prometheus::Registry registry;
  int64_t steady = 1'000'000'000; // the writer's deadline clock, µs

  fixture() {
    environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *environment::open(opts);
    writer = sys.spawn(persistence, config());
    run();
  }

  persistence_config config() {
    persistence_config cfg;
    cfg.env = env;
    cfg.now_us = [] { return int64_t{1000}; };
    cfg.steady_now_us = [this] { return steady; };
    cfg.max_batches_per_commit = 3;
    return cfg;
  }

  int64_t in_ms(int64_t ms) { return steady + ms * 1000; }

  // The outcome of a write: "committed" or the storage_errc's name.
  std::string outcome(persistence_actor w, write_batch b) {
    std::string out = "no answer";
    auto rh = self->request(w, infinite, write_atom::value, std::move(b));
    run();
    rh.receive([&](const write_receipt&) { out = "committed"; },
               [&](error& err) {
                 out = to_string(static_cast<storage_errc>(err.code()));
               });
    return out;
  }

  fence_receipt fence(const std::string& domain) {
    fence_receipt r;
    auto rh = self->request(writer, infinite, fence_atom::value, domain);
    run();
    rh.receive([&](const fence_receipt& x) { r = x; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return r;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(persistence_tests, fixture)

CAF_TEST(writes that arrive together are committed together) {
  auto a = self->request(writer, infinite, write_atom::value, put("k/1", "a"));
  auto b = self->request(writer, infinite, write_atom::value, put("k/2", "b"));
  // Both writes are in the mailbox before the flush the first one scheduled.
  expect((write_atom, write_batch), from(self).to(writer));
  expect((write_atom, write_batch), from(self).to(writer));
  CAF_CHECK_EQUAL(env->commits(), 0u);
  expect((flush_atom), from(writer).to(writer));
  CAF_CHECK_EQUAL(env->commits(), 1u);
  std::vector<uint64_t> seqs;
  a.receive([&](const write_receipt& r) { seqs.push_back(r.event_seqs.at(0)); },
            [&](error& err) { CAF_FAIL(sys.render(err)); });
  b.receive([&](const write_receipt& r) { seqs.push_back(r.event_seqs.at(0)); },
            [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(seqs, (std::vector<uint64_t>{1, 2}));
  CAF_CHECK_EQUAL(stored(*env, "k/2"), "b");
}

CAF_TEST(under load commits keep the interval and gather what arrives) {
  auto cfg = config();
  cfg.commit_interval = std::chrono::microseconds{2000};
  auto w = sys.spawn(persistence, cfg);
  run();
  // The first write after a quiet spell commits at once.
  self->send(w, write_atom::value, put("k/1", "a"));
  expect((write_atom, write_batch), from(self).to(w));
  expect((flush_atom), from(w).to(w));
  CAF_CHECK_EQUAL(env->commits(), 1u);
  expect((write_receipt), from(w).to(self));
  // 0.5 ms later the next one waits out the rest of the interval, and the
  // writes arriving meanwhile join its commit.
  steady += 500;
  self->send(w, write_atom::value, put("k/2", "b"));
  expect((write_atom, write_batch), from(self).to(w));
  expect((flush_atom), from(w).to(w));
  CAF_CHECK_EQUAL(env->commits(), 1u);
  disallow((write_receipt), from(w).to(self));
  self->send(w, write_atom::value, put("k/3", "c"));
  expect((write_atom, write_batch), from(self).to(w));
  CAF_CHECK_EQUAL(env->commits(), 1u);
  steady += 1500;
  CAF_CHECK(sched.trigger_timeout());
  expect((flush_atom), from(w).to(w));
  CAF_CHECK_EQUAL(env->commits(), 2u);
  expect((write_receipt), from(w).to(self));
  expect((write_receipt), from(w).to(self));
  CAF_CHECK_EQUAL(stored(*env, "k/3"), "c");
  // A full batch does not wait.
  steady += 100;
  for (int i = 0; i < 3; ++i)
    self->send(w, write_atom::value, put("f/" + std::to_string(i), "v"));
  run_once();
  run_once();
  run_once();
  CAF_CHECK_EQUAL(env->commits(), 3u);
  anon_send_exit(w, exit_reason::user_shutdown);
  run();
}

CAF_TEST(no acknowledgement before the commit) {
  self->send(writer, write_atom::value, put("k/1", "a"));
  expect((write_atom, write_batch), from(self).to(writer));
  // The answer is a response promise: nothing reaches us until the flush.
  disallow((write_receipt), from(writer).to(self));
  expect((flush_atom), from(writer).to(writer));
  expect((write_receipt), from(writer).to(self));
  CAF_CHECK(env->get(table::entities, "k/1")->has_value());
}

CAF_TEST(a full batch commits at once without waiting for the flush) {
  for (int i = 0; i < 3; ++i)
    self->send(writer, write_atom::value, put("k/" + std::to_string(i), "v"));
  expect((write_atom, write_batch), from(self).to(writer));
  expect((write_atom, write_batch), from(self).to(writer));
  CAF_CHECK_EQUAL(env->commits(), 0u);
  expect((write_atom, write_batch), from(self).to(writer));
  CAF_CHECK_EQUAL(env->commits(), 1u);
}

CAF_TEST(one bad batch fails alone) {
  auto good =
    self->request(writer, infinite, write_atom::value, put("k/1", "a"));
  auto bad = self->request(writer, infinite, write_atom::value,
                           put(std::string(2000, 'x'), "b", false));
  run();
  good.receive(
    [](const write_receipt&) {},
    [&](error& err) { CAF_FAIL("good write failed: " << sys.render(err)); });
  bad.receive([](const write_receipt&) { CAF_FAIL("bad write succeeded"); },
              [](error& err) {
                CAF_CHECK_EQUAL(err.code(), static_cast<uint8_t>(
                                              storage_errc::value_too_large));
              });
  CAF_CHECK_EQUAL(stored(*env, "k/1"), "a");
}

CAF_TEST(sync commits what is pending and reports the commit count) {
  self->send(writer, write_atom::value, put("k/1", "a"));
  self->send(writer, sync_atom::value);
  expect((write_atom, write_batch), from(self).to(writer));
  expect((sync_atom), from(self).to(writer));
  CAF_CHECK(env->get(table::entities, "k/1")->has_value());
  expect((write_receipt), from(writer).to(self));
  expect((uint64_t), from(writer).to(self).with(1u));
}

CAF_TEST(a batch past its deadline is refused and nothing of it is written) {
  auto b = put("k/late", "v");
  b.deadline_us = in_ms(-1);
  CAF_CHECK_EQUAL(outcome(writer, std::move(b)), "expired");
  CAF_CHECK_EQUAL(stored(*env, "k/late"), "<absent>");
  CAF_CHECK_EQUAL(env->commits(), 0u);
  auto ok = put("k/soon", "v");
  ok.deadline_us = in_ms(1);
  CAF_CHECK_EQUAL(outcome(writer, std::move(ok)), "committed");
}

CAF_TEST(a fence waits for what is queued and refuses older epochs) {
  auto e1 = fence("desk/acme");
  CAF_REQUIRE(e1.epoch > 0);
  auto w = self->request(writer, infinite, write_atom::value,
                         fenced("desk/acme", e1.epoch, 1, "k/1"));
  auto f = self->request(writer, infinite, fence_atom::value,
                         std::string{"desk/acme"});
  expect((write_atom, write_batch), from(self).to(writer));
  expect((fence_atom, std::string), from(self).to(writer));
  // The barrier: the write was decided before the fence answered.
  CAF_CHECK(env->get(table::entities, "k/1")->has_value());
  fence_receipt e2;
  w.receive([](const write_receipt&) {},
            [&](error& err) { CAF_FAIL(sys.render(err)); });
  f.receive([&](const fence_receipt& r) { e2 = r; },
            [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_GREATER(e2.epoch, e1.epoch);
  CAF_CHECK_EQUAL(e2.committed, 1u);
  // The old incarnation's late batch is refused; the new one's is not.
  CAF_CHECK_EQUAL(outcome(writer, fenced("desk/acme", e1.epoch, 2, "k/2")),
                  "fenced");
  CAF_CHECK_EQUAL(stored(*env, "k/2"), "<absent>");
  CAF_CHECK_EQUAL(outcome(writer, fenced("desk/acme", e2.epoch, 1, "k/3")),
                  "committed");
  // Unknown domains and epochs are refused too; unfenced batches pass.
  CAF_CHECK_EQUAL(outcome(writer, fenced("desk/other", 42, 1, "k/4")),
                  "fenced");
  CAF_CHECK_EQUAL(outcome(writer, put("k/5", "v")), "committed");
}

CAF_TEST(after a refusal the rest of the epoch is refused so what commits is a
           prefix) {
  auto e = fence("session/acme/1");
  auto other = fence("session/acme/2");
  auto b1 = fenced("session/acme/1", e.epoch, 1, "k/1");
  auto b2 = fenced("session/acme/1", e.epoch, 2, "k/2");
  auto b3 = fenced("session/acme/1", e.epoch, 3, "k/3");
  b1.deadline_us = in_ms(5000);
  b2.deadline_us = in_ms(-1); // waited too long
  b3.deadline_us = in_ms(5000);
  auto r1 = self->request(writer, infinite, write_atom::value, std::move(b1));
  auto r2 = self->request(writer, infinite, write_atom::value, std::move(b2));
  auto r3 = self->request(writer, infinite, write_atom::value, std::move(b3));
  run();
  r1.receive([](const write_receipt&) {},
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  r2.receive([](const write_receipt&) { CAF_FAIL("expired batch committed"); },
             [](error& err) {
               CAF_CHECK_EQUAL(err.code(),
                               static_cast<uint8_t>(storage_errc::expired));
             });
  r3.receive([](const write_receipt&) { CAF_FAIL("batch after a refusal"); },
             [](error& err) {
               CAF_CHECK_EQUAL(err.code(),
                               static_cast<uint8_t>(storage_errc::fenced));
             });
  CAF_CHECK_EQUAL(stored(*env, "k/1"), "v");
  CAF_CHECK_EQUAL(stored(*env, "k/3"), "<absent>");
  // The next fence tells the incarnation exactly what was stored.
  CAF_CHECK_EQUAL(fence("session/acme/1").committed, 1u);
  // Another domain is not affected.
  CAF_CHECK_EQUAL(
    outcome(writer, fenced("session/acme/2", other.epoch, 1, "k/9")),
    "committed");
}

CAF_TEST(an incarnation that ends unfences its domain after what it queued) {
  monitoring::node_metrics metrics;
  auto cfg = config();
  cfg.metrics = metrics.storage;
  writer = sys.spawn(persistence, cfg);
  run();
  auto e1 = fence("session/acme/7");
  auto kept = fence("session/acme/8");
  CAF_CHECK_EQUAL(metrics.storage.fences->Value(), 2.0);
  // Its last line is still queued when the unfence arrives: decided first.
  auto w = self->request(writer, infinite, write_atom::value,
                         fenced("session/acme/7", e1.epoch, 1, "k/last"));
  self->send(writer, unfence_atom::value, std::string{"session/acme/7"},
             e1.epoch);
  // A stale unfence (of an older epoch) leaves the current one alone.
  self->send(writer, unfence_atom::value, std::string{"session/acme/8"},
             kept.epoch - 1);
  run();
  w.receive([](const write_receipt&) {},
            [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(stored(*env, "k/last"), "v");
  CAF_CHECK_EQUAL(metrics.storage.fences->Value(), 1.0);
  // The forgotten epoch writes nothing more; the other domain still does.
  CAF_CHECK_EQUAL(outcome(writer, fenced("session/acme/7", e1.epoch, 2, "k/x")),
                  "fenced");
  CAF_CHECK_EQUAL(
    outcome(writer, fenced("session/acme/8", kept.epoch, 1, "k/8")),
    "committed");
  // A new incarnation fences afresh and writes.
  auto e2 = fence("session/acme/7");
  CAF_CHECK_GREATER(e2.epoch, e1.epoch);
  CAF_CHECK_EQUAL(outcome(writer, fenced("session/acme/7", e2.epoch, 1, "k/y")),
                  "committed");
}

CAF_TEST(a slow disk makes the batches queued behind a commit expire) {
  auto cfg = config();
  cfg.max_batches_per_commit = 1;
  bool slow = true;
  // The test hook: this commit takes 20 s of the deadline clock.
  cfg.before_commit = [&] {
    if (slow)
      steady += 20'000'000;
    slow = false;
  };
  auto w = sys.spawn(persistence, cfg);
  run();
  auto b1 = put("k/1", "a");
  auto b2 = put("k/2", "b");
  b1.deadline_us = in_ms(10'000);
  b2.deadline_us = in_ms(10'000);
  auto r1 = self->request(w, infinite, write_atom::value, std::move(b1));
  auto r2 = self->request(w, infinite, write_atom::value, std::move(b2));
  run();
  // The first had started: it is stored and acknowledged. The second waited
  // past its deadline behind it: refused, never written later.
  r1.receive([](const write_receipt&) {},
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  r2.receive([](const write_receipt&) { CAF_FAIL("expired batch committed"); },
             [](error& err) {
               CAF_CHECK_EQUAL(err.code(),
                               static_cast<uint8_t>(storage_errc::expired));
             });
  CAF_CHECK_EQUAL(stored(*env, "k/1"), "a");
  CAF_CHECK_EQUAL(stored(*env, "k/2"), "<absent>");
  anon_send_exit(w, exit_reason::user_shutdown);
}

CAF_TEST(a full queue answers busy) {
  auto cfg = config();
  cfg.max_queue = 2;
  auto w = sys.spawn(persistence, cfg);
  run();
  // Four batches in the mailbox at once: the writer sees more than two
  // waiting and refuses until no more than two are.
  for (int i = 0; i < 4; ++i)
    self->send(w, write_atom::value, put("k/" + std::to_string(i), "v"));
  run();
  size_t busy = 0, committed = 0;
  for (int i = 0; i < 4; ++i)
    self->receive([&](const write_receipt&) { ++committed; },
                  [&](error& err) {
                    CAF_CHECK_EQUAL(err.code(),
                                    static_cast<uint8_t>(storage_errc::busy));
                    ++busy;
                  });
  CAF_CHECK_EQUAL(committed + busy, 4u);
  CAF_CHECK_GREATER_OR_EQUAL(busy, 1u);
  CAF_CHECK_LESS_OR_EQUAL(committed, 2u + 1u);
  anon_send_exit(w, exit_reason::user_shutdown);
}

CAF_TEST(queue depth and the age of the oldest batch are reported) {
  monitoring::node_metrics metrics;
  auto cfg = config();
  cfg.metrics = metrics.storage;
  auto status = cfg.status;
  auto w = sys.spawn(persistence, cfg);
  run();
  auto b = put("k/1", "v");
  b.sent_us = steady;
  self->send(w, write_atom::value, std::move(b));
  expect((write_atom, write_batch), from(self).to(w));
  CAF_CHECK_EQUAL(status->depth.load(), 1u);
  CAF_CHECK_EQUAL(status->oldest_sent_us.load(), steady);
  publish_queue(*status, metrics.storage, steady + 3'000'000);
  CAF_CHECK_EQUAL(metrics.storage.oldest_batch_age_seconds->Value(), 3.0);
  CAF_CHECK_GREATER_OR_EQUAL(metrics.storage.queue_depth->Value(), 1.0);
  run();
  CAF_CHECK_EQUAL(status->depth.load(), 0u);
  CAF_CHECK_EQUAL(status->oldest_sent_us.load(), 0);
  publish_queue(*status, metrics.storage, steady);
  CAF_CHECK_EQUAL(metrics.storage.oldest_batch_age_seconds->Value(), 0.0);
  anon_send_exit(w, exit_reason::user_shutdown);
}

CAF_TEST(a nearly full map warns once and a full one
           refuses new data but not deletions) {
  temp_dir small;
  environment_options opts;
  opts.path = small.path;
  opts.map_size = 1 << 20; // 1 MiB
  auto tiny = *environment::open(opts);
  monitoring::node_metrics metrics;
  auto cfg = config();
  cfg.env = tiny;
  cfg.metrics = metrics.storage;
  cfg.map_alert_ratio = 0.5;
  cfg.map_refuse_ratio = 0.7;
  auto w = sys.spawn(persistence, cfg);
  run();
  CAF_CHECK_GREATER(metrics.storage.map_size_bytes->Value(), 0.0);
  std::string big(64 * 1024, 'x');
  std::string last;
  int written = 0;
  for (int i = 0; i < 64; ++i) {
    last = outcome(w, put("blob/" + std::to_string(i), big, false));
    if (last != "committed")
      break;
    ++written;
  }
  CAF_CHECK_EQUAL(last, "map_full");
  CAF_CHECK_GREATER(written, 3);
  CAF_CHECK_GREATER_OR_EQUAL(metrics.storage.map_used_ratio->Value(), 0.7);
  CAF_CHECK_LESS(metrics.storage.map_used_ratio->Value(), 1.0);
  // Warned once (at most once a minute), however many writes since.
  CAF_CHECK_EQUAL(metrics.storage.map_alerts->Value(), 1.0);
  CAF_CHECK_EQUAL(
    metrics.storage.refused->Add({{"reason", "map_full"}}).Value(), 1.0);
  // Bookkeeping may use the reserve; deletions always pass.
  auto small_write = put("presence", "1", false);
  small_write.may_use_reserve = true;
  CAF_CHECK_EQUAL(outcome(w, std::move(small_write)), "committed");
  CAF_CHECK_EQUAL(metrics.storage.map_full->Value(), 1.0);
  // Deleting a little brings use under the refuse level but not under the
  // alert level: still refusing (no flapping at the edge).
  write_batch erase;
  erase.ops.push_back({table::entities, "blob/0", "", op_kind::erase});
  erase.ops.push_back({table::entities, "blob/1", "", op_kind::erase});
  CAF_CHECK_EQUAL(outcome(w, std::move(erase)), "committed");
  CAF_CHECK_EQUAL(tiny->get(table::entities, "blob/0")->has_value(), false);
  CAF_CHECK_LESS(metrics.storage.map_used_ratio->Value(), 0.7);
  CAF_CHECK_GREATER_OR_EQUAL(metrics.storage.map_used_ratio->Value(), 0.5);
  CAF_CHECK_EQUAL(outcome(w, put("after/0", "small", false)), "map_full");
  CAF_CHECK_EQUAL(metrics.storage.map_full->Value(), 1.0);
  // Under the alert level new data is accepted again.
  for (int i = 2; i < written; ++i) {
    write_batch more;
    more.ops.push_back(
      {table::entities, "blob/" + std::to_string(i), "", op_kind::erase});
    CAF_CHECK_EQUAL(outcome(w, std::move(more)), "committed");
    if (metrics.storage.map_used_ratio->Value() < 0.5)
      break;
  }
  CAF_CHECK_LESS(metrics.storage.map_used_ratio->Value(), 0.5);
  CAF_CHECK_EQUAL(metrics.storage.map_full->Value(), 0.0);
  CAF_CHECK_EQUAL(outcome(w, put("after/1", "small", false)), "committed");
  anon_send_exit(w, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
