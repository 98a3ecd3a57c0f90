#define CAF_SUITE actors.session_system_lines
// The transcript and system lines in the reader's language.

#include "session_fixture.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::session_test;
using json = nlohmann::json;

CAF_TEST_FIXTURE_SCOPE(session_system_lines_tests, fixture)

CAF_TEST(transcript lines indent continuation lines) {
  json line = {{"time", int64_t{1'764'000'000'000}},
               {"from", "customer"},
               {"name", "Maria"},
               {"text", "a\r\nb"}};
  CAF_CHECK_EQUAL(transcript_line(line),
                  "[2025-11-24 16:00:00 UTC] Maria: a\n    b\n");
  json sys_line = {{"time", 0}, {"from", "system"}, {"text", "x"}};
  CAF_CHECK_EQUAL(transcript_line(sys_line), "[1970-01-01 00:00:00 UTC] * x\n");
}

CAF_TEST(system lines carry a code and are rendered in the reader language) {
  auto s = spawn_session(writer);
  auto cust = customer(s);
  auto tech = technician(s, 10);
  // The desk's step comes as a code with parameters; the session writes its
  // English text beside them.
  anon_send(
    s, session_update_atom::value,
    news("active", 10, "Anna Berger", "joined", {{"name", "Anna Berger"}}));
  sched.run();
  CAF_REQUIRE_EQUAL(screen(s, tech, "request").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, cust, "accept").first, 200u);
  CAF_REQUIRE_EQUAL(screen(s, tech, "stop").first, 200u);
  anon_send(s, session_file_refused_atom::value, false, uint64_t{0},
            std::string{"x.exe"}, std::string{"not on the list"});
  sched.run();
  auto lines = stored();
  CAF_REQUIRE_EQUAL(lines.size(), 4u);
  CAF_CHECK_EQUAL(lines[0]["code"], "joined");
  CAF_CHECK_EQUAL(lines[0]["params"]["name"], "Anna Berger");
  CAF_CHECK_EQUAL(lines[0]["text"], "Anna Berger joined the session");
  CAF_CHECK_EQUAL(lines[1]["code"], "screen_started");
  CAF_CHECK_EQUAL(lines[1]["text"], "Screen sharing started");
  CAF_CHECK_EQUAL(lines[2]["code"], "screen_stopped");
  CAF_CHECK_EQUAL(lines[3]["code"], "file_refused");
  CAF_CHECK_EQUAL(lines[3]["text"],
                  "The file \"x.exe\" from Maria was refused: not on the list");
  // Members receive the code too.
  auto pushed = cust.box->lines();
  CAF_REQUIRE_EQUAL(pushed.size(), 4u);
  CAF_CHECK_EQUAL(pushed[0]["code"], "joined");
  CAF_CHECK_EQUAL(system_text(lines[0], "de"),
                  "Anna Berger ist der Sitzung beigetreten");
  // The transcript in German renders codes, keeps texts without one.
  auto [st_de, de] = call(
    s, make_message(session_transcript_atom::value, false, std::string{"de"}));
  CAF_CHECK_EQUAL(st_de, 200u);
  CAF_CHECK(de.find("* Anna Berger ist der Sitzung beigetreten\n") !=
            std::string::npos);
  CAF_CHECK(de.find("* Bildschirmfreigabe gestartet\n") != std::string::npos);
  CAF_CHECK(de.find("Die Datei „x.exe“ von Maria wurde abgelehnt") !=
            std::string::npos);
  // English (and an unknown language) as before.
  auto [st_en, en] = call(
    s, make_message(session_transcript_atom::value, false, std::string{"xx"}));
  CAF_CHECK_EQUAL(st_en, 200u);
  CAF_CHECK_EQUAL(
    en, call(s, make_message(session_transcript_atom::value, false)).second);
  CAF_CHECK(en.find("* Anna Berger joined the session\n") != std::string::npos);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(every system line of the desk renders in both languages) {
  for (auto [code, params, text] :
       {std::tuple{"joined", json{{"name", "Anna Berger"}},
                   "Anna Berger joined the session"},
        {"joined_hidden", json{{"name", "Ben Okafor"}},
         "Ben Okafor joined the session (hidden from the customer)"},
        {"left", json{{"name", "Ben Okafor"}}, "Ben Okafor left the session"},
        {"handed_over", json{{"name", "Carla Diaz"}},
         "The session was handed over to Carla Diaz"},
        {"handed_over_team", json{{"team", "Support"}},
         "The session was handed over to the team Support"},
        {"closed", json{{"name", "Anna Berger"}},
         "Anna Berger closed the session"},
        {"customer_left", json::object(), "The customer left the session"},
        {"customer_ended", json::object(), "The customer ended the session"}}) {
    auto line = system_line(code, params);
    CAF_CHECK_EQUAL(line["text"], text);
    CAF_CHECK_EQUAL(system_text(line, "en"), text);
    auto de = system_text(line, "de");
    CAF_CHECK_NOT_EQUAL(de, text);
    CAF_CHECK(de.find('{') == std::string::npos); // every parameter filled
  }
  // A line stored before codes existed keeps its text in every language.
  json old = {{"from", "system"}, {"text", "Anna Berger joined the session"}};
  CAF_CHECK_EQUAL(system_text(old, "de"), "Anna Berger joined the session");
}

CAF_TEST_FIXTURE_SCOPE_END()
