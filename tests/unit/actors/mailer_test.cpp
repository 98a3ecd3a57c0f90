#define CAF_SUITE actors.mailer

#include "actors/services/mailer.hpp"

#include <caf/test/dsl.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/hasher.hpp"
#include "stuck_writer.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    run();
  }

  mailer_actor spawn_mailer(const std::string& url) {
    mailer_config cfg;
    cfg.env = env;
    cfg.persistence = writer;
    cfg.smtp_url = url;
    auto m = sys.spawn(mailer, cfg);
    sched.run();
    return m;
  }

  std::vector<json> outbox() {
    std::vector<json> out;
    env->scan(storage::table::outbox, "", 100,
              [&](std::string_view, std::string_view v) {
                out.push_back(json::parse(v));
                return true;
              });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(mailer_tests, fixture)

CAF_TEST(an unreachable server keeps the mail for a retry) {
  // Nothing listens on port 1: the connection is refused at once.
  auto m = spawn_mailer("smtp://127.0.0.1:1");
  auto rh =
    self->request(m, infinite, mail_atom::value, std::string{"a@b.example"},
                  std::string{"Hello"}, std::string{"Body"});
  sched.run(); // jobs only: the retry timer stays pending
  uint64_t first = 0;
  rh.receive([&](uint64_t id) { first = id; },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_GREATER(first, 0u);
  auto queued = outbox();
  CAF_REQUIRE_EQUAL(queued.size(), 1u);
  CAF_CHECK_EQUAL(queued[0]["to"], "a@b.example");
  CAF_CHECK_EQUAL(queued[0]["attempts"], 1);
  // A restarted mailer numbers after what is queued, and above the clock
  // (times 2^16), so it never reuses the number of a mail a dead
  // incarnation still had on its way to storage.
  anon_send_exit(m, exit_reason::user_shutdown);
  sched.run();
  auto again = spawn_mailer("smtp://127.0.0.1:1");
  auto rh2 =
    self->request(again, infinite, mail_atom::value, std::string{"c@d.example"},
                  std::string{"Hi"}, std::string{"Body"});
  sched.run();
  rh2.receive([&](uint64_t id) { CAF_CHECK_GREATER(id, first); },
              [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK_EQUAL(outbox().size(), 2u);
  // Stop before the retry timer fires in the fixture's final run.
  anon_send_exit(again, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a file goes into the outbox with its mail and a bad name is refused) {
  auto m = spawn_mailer("smtp://127.0.0.1:1");
  auto rh = self->request(
    m, infinite, mail_atom::value, std::string{"a@b.example"},
    std::string{"Report"}, std::string{"See the file"},
    std::string{"Daily-2026-12-03.csv"}, std::string{"a,b\r\n1,2\r\n"});
  auto bad =
    self->request(m, infinite, mail_atom::value, std::string{"a@b.example"},
                  std::string{"Report"}, std::string{"x"},
                  std::string{"../evil\".csv"}, std::string{"a"});
  sched.run();
  rh.receive([](uint64_t) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  bad.receive([](uint64_t) { CAF_FAIL("accepted a bad file name"); },
              [](error&) {});
  auto queued = outbox();
  CAF_REQUIRE_EQUAL(queued.size(), 1u);
  CAF_CHECK_EQUAL(queued[0]["file_name"], "Daily-2026-12-03.csv");
  CAF_CHECK_EQUAL(queued[0]["file"], "a,b\r\n1,2\r\n");
  anon_send_exit(m, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a mail with a file is multipart with the file in base64) {
  mail_attachment file{"r.csv", "id,name\r\n7,María\r\n"};
  auto msg = mime_message("n@x.example", "a@b.example", "Report",
                          "Line one\nLine two", &file);
  auto at = [&msg](const std::string& text) { return msg.find(text); };
  CAF_CHECK_NOT_EQUAL(at("Content-Type: multipart/mixed; boundary=\"=_"),
                      std::string::npos);
  CAF_CHECK_NOT_EQUAL(at("Line one\r\nLine two"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(
    at("Content-Type: text/csv; charset=utf-8; name=\"r.csv\""),
    std::string::npos);
  CAF_CHECK_NOT_EQUAL(at("Content-Disposition: attachment; filename=\"r.csv\""),
                      std::string::npos);
  // base64 of the CSV, then the closing boundary.
  CAF_CHECK_NOT_EQUAL(at("aWQsbmFtZQ0KNyxNYXLDrWENCg==\r\n--=_"),
                      std::string::npos);
  CAF_CHECK_EQUAL(msg.substr(msg.size() - 4), "--\r\n");
  auto plain =
    mime_message("n@x.example", "a@b.example", "Hi", "Body", nullptr);
  CAF_CHECK_NOT_EQUAL(plain.find("Content-Type: text/plain; charset=utf-8"),
                      std::string::npos);
  CAF_CHECK_EQUAL(plain.find("multipart"), std::string::npos);
}

CAF_TEST(header injection is refused) {
  auto m = spawn_mailer("");
  auto rh = self->request(m, infinite, mail_atom::value,
                          std::string{"a@b.example\r\nBcc: x@y.example"},
                          std::string{"Hello"}, std::string{"Body"});
  sched.run();
  rh.receive([](uint64_t) { CAF_FAIL("accepted a header injection"); },
             [](error&) {});
  CAF_CHECK(outbox().empty());
  anon_send_exit(m, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(without a server the mail is logged and leaves the outbox) {
  auto m = spawn_mailer("");
  auto rh =
    self->request(m, infinite, mail_atom::value, std::string{"a@b.example"},
                  std::string{"Hello"}, std::string{"Body"});
  sched.run();
  rh.receive([](uint64_t) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_CHECK(outbox().empty());
  anon_send_exit(m, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(a burst of mails is stored together and the queue is bounded) {
  auto m = spawn_mailer("");
  std::vector<
    response_handle<blocking_actor, detail::type_list<uint64_t>, true>>
    handles;
  for (int i = 0; i < 5; ++i)
    handles.push_back(self->request(m, infinite, mail_atom::value,
                                    std::string{"a@b.example"},
                                    std::string{"Hello"}, std::string{"Body"}));
  sched.run();
  for (auto& rh : handles)
    rh.receive([](uint64_t) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  // Sent (logged) and removed, each once.
  CAF_CHECK(outbox().empty());
  anon_send_exit(m, exit_reason::user_shutdown);
  sched.run();
  // A writer that does not answer: mails beyond the bound are refused at
  // once instead of piling up in memory.
  auto stuck = sys.spawn(stuck_writer);
  mailer_config cfg;
  cfg.env = env;
  cfg.persistence = stuck;
  cfg.max_queue = 2;
  auto bounded = sys.spawn(mailer, cfg);
  sched.run();
  for (int i = 0; i < 2; ++i)
    self->request(bounded, infinite, mail_atom::value,
                  std::string{"a@b.example"}, std::string{"Hi"},
                  std::string{"Body"});
  sched.run();
  auto refused = self->request(bounded, infinite, mail_atom::value,
                               std::string{"a@b.example"}, std::string{"Hi"},
                               std::string{"Body"});
  sched.run();
  refused.receive(
    [](uint64_t) { CAF_FAIL("a third mail was queued"); },
    [&](error& err) { CAF_CHECK(err == storage::storage_errc::busy); });
  anon_send_exit(bounded, exit_reason::user_shutdown);
  anon_send_exit(stuck, exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(the hasher hashes and verifies) {
  auto h = sys.spawn(hasher);
  std::string stored;
  auto rh =
    self->request(h, infinite, hash_atom::value,
                  std::vector<std::string>{"pass-word-1", "pass-word-1"});
  run();
  rh.receive(
    [&](std::map<std::string, std::string>& hashes) {
      CAF_REQUIRE_EQUAL(hashes.size(), 1u);
      stored = hashes["pass-word-1"];
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  auto ok = self->request(h, infinite, verify_atom::value, stored,
                          std::string{"pass-word-1"});
  run();
  ok.receive([](bool v) { CAF_CHECK(v); },
             [&](error& err) { CAF_FAIL(sys.render(err)); });
  auto bad = self->request(h, infinite, verify_atom::value, stored,
                           std::string{"pass-word-2"});
  run();
  bad.receive([](bool v) { CAF_CHECK(!v); },
              [&](error& err) { CAF_FAIL(sys.render(err)); });
}

CAF_TEST_FIXTURE_SCOPE_END()
