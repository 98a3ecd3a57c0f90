#define CAF_SUITE storage.environment

#include "storage/environment.hpp"

#include <caf/test/dsl.hpp>

#include "schema/codec.hpp"
#include "temp_dir.hpp"

using namespace openassist;
using namespace openassist::storage;

namespace {

// The stored value as a copy (CAF's check macros keep references).
[[maybe_unused]] std::string stored(const environment& env,
                                    const std::string& key) {
  auto v = env.get(table::entities, key);
  return v && *v ? **v : std::string{"<absent>"};
}

write_batch put(std::string key, std::string value) {
  write_batch b;
  b.ops.push_back(
    put_op{table::entities, std::move(key), std::move(value), op_kind::put});
  return b;
}

std::shared_ptr<environment> open_env(const std::string& path,
                                      uint64_t map_size = 64 << 20) {
  environment_options opts;
  opts.path = path;
  opts.map_size = map_size;
  auto env = environment::open(opts);
  CAF_REQUIRE(env);
  return *env;
}

} // namespace

CAF_TEST(a new environment gets a schema version and a node id) {
  temp_dir dir;
  auto env = open_env(dir.path);
  CAF_CHECK_EQUAL(env->info().version, schema::current_schema_version);
  CAF_CHECK_EQUAL(env->info().node_id.size(), 12u);
  auto id = env->info().node_id;
  env.reset();
  auto reopened = open_env(dir.path);
  CAF_CHECK_EQUAL(reopened->info().node_id, id);
}

CAF_TEST(commits are visible to readers and survive reopening) {
  temp_dir dir;
  {
    auto env = open_env(dir.path);
    auto b1 = put("portal/1", "one");
    auto b2 = put("portal/2", "two");
    b2.events.push_back({0, 0, "portal.created", "acme", "portal/2", "{}"});
    std::vector<write_batch*> batches{&b1, &b2};
    std::vector<write_receipt> receipts;
    CAF_REQUIRE(!env->commit(batches, receipts, 1000));
    CAF_REQUIRE_EQUAL(receipts.size(), 2u);
    CAF_CHECK_EQUAL(receipts[1].event_seqs, std::vector<uint64_t>{1});
    CAF_CHECK_EQUAL(stored(*env, "portal/1"), "one");
  }
  auto env = open_env(dir.path);
  CAF_CHECK_EQUAL(stored(*env, "portal/2"), "two");
  CAF_CHECK(!env->get(table::entities, "portal/3")->has_value());
  CAF_CHECK_EQUAL(env->last_event_seq(), 1u);
  // Sequence numbers continue after a restart.
  auto b3 = put("portal/3", "three");
  b3.events.push_back({0, 0, "portal.created", "acme", "portal/3", "{}"});
  std::vector<write_batch*> batches{&b3};
  std::vector<write_receipt> receipts;
  CAF_REQUIRE(!env->commit(batches, receipts, 2000));
  CAF_CHECK_EQUAL(receipts[0].event_seqs, std::vector<uint64_t>{2});
  std::vector<uint64_t> seqs;
  CAF_CHECK(!env->scan(table::events, "", 100, [&](auto, auto v) {
    seqs.push_back(schema::decode_event(v)->seq);
    return true;
  }));
  CAF_CHECK_EQUAL(seqs, (std::vector<uint64_t>{1, 2}));
}

CAF_TEST(a failing batch writes nothing) {
  temp_dir dir;
  auto env = open_env(dir.path);
  auto good = put("portal/1", "one");
  auto bad = put(std::string(1000, 'k'), "too long a key for LMDB");
  std::vector<write_batch*> batches{&good, &bad};
  std::vector<write_receipt> receipts;
  auto err = env->commit(batches, receipts, 1);
  CAF_CHECK_EQUAL(err.category(), caf::atom("storage"));
  CAF_CHECK_EQUAL(err.code(),
                  static_cast<uint8_t>(storage_errc::value_too_large));
  CAF_CHECK(!env->get(table::entities, "portal/1")->has_value());
}

CAF_TEST(a full map is a clear error and the environment keeps working) {
  temp_dir dir;
  auto env = open_env(dir.path, 1 << 20); // 1 MiB
  std::string big(64 * 1024, 'x');
  caf::error err;
  for (int i = 0; i < 64 && !err; ++i) {
    auto b = put("blob/" + std::to_string(i), big);
    std::vector<write_batch*> batches{&b};
    std::vector<write_receipt> receipts;
    err = env->commit(batches, receipts, i);
  }
  CAF_CHECK_EQUAL(err.code(), static_cast<uint8_t>(storage_errc::map_full));
  CAF_CHECK(env->get(table::entities, "blob/0")->has_value());
}

CAF_TEST(a data directory from a newer binary is refused) {
  temp_dir dir;
  {
    auto env = open_env(dir.path);
    auto b = put("x/1", "");
    b.ops[0] = put_op{table::meta, "schema",
                      schema::encode(schema::schema_info{99, 0, "future"}),
                      op_kind::put};
    std::vector<write_batch*> batches{&b};
    std::vector<write_receipt> receipts;
    CAF_REQUIRE(!env->commit(batches, receipts, 0));
  }
  environment_options opts;
  opts.path = dir.path;
  opts.map_size = 64 << 20;
  auto env = environment::open(opts);
  CAF_REQUIRE(!env);
  CAF_CHECK_EQUAL(env.error().code(),
                  static_cast<uint8_t>(storage_errc::schema_too_new));
}

CAF_TEST(an unusable data directory is a clear error) {
  environment_options opts;
  opts.path = "/dev/null/data";
  auto env = environment::open(opts);
  CAF_REQUIRE(!env);
  CAF_CHECK_EQUAL(env.error().code(),
                  static_cast<uint8_t>(storage_errc::io_error));
}

CAF_TEST(backup copies a consistent environment) {
  temp_dir dir;
  temp_dir copy;
  auto env = open_env(dir.path);
  auto b = put("portal/1", "one");
  std::vector<write_batch*> batches{&b};
  std::vector<write_receipt> receipts;
  CAF_REQUIRE(!env->commit(batches, receipts, 0));
  CAF_REQUIRE(!env->backup_to(copy.path + "/b"));
  auto restored = open_env(copy.path + "/b");
  CAF_CHECK_EQUAL(stored(*restored, "portal/1"), "one");
  CAF_CHECK_EQUAL(restored->info().node_id, env->info().node_id);
}

CAF_TEST(insert only fails the whole batch when the key exists) {
  temp_dir dir;
  auto env = open_env(dir.path);
  auto first = put("login/a@example.com", "account-1");
  first.ops[0].kind = op_kind::insert;
  std::vector<write_batch*> batches{&first};
  std::vector<write_receipt> receipts;
  CAF_REQUIRE(!env->commit(batches, receipts, 0));
  auto second = put("other/1", "x");
  second.ops.push_back(put_op{table::entities, "login/a@example.com",
                              "account-2", op_kind::insert});
  batches = {&second};
  auto err = env->commit(batches, receipts, 0);
  CAF_CHECK_EQUAL(err.code(), static_cast<uint8_t>(storage_errc::conflict));
  CAF_CHECK_EQUAL(stored(*env, "login/a@example.com"), "account-1");
  CAF_CHECK_EQUAL(stored(*env, "other/1"), "<absent>");
}
