#define CAF_SUITE actors.keyring

#include "actors/keyring.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/blobs.hpp"
#include "actors/session.hpp"
#include "temp_dir.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  std::shared_ptr<storage::blob_store> blobs;
  storage::persistence_actor writer;
  actor keyring;
  std::shared_ptr<int64_t> clock = std::make_shared<int64_t>(1'764'000'000'000);
  int64_t& now = *clock;

  fixture() {
    storage::environment_options opts;
    opts.path = dir.path;
    opts.map_size = 64 << 20;
    env = *storage::environment::open(opts);
    blobs = std::make_shared<storage::blob_store>(dir.path + "/blobs");
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    keyring_config kcfg;
    kcfg.env = env;
    kcfg.persistence = writer;
    kcfg.blobs = blobs;
    kcfg.now_ms = [clock = clock] { return *clock; };
    keyring = sys.spawn(keyring_actor, kcfg);
    sched.run();
  }

  ~fixture() {
    // The keyring's sweep timer would keep the system waiting for it.
    anon_send_exit(keyring, exit_reason::user_shutdown);
    sched.run();
  }

  std::pair<unsigned, std::string> call(message msg) {
    std::pair<unsigned, std::string> out{0, ""};
    auto rh = self->request(keyring, infinite, std::move(msg));
    sched.run();
    rh.receive([&](unsigned status, std::string& body) { out = {status, body}; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  void put_row(uint64_t request, const json& row) {
    storage::write_batch batch;
    batch.ops.push_back({storage::table::recordings, recording_key("acme", request), row.dump(),
                         storage::op_kind::put});
    auto rh = self->request(writer, infinite, storage::write_atom::value, std::move(batch));
    sched.run();
    rh.receive([](const storage::write_receipt&) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  // A finished recording of request `request` to the portal's current key.
  void record(uint64_t request, const std::string& text, int64_t expires) {
    auto key = current_portal_key(*env, "acme", 7);
    CAF_REQUIRE(key.has_value());
    recording::writer w(key->public_key, key->generation);
    auto file = *w.header();
    file += w.chunk({recording::kind::chat, now, json{{"text", text}}.dump()});
    file += w.chunk({recording::kind::end, now + 1, "{}"}, true);
    auto path = "recordings/acme/" + std::to_string(request) + "/1.rec";
    CAF_REQUIRE(blobs->put(path, file).empty());
    put_row(request, {{"portal_id", 7},
                      {"started_ms", now},
                      {"ended_ms", now + 1},
                      {"bytes", file.size()},
                      {"expires_ms", expires},
                      {"segments", json::array({{{"path", path}, {"generation", key->generation}}})}});
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(keyring_tests, fixture)

CAF_TEST(replay opens with the passphrase of the generation of the recording only) {
  auto [short_status, short_body] = call(make_message(key_set_atom::value, std::string{"acme"},
                                                      uint64_t{7}, std::string{"too short"}));
  CAF_CHECK_EQUAL(short_status, 400u);
  auto [set1, body1] = call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                                         std::string{"correct horse battery"}));
  CAF_REQUIRE_EQUAL(set1, 200u);
  auto gen1 = json::parse(body1)["generation"].get<uint64_t>();
  CAF_CHECK_EQUAL(gen1, 1u);
  record(5, "old secret", now + 86400000);

  auto replay = [&](uint64_t request, const char* passphrase) {
    return call(make_message(replay_atom::value, std::string{"acme"}, request,
                             std::string{passphrase}));
  };
  auto [wrong, wrong_body] = replay(5, "wrong horse battery");
  CAF_CHECK_EQUAL(wrong, 403u);
  auto [right, stream] = replay(5, "correct horse battery");
  CAF_REQUIRE_EQUAL(right, 200u);
  CAF_CHECK(stream.rfind("OAREPLAY1\n", 0) == 0);
  CAF_CHECK(stream.find("old secret") != std::string::npos);

  // A new passphrase: a new generation; the old recording still needs the old one.
  auto [set2, body2] = call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                                         std::string{"new staple passphrase"}));
  CAF_REQUIRE_EQUAL(set2, 200u);
  auto [listed, list_body] =
    call(make_message(key_list_atom::value, std::string{"acme"}, uint64_t{7}));
  size_t generations = json::parse(list_body)["generations"].size();
  CAF_CHECK_EQUAL(generations, 2u);
  auto [with_new, new_body] = replay(5, "new staple passphrase");
  CAF_CHECK_EQUAL(with_new, 403u);
  CAF_CHECK(new_body.find("before the replay passphrase was last set") != std::string::npos);
  record(6, "new secret", now + 86400000);
  auto [new_ok, new_stream] = replay(6, "new staple passphrase");
  CAF_CHECK_EQUAL(new_ok, 200u);
  auto [none, none_body] = replay(99, "new staple passphrase");
  CAF_CHECK_EQUAL(none, 404u);
  auto [info, info_body] =
    call(make_message(recording_info_atom::value, std::string{"acme"}, uint64_t{6}));
  auto recorded = json::parse(info_body)["recorded"].get<bool>();
  CAF_CHECK(recorded);
}

CAF_TEST(wrong passphrases are limited per account) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  record(5, "x", now + 86400000);
  for (size_t i = 0; i < replay_attempts; ++i) {
    auto [status, body] = call(make_message(replay_atom::value, std::string{"acme"}, uint64_t{5},
                                            std::string{"guess number " + std::to_string(i)}));
    CAF_CHECK_EQUAL(status, 403u);
  }
  auto [locked, body] = call(make_message(replay_atom::value, std::string{"acme"}, uint64_t{5},
                                          std::string{"correct horse battery"}));
  CAF_CHECK_EQUAL(locked, 429u);
  now += 601 * 1000;  // ten minutes later
  auto [again, stream] = call(make_message(replay_atom::value, std::string{"acme"}, uint64_t{5},
                                           std::string{"correct horse battery"}));
  CAF_CHECK_EQUAL(again, 200u);
}

CAF_TEST(recordings past their retention are deleted with their files) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  record(5, "old", now - 1);
  record(6, "young", now + 86400000);
  anon_send(keyring, recording_sweep_atom::value);
  sched.run();
  auto gone = env->get(storage::table::recordings, recording_key("acme", 5));
  CAF_REQUIRE(static_cast<bool>(gone));
  CAF_CHECK(!*gone);
  CAF_CHECK(!blobs->read("recordings/acme/5/1.rec"));
  auto kept = env->get(storage::table::recordings, recording_key("acme", 6));
  CAF_CHECK(kept && *kept);
  CAF_CHECK(blobs->read("recordings/acme/6/1.rec").has_value());
}

CAF_TEST_FIXTURE_SCOPE_END()
