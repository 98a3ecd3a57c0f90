#define CAF_SUITE storage.persistence

#include "storage/persistence.hpp"

#include <caf/test/dsl.hpp>

#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::storage;

namespace {

// The stored value as a copy (CAF's check macros keep references).
[[maybe_unused]] std::string stored(const environment& env, const std::string& key) {
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

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<environment> env;
  persistence_actor writer;
  prometheus::Registry registry;

  fixture() {
    environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *environment::open(opts);
    persistence_config cfg;
    cfg.env = env;
    cfg.now_us = [] { return int64_t{1000}; };
    cfg.max_batches_per_commit = 3;
    writer = sys.spawn(persistence, cfg);
    run();
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
  auto good = self->request(writer, infinite, write_atom::value, put("k/1", "a"));
  auto bad = self->request(writer, infinite, write_atom::value,
                           put(std::string(2000, 'x'), "b", false));
  run();
  good.receive([](const write_receipt&) {},
               [&](error& err) { CAF_FAIL("good write failed: " << sys.render(err)); });
  bad.receive([](const write_receipt&) { CAF_FAIL("bad write succeeded"); },
              [](error& err) {
                CAF_CHECK_EQUAL(err.code(),
                                static_cast<uint8_t>(storage_errc::value_too_large));
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

CAF_TEST_FIXTURE_SCOPE_END()
