#define CAF_SUITE actors.rollup

#include "actors/reports/rollup.hpp"

#include <random>

#include <caf/test/dsl.hpp>

#include "actors/reports/facts_record.hpp"
#include "actors/reports/monthly.hpp"
#include "actors/reports/monthly_reader.hpp"
#include "actors/reports/report.hpp"
#include "actors/reports/rollup_closer.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::reports;
using json = nlohmann::json;

namespace {

constexpr int64_t t0 = 1'764'806'400'000; // 2025-12-04 00:00 UTC
constexpr int64_t day_ms = 24 * 3600 * 1000;

// Random facts of a day's requests over 3 portals and 4 technicians (0:
// none): every outcome, waits across the distribution's buckets, ratings
// with and without comments, declines and transfers.
std::vector<request_facts> random_facts(uint32_t seed, size_t n,
                                        int64_t from = t0) {
  std::mt19937 rng{seed};
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>{lo, hi}(rng);
  };
  std::vector<request_facts> out;
  for (size_t i = 0; i < n; ++i) {
    request_facts f;
    f.id = i + 1;
    f.portal = static_cast<uint64_t>(pick(1, 3));
    f.created = from + pick(0, day_ms - 1);
    f.technician = static_cast<uint64_t>(pick(0, 4));
    bool answered = f.technician != 0 && pick(0, 3) > 0;
    if (answered)
      f.answered = f.created + pick(0, 900'000);
    f.ended = pick(0, 5) > 0;
    if (f.ended)
      f.closed = (answered ? f.answered : f.created) + pick(0, 3'600'000);
    f.abandoned = f.ended && !answered && pick(0, 1) == 1;
    f.no_response = f.ended && !answered && !f.abandoned;
    for (int d = 0, k = static_cast<int>(pick(0, 2)); d < k; ++d)
      f.decliners.insert(static_cast<uint64_t>(pick(1, 4)));
    if (f.ended && pick(0, 2) == 0) {
      f.rating = static_cast<int>(pick(1, 5));
      if (pick(0, 1) == 1)
        f.comment = "fine";
    }
    f.transfers = answered ? static_cast<int>(pick(0, 2)) : 0;
    out.push_back(std::move(f));
  }
  return out;
}

report_request request_of(report_kind kind, int64_t target_ms = 60'000) {
  report_request r;
  r.kind = kind;
  r.target_ms = target_ms;
  r.technicians = {{1, "Anna"}, {2, "Ben"}, {3, "Carla"}, {4, "Dora"}};
  r.portals = {{1, "Support"}, {2, "Sales"}, {3, "Billing"}};
  return r;
}

json from_facts(report_kind kind, const std::vector<request_facts>& facts,
                int64_t target_ms = 60'000) {
  report_builder b{request_of(kind, target_ms)};
  for (auto& f : facts)
    b.add(f);
  return b.finish();
}

json from_cells(report_kind kind, const day_rollup& d,
                int64_t target_ms = 60'000) {
  report_builder b{request_of(kind, target_ms)};
  for (auto& [key, cell] : d.cells)
    b.add(key, cell);
  return b.finish();
}

day_rollup roll(const std::vector<request_facts>& facts) {
  day_rollup d;
  d.day = "2025-12-04";
  for (auto& f : facts)
    d.add(f);
  return d;
}

} // namespace

CAF_TEST(a report over a day roll - up equals the report over its facts) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    auto facts = random_facts(seed, 200);
    auto d = roll(facts);
    CAF_CHECK_EQUAL(from_cells(report_kind::snapshot, d).dump(),
                    from_facts(report_kind::snapshot, facts).dump());
    CAF_CHECK_EQUAL(from_cells(report_kind::technicians, d).dump(),
                    from_facts(report_kind::technicians, facts).dump());
    for (auto target : wait_bounds_ms)
      CAF_CHECK_EQUAL(
        from_cells(report_kind::service_level, d, target).dump(),
        from_facts(report_kind::service_level, facts, target).dump());
  }
}

CAF_TEST(only the distribution bounds are targets of reports over roll - ups) {
  for (auto b : wait_bounds_ms)
    CAF_CHECK(bucket_target(b));
  CAF_CHECK(!bucket_target(45'000));
  CAF_CHECK(!bucket_target(0));
}

CAF_TEST(a roll - up record decodes to the roll - up it was made of) {
  auto d = roll(random_facts(7, 300));
  auto bytes = encode_rollup(d);
  auto back = decode_rollup(bytes, d.day);
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == d);
  CAF_CHECK(
    decode_rollup(encode_rollup(day_rollup{}), "2025-12-04").has_value());
  // Cut short, one byte too many, another version: not a roll-up.
  CAF_CHECK(!decode_rollup(bytes.substr(0, bytes.size() - 1), d.day));
  CAF_CHECK(!decode_rollup(bytes + "x", d.day));
  auto other = bytes;
  other[1] = '2';
  CAF_CHECK(!decode_rollup(other, d.day));
  // A count far beyond what the bytes hold is refused, not allocated.
  std::string huge = "R1";
  huge += std::string("\xff\xff\xff\xff", 4);
  CAF_CHECK(!decode_rollup(huge, d.day));
}

CAF_TEST(a monthly report adds its days and keeps to its scope) {
  // Three days in two months; the report of November and December.
  auto nov = random_facts(3, 150, t0 - 5 * day_ms); // 2025-11-29
  auto dec1 = random_facts(4, 150, t0);             // 2025-12-04
  auto dec2 = random_facts(5, 150, t0 + day_ms);    // 2025-12-05
  auto day_of = [](const std::vector<request_facts>& facts, const char* d) {
    auto r = roll(facts);
    r.day = d;
    return r;
  };
  monthly_request req;
  req.kind = report_kind::snapshot;
  req.from_month = "2025-11";
  req.to_month = "2025-12";
  req.technicians = request_of(report_kind::snapshot).technicians;
  req.portals = request_of(report_kind::snapshot).portals;
  req.all = false;
  req.scope = {1, 2};
  req.portal = 2;
  monthly_builder b{req};
  b.add(day_of(nov, "2025-11-29"));
  b.add(day_of(dec1, "2025-12-04"));
  b.add(day_of(dec2, "2025-12-05"));
  b.add(day_of(dec2, "2026-01-01")); // outside the range: skipped
  auto out = b.finish();
  std::vector<request_facts> all, november;
  for (auto* v : {&nov, &dec1, &dec2})
    for (auto& f : *v)
      if ((f.technician == 1 || f.technician == 2) && f.portal == 2) {
        all.push_back(f);
        if (v == &nov)
          november.push_back(f);
      }
  auto expected = from_facts(report_kind::snapshot, all);
  for (auto key : {"totals", "technicians", "portals", "survey"})
    CAF_CHECK_EQUAL(out[key].dump(), expected[key].dump());
  CAF_CHECK_EQUAL(out["report"], "monthly");
  CAF_CHECK_EQUAL(out["kind"], "snapshot");
  CAF_CHECK_EQUAL(out["through_day"], "2025-12-05");
  CAF_REQUIRE_EQUAL(out["months"].size(), 2u);
  CAF_CHECK_EQUAL(out["months"][0]["month"], "2025-11");
  CAF_CHECK_EQUAL(out["months"][0]["submitted"],
                  static_cast<int64_t>(november.size()));
  CAF_CHECK_EQUAL(out["months"][1]["submitted"],
                  static_cast<int64_t>(all.size()) -
                    static_cast<int64_t>(november.size()));
  auto csv = to_csv(out);
  CAF_CHECK_EQUAL(csv.rfind("month,submitted,answered,", 0), 0u);
  CAF_CHECK(csv.find("\r\n2025-11,") != std::string::npos);
  CAF_CHECK(csv.find("\r\nmeasure,value\r\n") != std::string::npos);
}

CAF_TEST(months are written YYYY - MM and ranges run from the first) {
  CAF_CHECK(valid_month("2026-01"));
  CAF_CHECK(!valid_month("2026-13"));
  CAF_CHECK(!valid_month("2026-1"));
  CAF_CHECK(!valid_month("1969-12"));
  CAF_CHECK(!valid_month("2026-0a"));
  auto r = months_between("2025-11", "2026-02");
  CAF_CHECK_EQUAL(
    r, (std::vector<std::string>{"2025-11", "2025-12", "2026-01", "2026-02"}));
  CAF_CHECK(months_between("2026-02", "2026-01").empty());
}

namespace {

struct closer_fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;

  closer_fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    sched.run();
  }

  void write(storage::write_batch batch) {
    auto rh = self->request(writer, infinite, storage::write_atom::value,
                            std::move(batch));
    sched.run();
    rh.receive([](const storage::write_receipt&) {},
               [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  void facts(const std::vector<request_facts>& v, uint64_t first_id) {
    storage::write_batch b;
    for (auto f : v) {
      f.id += first_id;
      b.ops.push_back({storage::table::report_facts,
                       facts_key("acme", f.created, f.id), encode_facts(f)});
    }
    write(std::move(b));
  }

  void run_closer(int64_t now, const std::string& zone = "UTC") {
    rollup_closer_config c;
    c.env = env;
    c.persistence = writer;
    c.account = "acme";
    c.time_zone = zone;
    c.now_ms = now;
    sys.spawn(rollup_closer, c);
    sched.run();
  }

  std::optional<day_rollup> stored(const std::string& day) {
    auto v = env->get(storage::table::rollups, rollup_key("acme", day));
    if (!v || !*v)
      return std::nullopt;
    return decode_rollup(**v, day);
  }

  std::optional<std::string> mark() {
    auto v = env->get(storage::table::meta, rollup_mark_key("acme"));
    if (!v || !*v)
      return std::nullopt;
    return **v;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(rollup_closer_tests, closer_fixture)

CAF_TEST(the closer writes every day through today and marks the final ones) {
  auto d1 = random_facts(1, 40, t0);              // 2025-12-04
  auto d3 = random_facts(2, 40, t0 + 2 * day_ms); // 2025-12-06
  facts(d1, 0);
  facts(d3, 1000);
  auto now = t0 + 2 * day_ms + 12 * 3600 * 1000; // 2025-12-06 12:00 UTC
  run_closer(now);
  CAF_REQUIRE(stored("2025-12-04").has_value());
  CAF_CHECK(*stored("2025-12-04") == roll(d1));
  CAF_CHECK(!stored("2025-12-05").has_value()); // no requests that day
  CAF_REQUIRE(stored("2025-12-06").has_value());
  CAF_CHECK_EQUAL(stored("2025-12-06")->cells.size(), roll(d3).cells.size());
  // Two days after it ended a day is final; the others are written again.
  auto final_day = mark();
  CAF_CHECK_EQUAL(final_day.value_or(""), "2025-12-04");
  auto more = random_facts(9, 5, t0 + 2 * day_ms);
  facts(more, 5000);
  auto late = random_facts(10, 5, t0); // facts of the final day, late
  facts(late, 6000);
  run_closer(now + 3600 * 1000);
  CAF_CHECK(*stored("2025-12-04") == roll(d1)); // final: not read again
  auto both = d3;
  both.insert(both.end(), more.begin(), more.end());
  int64_t submitted = 0;
  auto day3 = stored("2025-12-06");
  CAF_REQUIRE(day3.has_value());
  for (auto& [k, c] : day3->cells)
    submitted += c.submitted;
  CAF_CHECK_EQUAL(submitted, static_cast<int64_t>(both.size()));
  // The monthly report reads them back.
  monthly_request req;
  req.from_month = "2025-12";
  req.to_month = "2025-12";
  auto out = read_monthly(*env, "acme", req);
  CAF_REQUIRE(out.has_value());
  CAF_CHECK_EQUAL((*out)["months"][0]["submitted"],
                  static_cast<int64_t>(d1.size() + both.size()));
  CAF_CHECK_EQUAL((*out)["through_day"], "2025-12-06");
  auto months = rollup_months(*env, "acme");
  CAF_REQUIRE(months.has_value());
  CAF_CHECK_EQUAL(*months, std::vector<std::string>{"2025-12"});
}

CAF_TEST(days are cut in the account time zone) {
  // 23:30 UTC on 12-04 is 00:30 on 12-05 in Berlin.
  request_facts f;
  f.id = 1;
  f.portal = 1;
  f.created = t0 + 23 * 3600 * 1000 + 30 * 60 * 1000;
  facts({f}, 0);
  run_closer(t0 + 3 * day_ms, "Europe/Berlin");
  CAF_CHECK(!stored("2025-12-04").has_value());
  CAF_CHECK(stored("2025-12-05").has_value());
}

CAF_TEST(an account without facts gets no roll - ups) {
  run_closer(t0);
  CAF_CHECK(!mark().has_value());
  auto months = rollup_months(*env, "acme");
  CAF_CHECK(months && months->empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
