#define CAF_SUITE actors.keyring

#include "actors/session/keyring.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/session/blobs.hpp"
#include "actors/session/session.hpp"
#include "client_answer.hpp"
#include "storage/big_endian.hpp"
#include "temp_environment.hpp"

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
  size_t piece_bytes = 1 << 20;

  fixture() {
    env = open_temp_environment(dir);
    blobs = std::make_shared<storage::blob_store>(dir.path + "/blobs");
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    keyring_config kcfg;
    kcfg.env = env;
    kcfg.persistence = writer;
    kcfg.blobs = blobs;
    kcfg.now_ms = [clock = clock] { return *clock; };
    kcfg.detached_replays = false;
    kcfg.replay_piece_bytes = piece_bytes;
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
    rh.receive(
      [&](std::string& body) {
        out = {200u, body};
      },
      [&](error& err) {
        auto [status, doc] = answers::as_client(err);
        out = {status, doc.dump()};
      });
    return out;
  }

  // A replay, piece by piece, the way the route asks for it: the whole
  // stream (or the first error) and how many pieces it took.
  struct replayed {
    unsigned status = 0;
    std::string body;
    size_t pieces = 0;
  };
  replayed replay_all(uint64_t request, const std::string& passphrase) {
    replayed out;
    std::string cursor;
    do {
      auto msg = cursor.empty()
                   ? make_message(replay_atom::value, std::string{"acme"},
                                  request, passphrase)
                   : make_message(replay_next_atom::value, std::string{"acme"},
                                  request, cursor);
      auto rh = self->request(keyring, infinite, std::move(msg));
      sched.run();
      rh.receive(
        [&](std::string& body, std::string& next) {
          out.status = 200;
          out.body += body;
          ++out.pieces;
          cursor = next;
        },
        [&](error& err) {
          auto [status, doc] = answers::as_client(err);
          out.status = status;
          out.body = doc.dump();
          cursor.clear();
        });
    } while (!cursor.empty());
    return out;
  }

  void put_row(uint64_t request, const json& row) {
    storage::write_batch batch;
    batch.ops.push_back({storage::table::recordings,
                         recording_key("acme", request), row.dump(),
                         storage::op_kind::put});
    auto rh = self->request(writer, infinite, storage::write_atom::value,
                            std::move(batch));
    sched.run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
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
    put_row(request,
            {{"portal_id", 7},
             {"started_ms", now},
             {"ended_ms", now + 1},
             {"bytes", file.size()},
             {"expires_ms", expires},
             {"segments", json::array({{{"path", path},
                                        {"generation", key->generation}}})}});
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(keyring_tests, fixture)

CAF_TEST(
  replay opens with the passphrase of the generation of the recording only) {
  auto [short_status, short_body] =
    call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                      std::string{"too short"}));
  CAF_CHECK_EQUAL(short_status, 400u);
  auto [set1, body1] =
    call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                      std::string{"correct horse battery"}));
  CAF_REQUIRE_EQUAL(set1, 200u);
  auto gen1 = json::parse(body1)["generation"].get<uint64_t>();
  CAF_CHECK_EQUAL(gen1, 1u);
  record(5, "old secret", now + 86400000);

  auto replay = [&](uint64_t request, const char* passphrase) {
    auto r = replay_all(request, passphrase);
    return std::make_pair(r.status, r.body);
  };
  auto [wrong, wrong_body] = replay(5, "wrong horse battery");
  CAF_CHECK_EQUAL(wrong, 403u);
  auto [right, stream] = replay(5, "correct horse battery");
  CAF_REQUIRE_EQUAL(right, 200u);
  CAF_CHECK(stream.rfind("OAREPLAY1\n", 0) == 0);
  CAF_CHECK(stream.find("old secret") != std::string::npos);

  // A new passphrase: a new generation; the old recording still needs the old
  // one.
  auto [set2, body2] =
    call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                      std::string{"new staple passphrase"}));
  CAF_REQUIRE_EQUAL(set2, 200u);
  auto [listed, list_body] =
    call(make_message(key_list_atom::value, std::string{"acme"}, uint64_t{7}));
  size_t generations = json::parse(list_body)["generations"].size();
  CAF_CHECK_EQUAL(generations, 2u);
  auto [with_new, new_body] = replay(5, "new staple passphrase");
  CAF_CHECK_EQUAL(with_new, 403u);
  CAF_CHECK(new_body.find("before the replay passphrase was last set") !=
            std::string::npos);
  record(6, "new secret", now + 86400000);
  auto [new_ok, new_stream] = replay(6, "new staple passphrase");
  CAF_CHECK_EQUAL(new_ok, 200u);
  auto [none, none_body] = replay(99, "new staple passphrase");
  CAF_CHECK_EQUAL(none, 404u);
  auto [info, info_body] = call(
    make_message(recording_info_atom::value, std::string{"acme"}, uint64_t{6}));
  auto recorded = json::parse(info_body)["recorded"].get<bool>();
  CAF_CHECK(recorded);
}

CAF_TEST(wrong passphrases are limited per account) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  record(5, "x", now + 86400000);
  for (size_t i = 0; i < replay_attempts; ++i) {
    auto r = replay_all(5, "guess number " + std::to_string(i));
    CAF_CHECK_EQUAL(r.status, 403u);
  }
  CAF_CHECK_EQUAL(replay_all(5, "correct horse battery").status, 429u);
  now += 601 * 1000; // ten minutes later
  CAF_CHECK_EQUAL(replay_all(5, "correct horse battery").status, 200u);
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

CAF_TEST(a replay comes in bounded pieces that make the whole stream) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  // 40 records of ~3 KB: about 120 KB of replay stream.
  auto key = current_portal_key(*env, "acme", 7);
  recording::writer w(key->public_key, key->generation);
  auto file = *w.header();
  std::string expected = "OAREPLAY1\n";
  for (int i = 0; i < 40; ++i) {
    recording::record r{recording::kind::frame, now + i,
                        std::string(3000, static_cast<char>('a' + i % 26))};
    file += w.chunk(r, i == 39);
    storage::put_be(expected, r.payload.size() + 9, 4);
    expected.push_back(static_cast<char>(r.k));
    storage::put_be(expected, static_cast<uint64_t>(r.time_ms), 8);
    expected += r.payload;
  }
  CAF_REQUIRE(blobs->put("recordings/acme/8/1.rec", file).empty());
  put_row(8, {{"portal_id", 7},
              {"expires_ms", now + 86400000},
              {"segments", json::array({{{"path", "recordings/acme/8/1.rec"},
                                         {"generation", 1}}})}});
  // The keyring's own piece size is 1 MiB here: one piece.
  auto whole = replay_all(8, "correct horse battery");
  CAF_REQUIRE_EQUAL(whole.status, 200u);
  CAF_CHECK_EQUAL(whole.pieces, 1u);
  CAF_CHECK(whole.body == expected);
  // With pieces of 16 KiB: several, each bounded, together the same bytes.
  anon_send_exit(keyring, exit_reason::user_shutdown);
  sched.run();
  keyring_config kcfg;
  kcfg.env = env;
  kcfg.persistence = writer;
  kcfg.blobs = blobs;
  kcfg.now_ms = [clock = clock] { return *clock; };
  kcfg.detached_replays = false;
  kcfg.replay_piece_bytes = 16 * 1024;
  keyring = sys.spawn(keyring_actor, kcfg);
  sched.run();
  auto pieces = replay_all(8, "correct horse battery");
  CAF_REQUIRE_EQUAL(pieces.status, 200u);
  CAF_CHECK_GREATER_OR_EQUAL(pieces.pieces, 7u);
  CAF_CHECK(pieces.body == expected);
}

CAF_TEST(key operations go on while a replay is under way) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  record(5, "in the middle", now + 86400000);
  // The replay is handed to its own actor: the keyring answers the key list
  // before the replay's argon2id and decryption have run.
  auto replay =
    self->request(keyring, infinite, replay_atom::value, std::string{"acme"},
                  uint64_t{5}, std::string{"correct horse battery"});
  auto list = self->request(keyring, infinite, key_list_atom::value,
                            std::string{"acme"}, uint64_t{7});
  expect((atom_value, std::string, uint64_t, std::string),
         from(self).to(keyring));
  expect((atom_value, std::string, uint64_t), from(self).to(keyring));
  // The key list is answered; the replay (in its own actor) not yet.
  CAF_CHECK_EQUAL(self->mailbox().size(), 1u);
  list.receive(
    [](std::string& body) {
      CAF_CHECK(body.find("generations") != std::string::npos);
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  sched.run();
  replay.receive(
    [](std::string& body, std::string& cursor) {
      CAF_CHECK(body.find("in the middle") != std::string::npos);
      CAF_CHECK(cursor.empty());
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
}

CAF_TEST(an unknown cursor is refused) {
  call(make_message(key_set_atom::value, std::string{"acme"}, uint64_t{7},
                    std::string{"correct horse battery"}));
  record(5, "x", now + 86400000);
  auto gone = self->request(keyring, infinite, replay_next_atom::value,
                            std::string{"acme"}, uint64_t{5},
                            std::string{"made-up-cursor"});
  sched.run();
  gone.receive([](std::string&, std::string&) { CAF_FAIL("a made-up cursor"); },
               [&](error& err) {
                 auto [status, doc] = answers::as_client(err);
                 CAF_CHECK_EQUAL(status, 404u);
                 CAF_CHECK_EQUAL(doc["error"]["code"], "replay_gone");
               });
}

CAF_TEST_FIXTURE_SCOPE_END()
