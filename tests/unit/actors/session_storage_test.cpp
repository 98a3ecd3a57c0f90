#define CAF_SUITE actors.session_storage
// Lines when storage fails, is slow, never answers or is full.

#include "session_fixture.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::session_test;
using json = nlohmann::json;

CAF_TEST_FIXTURE_SCOPE(session_storage_tests, fixture)

CAF_TEST(a line that cannot be stored is refused and the session restarts) {
  auto bad = sys.spawn(failing_writer);
  auto s = spawn_session(bad);
  auto cust = customer(s);
  auto [status, body] = send(s, cust, "lost?");
  CAF_CHECK_EQUAL(status, 503u);
  sched.run();
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 1));
  CAF_REQUIRE(stored);
  CAF_CHECK(!stored->has_value());
}

CAF_TEST(a line slower than the write timeout is answered by its fate) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  // This commit takes 40 s: the session's request times out meanwhile, but
  // the batch had passed its checks and is stored.
  on_commit = [this] { sched.advance_time(std::chrono::seconds(40)); };
  auto [status, ack] = send(s, cust, "slow disk", false, "c-slow");
  CAF_CHECK_EQUAL(status, 200u);
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("slow disk"), 1u);
  size_t seen = 0;
  for (auto& l : tech.box->lines())
    seen += l["text"] == "slow disk";
  CAF_CHECK_EQUAL(seen, 1u);
  // The sender's retry is the same line.
  auto [again, ack2] = send(s, cust, "slow disk", false, "c-slow");
  CAF_CHECK_EQUAL(again, 200u);
  CAF_CHECK_EQUAL(ack2["seq"], ack["seq"]);
  CAF_CHECK_EQUAL(stored_lines("slow disk"), 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a line storage never answers is decided by the watchdog) {
  auto stuck = sys.spawn(stuck_writer);
  auto s = spawn_session(stuck);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto timers = sched.clock().schedule().size();
  auto line = [&](const char* text) {
    return self->request(s, infinite,
                         make_message(session_send_atom::value, cust.key,
                                      std::string{text}, std::string{text},
                                      false));
  };
  auto first = line("stuck 1");
  auto second = line("stuck 2");
  sched.run();
  // The writes carry no clock timeout of their own: two lines in flight add
  // one timer, the session's watchdog.
  CAF_CHECK_EQUAL(sched.clock().schedule().size(), timers + 1);
  // After the answer limit the watchdog fences: the batches were not
  // committed, so the lines are refused (the sender sends them again) and
  // nobody saw them.
  sched.advance_time(storage::write_timeout() + std::chrono::seconds(10));
  sched.run();
  for (auto* rh : {&first, &second})
    rh->receive([&](chat_ack&) { CAF_FAIL("a line storage did not take"); },
                [&](error& err) {
                  CAF_CHECK(is(err, errc::storage_unavailable));
                  CAF_CHECK_EQUAL(refusal(err).first, 503u);
                });
  CAF_CHECK_EQUAL(tech.box->count("chat.line"), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
  anon_send_exit(stuck, exit_reason::user_shutdown);
}

CAF_TEST(a line queued past its deadline is refused and its retry stored once) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  send(s, cust, "before");
  // The writer's queue is slow: the batch's deadline has passed when its
  // turn comes; it is refused before any commit.
  offset = 15'000'000;
  auto [late, err] = send(s, cust, "late line", false, "c-late");
  CAF_CHECK_EQUAL(late, 503u);
  CAF_CHECK_EQUAL(err["error"]["code"], "storage_unavailable");
  offset = 0;
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("late line"), 0u);
  // No ghost: the technician never saw it, and the retry is stored once,
  // numbered after what is stored.
  auto [ok, ack] = send(s, cust, "late line", false, "c-late");
  CAF_CHECK_EQUAL(ok, 200u);
  CAF_CHECK_EQUAL(ack["seq"], 2u);
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("late line"), 1u);
  size_t seen = 0;
  for (auto& l : tech.box->lines())
    seen += l["text"] == "late line";
  CAF_CHECK_EQUAL(seen, 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a full storage answers storage_full and the session stays up) {
  temp_dir small;
  storage::environment_options opts;
  opts.path = small.path;
  opts.map_size = 1 << 20; // 1 MiB
  env = *storage::environment::open(opts);
  auto cfg = writer_config(env);
  cfg.map_refuse_ratio = 0.01; // a fresh environment is above it: "full"
  auto full = sys.spawn(storage::persistence, cfg);
  sched.run();
  auto s = spawn_session(full);
  auto cust = customer(s);
  for (int i = 0; i < 2; ++i) {
    auto [status, err] = send(s, cust, "no room");
    // Before: 503 storage_unavailable, as if trying again could help.
    CAF_CHECK_EQUAL(status, 507u);
    CAF_CHECK_EQUAL(err["error"]["code"], "storage_full");
  }
  CAF_CHECK_EQUAL(stored_lines("no room"), 0u);
  CAF_CHECK_EQUAL(
    call(s, make_message(session_transcript_atom::value, false)).first, 200u);
  anon_send_exit(s, exit_reason::user_shutdown);
  anon_send_exit(full, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
