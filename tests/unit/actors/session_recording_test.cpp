#define CAF_SUITE actors.session_recording

#include "actors/session/session.hpp"

#include <caf/test/dsl.hpp>

#include "actors/identity/credentials.hpp"
#include "actors/intake/desk.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/keyring.hpp"
#include "fake_auth.hpp"
#include "gateways/error_table.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using openassist::actors::test_doubles::fake_auth;
using json = nlohmann::json;

namespace {

session_news info(const char* status, uint64_t max_mb = 200) {
  session_news n;
  n.status = status;
  n.technician_id = 10;
  n.technician_name = "Anna Berger";
  n.customer_name = "Maria";
  n.portal_id = 7;
  n.records = true;
  n.recording_max_mb = max_mb;
  n.retention_days = 30;
  n.token_digest = token_digest("cust-token");
  return n;
}

// The desk as a recording session sees it: request 5 of portal 7 is active.
behavior fake_desk(event_based_actor*) {
  return {
    [](desk_request_atom, uint64_t) { return info("active"); },
    [](desk_can_read_atom, uint64_t user,
       const std::string&) -> result<std::string> {
      if (user == 10)
        return std::string{"{}"};
      return make_error(errc::not_found, "no");
    },
  };
}

behavior sink(event_based_actor*) {
  return {[](desk_push_atom, const std::string&) {},
          [](desk_push_atom, const shared_text&) {},
          [](screen_frame_atom, const std::string&) {}};
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  std::shared_ptr<storage::blob_store> store;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  auth_actor auth;
  actor blobs;
  int64_t now = 1'764'000'000'000;
  std::string secret, public_key;

  fixture() {
    env = open_temp_environment(dir);
    store = std::make_shared<storage::blob_store>(dir.path + "/blobs");
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk", [](actor_system& s, const std::string&) {
      return s.spawn(fake_desk);
    });
    directory = sys.spawn(cluster::directory, dcfg);
    blobs = sys.spawn(blobs_actor, store);
    auth = sys.spawn(fake_auth);
    // The portal's key pair, as the keyring stores it.
    auto key = recording::make_key("correct horse battery", 1, now);
    secret = *recording::unwrap(*key, "correct horse battery");
    public_key = key->public_key;
    storage::write_batch batch;
    batch.ops.push_back({storage::table::portal_keys,
                         portal_key_key("acme", 7, 1), recording::to_json(*key),
                         storage::op_kind::put});
    auto rh = self->request(writer, infinite, storage::write_atom::value,
                            std::move(batch));
    sched.run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  ~fixture() {
    anon_send_exit(directory, exit_reason::user_shutdown);
    anon_send_exit(auth, exit_reason::user_shutdown);
    sched.run();
  }

  actor spawn_session() {
    session_config cfg;
    cfg.account = "acme";
    cfg.request = 5;
    cfg.env = env;
    cfg.persistence = writer;
    cfg.directory = directory;
    cfg.blobs = blobs;
    cfg.auth = auth;
    cfg.now_ms = [this] { return now; };
    auto s = sys.spawn(session_actor, cfg);
    sched.run();
    return s;
  }

  unsigned call(actor s, message msg) {
    unsigned out = 0;
    bool line = msg.match_element<session_send_atom>(0);
    auto rh = self->request(s, infinite, std::move(msg));
    sched.run();
    auto refused = [&](error& err) { out = gateways::describe(err).status; };
    if (line)
      rh.receive([&](chat_ack&) { out = 200; }, refused);
    else
      rh.receive([&](screen_ack&) { out = 200; }, refused);
    return out;
  }

  /// Makes `conn` a live member; its member key.
  std::string join(actor s, actor conn, const char* role,
                   const char* credential) {
    std::string key;
    auto rh = self->request(s, infinite, session_subscribe_atom::value, conn,
                            std::string{role}, std::string{credential}, true,
                            uint64_t{0});
    sched.run();
    rh.receive([&](session_joined& joined) { key = joined.member; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return key;
  }

  json row() {
    auto v = env->get(storage::table::recordings, recording_key("acme", 5));
    CAF_REQUIRE(v && *v);
    return json::parse(**v);
  }

  recording::reading read_back(const std::string& path) {
    auto file = store->read(path);
    CAF_REQUIRE(file.has_value());
    auto r = recording::read(*file, public_key, secret);
    CAF_REQUIRE(r.has_value());
    return *r;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(session_recording_tests, fixture)

CAF_TEST(an active session of a recording portal writes chat screen and frames
           encrypted) {
  auto s = spawn_session();
  auto tech = sys.spawn(sink);
  auto customer = sys.spawn(sink);
  auto t = join(s, tech, member_technician, "acme-10");
  auto c = join(s, customer, member_customer, "cust-token");
  auto sent =
    call(s, make_message(session_send_atom::value, c, std::string{"hello"},
                         std::string{"a"}, false));
  CAF_CHECK_EQUAL(sent, 200u);
  call(s, make_message(session_screen_atom::value, t, std::string{"request"}));
  call(s, make_message(session_screen_atom::value, c, std::string{"accept"}));
  anon_send(s, session_frame_atom::value, c, std::string{"FRAME1"});
  sched.run();
  now += 100; // too soon after the first: relayed, not recorded
  anon_send(s, session_frame_atom::value, c, std::string{"FRAME2"});
  sched.run();
  now += 600;
  anon_send(s, session_frame_atom::value, c, std::string{"FRAME3"});
  sched.run();
  auto during = row();
  CAF_CHECK(during["recording"].get<bool>());
  // The session ends: the recording is finished and its row says so.
  anon_send(s, session_update_atom::value, info("closed"));
  sched.run();
  auto done = row();
  CAF_CHECK(!done["recording"].get<bool>());
  auto expires = done["expires_ms"].get<int64_t>();
  auto started = done["started_ms"].get<int64_t>();
  CAF_CHECK_EQUAL(expires, started + 30 * 86400000LL);
  auto path = done["segments"][0]["path"].get<std::string>();
  auto file = *store->read(path);
  CAF_CHECK(file.find("hello") == std::string::npos);
  CAF_CHECK(file.find("FRAME") == std::string::npos);
  auto bytes = done["bytes"].get<uint64_t>();
  CAF_CHECK_EQUAL(bytes, file.size());
  auto r = read_back(path);
  CAF_CHECK(r.finished);
  std::vector<std::string> frames;
  bool hello = false;
  for (auto& rec : r.records) {
    if (rec.k == recording::kind::frame)
      frames.push_back(rec.payload);
    if (rec.k == recording::kind::chat &&
        json::parse(rec.payload)["text"] == "hello")
      hello = true;
  }
  CAF_CHECK(hello);
  auto frame_count = frames.size();
  CAF_REQUIRE_EQUAL(frame_count, 2u);
  CAF_CHECK_EQUAL(frames[0], "FRAME1");
  CAF_CHECK_EQUAL(frames[1], "FRAME3");
  CAF_CHECK(r.records.back().k == recording::kind::end);
}

CAF_TEST(a recording stops at the size cap and the session goes on) {
  // A cap of 1 MB and frames of 300 KB: the fourth no longer fits.
  auto s = spawn_session();
  anon_send(s, session_update_atom::value, info("active", 1));
  sched.run();
  auto customer = sys.spawn(sink);
  auto c = join(s, customer, member_customer, "cust-token");
  auto t = join(s, sys.spawn(sink), member_technician, "acme-10");
  call(s, make_message(session_screen_atom::value, t, std::string{"request"}));
  call(s, make_message(session_screen_atom::value, c, std::string{"accept"}));
  for (int i = 0; i < 6; ++i) {
    now += 1000;
    anon_send(s, session_frame_atom::value, c,
              std::string(300 * 1024, static_cast<char>('a' + i)));
    sched.run();
  }
  auto full = row();
  CAF_CHECK(full["truncated"].get<bool>());
  CAF_CHECK(full["bytes"].get<uint64_t>() <= (1u << 20));
  // Chat still works.
  auto still =
    call(s, make_message(session_send_atom::value, c, std::string{"still here"},
                         std::string{"b"}, false));
  CAF_CHECK_EQUAL(still, 200u);
  auto r = read_back(full["segments"][0]["path"].get<std::string>());
  CAF_CHECK(r.finished);
  auto last = r.records.back().payload;
  CAF_CHECK(last.find("size_cap") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
