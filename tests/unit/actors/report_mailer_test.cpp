#define CAF_SUITE actors.report_mailer

#include "actors/services/report_mailer.hpp"

#include <caf/test/dsl.hpp>

#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/org/account.hpp"
#include "actors/org/org_model.hpp"
#include "schema/codec.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

// 2026-12-04 10:00 UTC; a daily report at 06:00 is due for today's 06:00.
constexpr int64_t fri_10h = 1'796'378'400'000;
constexpr int64_t hour = 3600 * 1000;
constexpr int64_t slot = fri_10h - 4 * hour;

// What the fakes were asked.
struct seen {
  std::vector<std::tuple<uint64_t, std::string, history_filter, bool>> reports;
  /// to, subject, body, file name, file
  std::vector<
    std::tuple<std::string, std::string, std::string, std::string, std::string>>
    mails;
  std::vector<std::tuple<uint64_t, std::string, json>> ops;
  /// The desk's refusal (none: it answers the report).
  std::optional<errc> desk_refuses;
};

behavior fake_desk(event_based_actor*, std::shared_ptr<seen> s) {
  return {
    [s](desk_report_atom, uint64_t user, const std::string& kind,
        const history_filter& f,
        const report_options& o) -> result<std::string> {
      s->reports.emplace_back(user, kind, f, o.csv);
      if (s->desk_refuses)
        return make_error(*s->desk_refuses, "x");
      return std::string{"request_id,customer\r\n7,Maria\r\n"};
    },
  };
}

behavior fake_account(event_based_actor*, std::shared_ptr<seen> s) {
  return {
    [s](account_op_atom, uint64_t caller, const std::string& op,
        const std::string& args) -> std::tuple<bool, std::string> {
      s->ops.emplace_back(caller, op, json::parse(args));
      return {false, "{}"};
    },
  };
}

mailer_actor::behavior_type fake_mailer(mailer_actor::pointer,
                                        std::shared_ptr<seen> s) {
  return {
    [s](mail_atom, const std::string& to, const std::string& subject,
        const std::string& body) -> uint64_t {
      s->mails.emplace_back(to, subject, body, "", "");
      return s->mails.size();
    },
    [s](mail_atom, const std::string& to, const std::string& subject,
        const std::string& body, const std::string& file_name,
        const std::string& file) -> uint64_t {
      s->mails.emplace_back(to, subject, body, file_name, file);
      return s->mails.size();
    },
    [](mail_retry_atom) {},
  };
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  std::shared_ptr<seen> s = std::make_shared<seen>();
  std::shared_ptr<int64_t> clock = std::make_shared<int64_t>(fri_10h);
  actor service;

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    cluster::directory_config dcfg;
    dcfg.factories.emplace("desk",
                           [s = s](actor_system& sys, const std::string&) {
                             return sys.spawn(fake_desk, s);
                           });
    dcfg.factories.emplace("account",
                           [s = s](actor_system& sys, const std::string&) {
                             return sys.spawn(fake_account, s);
                           });
    directory = sys.spawn(cluster::directory, dcfg);
    sched.run();
  }

  ~fixture() {
    if (service)
      anon_send_exit(service, exit_reason::user_shutdown);
    anon_send_exit(directory, exit_reason::user_shutdown);
    sched.run();
  }

  // Stores account acme with manager 1 and saved report 5.
  void store(saved_report r, const std::string& time_zone = "UTC") {
    org_account a;
    a.id = "acme";
    a.name = "Acme";
    org_user boss;
    boss.id = 1;
    boss.r = role::company_manager;
    boss.email = "boss@acme.example";
    boss.time_zone = time_zone;
    a.users.emplace(1, boss);
    r.id = 5;
    r.owner = 1;
    a.saved_reports.emplace(5, r);
    schema::entity_record rec{"account/acme", 1, 0, to_storage_json(a).dump()};
    storage::write_batch b;
    b.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                     storage::op_kind::put});
    auto rh =
      self->request(writer, infinite, storage::write_atom::value, std::move(b));
    sched.run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  static saved_report daily(int64_t delivered) {
    saved_report r;
    r.name = "Daily";
    r.kind = "sessions";
    r.period = "yesterday";
    r.schedule = "daily";
    r.send_at = 6 * 60;
    r.delivered_ms = delivered;
    return r;
  }

  void start() {
    report_mailer_config cfg;
    cfg.env = env;
    cfg.directory = directory;
    cfg.mailer = sys.spawn(fake_mailer, s);
    cfg.check_every = std::chrono::minutes(1);
    cfg.now_ms = [c = clock] { return *c; };
    service = sys.spawn(report_mailer, cfg);
    sched.run();
  }

  void next_pass() {
    *clock += 60 * 1000;
    sched.trigger_timeouts();
    sched.run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(report_mailer_tests, fixture)

CAF_TEST(a due report is run as its owner mailed and then recorded) {
  store(daily(fri_10h - 24 * hour));
  start();
  CAF_REQUIRE_EQUAL(s->reports.size(), 1u);
  auto& [user, kind, filter, csv] = s->reports[0];
  CAF_CHECK_EQUAL(user, 1u);
  CAF_CHECK_EQUAL(kind, "sessions");
  CAF_CHECK(csv);
  // Yesterday, the whole day, in the owner's zone.
  CAF_CHECK_EQUAL(filter.from_ms, static_cast<uint64_t>(fri_10h - 34 * hour));
  CAF_CHECK_EQUAL(filter.to_ms, static_cast<uint64_t>(fri_10h - 10 * hour));
  CAF_REQUIRE_EQUAL(s->mails.size(), 1u);
  auto& [to, subject, body, file_name, file] = s->mails[0];
  CAF_CHECK_EQUAL(to, "boss@acme.example");
  CAF_CHECK_EQUAL(subject, "openassist: Daily (2026-12-03)");
  // The CSV is attached, named after the report and its first day; the
  // text says so.
  CAF_CHECK_EQUAL(file_name, "Daily-2026-12-03.csv");
  CAF_CHECK_EQUAL(file, "request_id,customer\r\n7,Maria\r\n");
  CAF_CHECK(body.find("Daily-2026-12-03.csv") != std::string::npos);
  CAF_CHECK(body.find("7,Maria") == std::string::npos);
  CAF_REQUIRE_EQUAL(s->ops.size(), 1u);
  auto& [caller, op, args] = s->ops[0];
  CAF_CHECK_EQUAL(caller, 1u);
  CAF_CHECK_EQUAL(op, "reports.delivered");
  CAF_CHECK_EQUAL(args.value("id", ""), "5");
  CAF_CHECK_EQUAL(args.value("slot_ms", int64_t{0}), slot);
}

CAF_TEST(a report delivered for its latest slot waits for the next) {
  store(daily(slot));
  start();
  next_pass();
  CAF_CHECK(s->reports.empty());
  CAF_CHECK(s->mails.empty());
  // Tomorrow's 06:00.
  *clock = slot + 24 * hour;
  next_pass();
  CAF_CHECK_EQUAL(s->mails.size(), 1u);
}

CAF_TEST(slots are the own time of the owner) {
  // 06:00 in New York is 11:00 UTC: at 10:00 UTC, yesterday's slot, which
  // was delivered.
  store(daily(slot), "America/New_York");
  start();
  CAF_CHECK(s->mails.empty());
  *clock = fri_10h + hour; // 11:00 UTC = 06:00 in New York
  next_pass();
  CAF_CHECK_EQUAL(s->mails.size(), 1u);
}

CAF_TEST(a desk that cannot run it now is asked again and nothing recorded) {
  s->desk_refuses = errc::busy;
  store(daily(fri_10h - 24 * hour));
  start();
  CAF_CHECK_EQUAL(s->reports.size(), 1u);
  CAF_CHECK(s->mails.empty());
  CAF_CHECK(s->ops.empty());
  s->desk_refuses.reset();
  next_pass();
  CAF_CHECK_EQUAL(s->mails.size(), 1u);
  CAF_CHECK_EQUAL(s->ops.size(), 1u);
}

CAF_TEST(a report that can no longer run is skipped and recorded) {
  s->desk_refuses = errc::bad_field;
  store(daily(fri_10h - 24 * hour));
  start();
  CAF_CHECK(s->mails.empty());
  CAF_REQUIRE_EQUAL(s->ops.size(), 1u);
  CAF_CHECK_EQUAL(std::get<1>(s->ops[0]), "reports.delivered");
}

CAF_TEST(reports without a schedule or owner are left alone) {
  auto r = daily(0);
  r.schedule = "";
  store(r);
  start();
  CAF_CHECK(s->reports.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
