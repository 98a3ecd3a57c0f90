#define CAF_SUITE actors.session
// Members, lines and the actor's life: who joins, what is pushed, retries,
// idling.

#include "session_fixture.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::session_test;
using json = nlohmann::json;

CAF_TEST_FIXTURE_SCOPE(session_tests, fixture)

CAF_TEST(lines are numbered stored and pushed to who may see them) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto [s1, ack1] = send(s, cust, "hello");
  CAF_REQUIRE_EQUAL(s1, 200u);
  auto seq1 = ack1["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq1, 1u);
  auto [s2, ack2] = send(s, tech, "note to self", true);
  CAF_CHECK_EQUAL(s2, 200u);
  auto [s3, ack3] = send(s, tech, "hi Maria");
  CAF_CHECK_EQUAL(s3, 200u);
  sched.run();
  CAF_CHECK_EQUAL(tech.box->lines().size(), 3u);
  auto seen = cust.box->lines();
  CAF_REQUIRE_EQUAL(seen.size(), 2u);
  auto first = seen[0]["name"].get<std::string>();
  auto second = seen[1]["name"].get<std::string>();
  CAF_CHECK_EQUAL(first, "Maria");
  CAF_CHECK_EQUAL(second, "Anna Berger");
  auto stored = env->get(storage::table::chat, chat_key("acme", 5, 2));
  CAF_REQUIRE(stored && *stored);
  // Only the technician who has it may write; nobody may send nothing.
  auto reader = technician(s, 11);
  auto [s4, wrong] = send(s, reader, "me too");
  CAF_CHECK_EQUAL(s4, 403u);
  auto [s5, empty] = send(s, cust, "  \n");
  CAF_CHECK_EQUAL(s5, 400u);
  // A technician who only reads gets the lines, not the private note.
  sched.run();
  CAF_CHECK_EQUAL(reader.box->lines().size(), 2u);
  // Resume after 1: exactly the later lines the member may see.
  auto late = customer(s, 1);
  sched.run();
  auto resumed = late.box->lines();
  CAF_REQUIRE_EQUAL(resumed.size(), 1u);
  auto seq3 = resumed[0]["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq3, 3u);
  // The customer's transcript leaves the note out.
  auto [s7, text] =
    call(s, make_message(session_transcript_atom::value, false));
  CAF_CHECK_EQUAL(s7, 200u);
  CAF_CHECK(text.find("note to self") == std::string::npos);
  CAF_CHECK(text.find("] Maria: hello\n") != std::string::npos);
  auto [s8, full] = call(s, make_message(session_transcript_atom::value, true));
  CAF_CHECK(full.find("Anna Berger (private note): note to self") !=
            std::string::npos);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a member with a sink gets broadcasts there and the rest as before) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  CAF_REQUIRE_EQUAL(send(s, cust, "first").first, 200u);
  sched.run();
  // A technician's console on this node resumes with its sink.
  auto sink = std::make_shared<recording_sink>();
  auto tech = technician_with_sink(s, sink);
  // The stored line came through the connection (before chat.synced).
  CAF_CHECK_EQUAL(tech.box->lines().size(), 1u);
  CAF_CHECK(sink->written.empty());
  // New lines and typing go into the sink, once, and not to the connection.
  CAF_REQUIRE_EQUAL(send(s, cust, "second").first, 200u);
  anon_send(s, session_typing_atom::value, cust.key, true);
  sched.run();
  CAF_REQUIRE_EQUAL(sink->written.size(), 2u);
  CAF_CHECK_EQUAL(sink->written[0].value("type", ""), "chat.line");
  CAF_CHECK_EQUAL(sink->written[0]["line"].value("text", ""), "second");
  CAF_CHECK_EQUAL(sink->written[1].value("type", ""), "chat.typing");
  CAF_CHECK_EQUAL(tech.box->lines().size(), 1u);
  CAF_CHECK_EQUAL(tech.box->count("chat.typing"), 0u);
  // The member without a sink still gets them through its connection.
  CAF_CHECK_EQUAL(cust.box->lines().size(), 2u);
  // Once the member is gone, nothing more reaches its sink.
  anon_send_exit(tech.conn, exit_reason::user_shutdown);
  sched.run();
  CAF_REQUIRE_EQUAL(send(s, cust, "third").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(sink->written.size(), 2u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(
  a viewer with a sink gets screen frames there and skips them when behind) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto sink = std::make_shared<recording_sink>();
  auto tech = technician_with_sink(s, sink);
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, cust, "accept").first, 200u);
  sched.run();
  anon_send(s, session_frame_atom::value, cust.key, std::string{"IMG1"});
  sched.run();
  // The image with its request id in front (8 bytes, big-endian).
  CAF_REQUIRE_EQUAL(sink->frames.size(), 1u);
  CAF_CHECK_EQUAL(sink->frames[0].size(), 12u);
  CAF_CHECK_EQUAL(sink->frames[0].substr(8), "IMG1");
  // Behind: the frame is skipped and the sharing customer asked for less.
  sink->behind = true;
  anon_send(s, session_frame_atom::value, cust.key, std::string{"IMG2"});
  sched.run();
  CAF_CHECK_EQUAL(sink->frames.size(), 1u);
  CAF_CHECK_EQUAL(cust.box->count("screen.quality"), 1u);
  sink->behind = false;
  anon_send(s, session_frame_atom::value, cust.key, std::string{"IMG3"});
  sched.run();
  CAF_REQUIRE_EQUAL(sink->frames.size(), 2u);
  CAF_CHECK_EQUAL(sink->frames[1].substr(8), "IMG3");
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the session checks who joins it itself) {
  auto s = spawn_session(writer);
  // Wrong or missing customer tokens, logins of another account, people who
  // may not read, unknown roles: all refused the same way.
  CAF_CHECK_EQUAL(join(s, member_customer, "wrong-token").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_customer, "").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "evil-10").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "nologin").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_technician, "acme-13").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_observer, "acme-10").first, 404u);
  CAF_CHECK_EQUAL(join(s, member_observer, "evil-90").first, 404u);
  CAF_CHECK_EQUAL(join(s, "admin", "acme-90").first, 400u);
  // Messages with no or a made-up member key do nothing.
  member_conn stranger{nullptr, nullptr, "made-up"};
  CAF_CHECK_EQUAL(send(s, stranger, "hi").first, 403u);
  auto [screen, refused] =
    call(s, make_message(session_screen_atom::value, std::string{"made-up"},
                         std::string{"accept"}));
  CAF_CHECK_EQUAL(screen, 403u);
  // An observer reads private notes and cannot write.
  auto tech = technician(s, 10);
  send(s, tech, "psst", true);
  auto [ok, watcher] = join(s, member_observer, "acme-90");
  CAF_REQUIRE_EQUAL(ok, 200u);
  sched.run();
  CAF_CHECK_EQUAL(watcher.box->lines().size(), 1u);
  CAF_CHECK_EQUAL(send(s, watcher, "boo").first, 403u);
  // Joining without `live` makes a member that receives nothing.
  auto [quiet_status, quiet] = join(s, member_customer, customer_token, false);
  CAF_CHECK_EQUAL(quiet_status, 200u);
  CAF_CHECK_EQUAL(send(s, quiet, "hello").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(quiet.box->messages.size(), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a technician who leaves the session stops listening at once) {
  auto s = spawn_session(writer);
  auto anna = technician(s, 10);
  auto cust = customer(s);
  // Handed over to Carla (12): Anna gets chat.revoked and nothing more.
  anon_send(s, session_update_atom::value, news("active", 12, "Carla Diaz"));
  sched.run();
  CAF_CHECK_EQUAL(anna.box->count("chat.revoked"), 1u);
  auto carla = technician(s, 12);
  send(s, carla, "for technicians", true);
  send(s, cust, "hello Carla");
  sched.run();
  CAF_CHECK_EQUAL(anna.box->lines().size(), 0u);
  CAF_CHECK_EQUAL(send(s, anna, "still here?").first, 403u);
  // Anna may read again as a technician who sees the request: no notes.
  auto again = technician(s, 10);
  sched.run();
  CAF_CHECK_EQUAL(again.box->lines().size(), 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a retried line is stored once) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  auto [a, first] = send(s, cust, "once", false, "c-1");
  auto [b, again] = send(s, cust, "once", false, "c-1");
  CAF_CHECK_EQUAL(a, 200u);
  CAF_CHECK_EQUAL(b, 200u);
  CAF_CHECK_EQUAL(first["seq"], again["seq"]);
  // The same client id of another member is another line.
  auto [c, other] = send(s, tech, "mine", false, "c-1");
  CAF_CHECK_EQUAL(c, 200u);
  CAF_CHECK_NOT_EQUAL(other["seq"], first["seq"]);
  // Two sends before the first is stored: one line, the same answer.
  auto r1 = self->request(s, infinite, session_send_atom::value, cust.key,
                          std::string{"fast"}, std::string{"c-2"}, false);
  auto r2 = self->request(s, infinite, session_send_atom::value, cust.key,
                          std::string{"fast"}, std::string{"c-2"}, false);
  sched.run();
  uint64_t seq1 = 0, seq2 = 0;
  r1.receive([&](chat_ack& ack) { seq1 = ack.seq; },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  r2.receive([&](chat_ack& ack) { seq2 = ack.seq; },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(seq1, seq2);
  sched.run();
  size_t fast = 0;
  for (auto& l : tech.box->lines())
    fast += l["text"] == "fast";
  CAF_CHECK_EQUAL(fast, 1u);
  CAF_CHECK(!tech.box->lines()[0].contains("cid"));
  // After a restart the stored client ids are known again.
  anon_send_exit(s, exit_reason::user_shutdown);
  sched.run();
  auto s2 = spawn_session(writer);
  auto cust2 = customer(s2);
  auto [d, after_restart] = send(s2, cust2, "once", false, "c-1");
  CAF_CHECK_EQUAL(d, 200u);
  CAF_CHECK_EQUAL(after_restart["seq"], first["seq"]);
  anon_send_exit(s2, exit_reason::user_shutdown);
}

CAF_TEST(a session that is over and idle stops) {
  auto s = spawn_session(writer, std::chrono::seconds(5));
  auto cust = customer(s);
  CAF_CHECK_EQUAL(
    call(s, make_message(session_send_atom::value, cust.key, std::string{"bye"},
                         std::string{"c1"}, false))
      .first,
    200u);
  anon_send(s, session_update_atom::value, news("closed"));
  sched.run();
  // A member keeps it alive.
  sched.advance_time(std::chrono::seconds(6));
  sched.run();
  CAF_CHECK_EQUAL(
    call(s, make_message(session_transcript_atom::value, false)).first, 200u);
  anon_send_exit(cust.conn, exit_reason::user_shutdown);
  sched.run();
  auto watcher = sys.spawn(
    [](event_based_actor* me, actor target) -> behavior {
      me->monitor(target);
      return {[](int) {}};
    },
    s);
  sched.run();
  sched.advance_time(std::chrono::seconds(6));
  sched.run();
  // The session is gone: a request to it fails.
  auto rh = self->request(s, infinite, session_transcript_atom::value, false);
  sched.run();
  bool gone = false;
  rh.receive([&](std::string&) {}, [&](error&) { gone = true; });
  CAF_CHECK(gone);
  anon_send_exit(watcher, exit_reason::user_shutdown);
  // It ended with nothing in flight, so the writer forgot its epoch: a new
  // fence finds no earlier epoch (it would answer its last batch otherwise).
  auto f = self->request(writer, infinite, storage::fence_atom::value,
                         std::string{"session/acme/5"});
  sched.run();
  f.receive(
    [](const storage::fence_receipt& r) { CAF_CHECK_EQUAL(r.committed, 0u); },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
}

CAF_TEST(a new session goes on numbering from storage and shows desk news) {
  {
    auto s = spawn_session(writer);
    auto cust = customer(s);
    send(s, cust, "one");
    send(s, cust, "two");
    anon_send_exit(s, exit_reason::user_shutdown);
    sched.run();
  }
  auto s = spawn_session(writer);
  anon_send(
    s, session_update_atom::value,
    news("active", 12, "Carla Diaz", "handed_over", {{"name", "Carla Diaz"}}));
  sched.run();
  auto carla = technician(s, 12);
  auto [status, ack] = send(s, carla, "Carla here");
  CAF_REQUIRE_EQUAL(status, 200u);
  auto seq = ack["seq"].get<uint64_t>();
  CAF_CHECK_EQUAL(seq, 4u);
  anon_send(s, session_update_atom::value, news("closed"));
  sched.run();
  auto cust = customer(s);
  auto [closed, err] = send(s, cust, "hello?");
  CAF_CHECK_EQUAL(closed, 409u);
  auto code = err["error"]["code"].get<std::string>();
  CAF_CHECK_EQUAL(code, "chat_not_open");
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
