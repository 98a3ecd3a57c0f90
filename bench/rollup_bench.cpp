// Monthly reports over a year (docs/BENCHMARKS.md, "Monthly reports"):
// 5 million requests' report facts written into a fresh LMDB environment
// over 365 days (5 portals, 50 technicians), each day rolled up as the
// node's roll-up run does (roll_up_day), then the yearly monthly report read
// from the roll-ups, timed, and checked against the same report computed
// from all 5 million facts.
//
//   oa_bench_rollups [REQUESTS] [DIR]   (default 5000000,
//   /tmp/oa-bench-rollups)
//
// Prints a Markdown table.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "actors/reports/facts_record.hpp"
#include "actors/reports/monthly_reader.hpp"
#include "actors/reports/rollup_closer.hpp"
#include "actors/reports/schedule.hpp"

using namespace openassist;
using namespace openassist::actors::reports;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr int64_t day_ms = 24 * 3600 * 1000;
constexpr int64_t first_day_ms = 1'767'225'600'000; // 2026-01-01 00:00 UTC
const std::string account = "bench";

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t)
    .count();
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

double largest(const std::vector<double>& xs) {
  return *std::max_element(xs.begin(), xs.end());
}

void commit(storage::environment& env, storage::write_batch& b) {
  std::vector<storage::write_batch*> batches{&b};
  std::vector<storage::write_receipt> receipts;
  if (auto err = env.commit(batches, receipts, 0)) {
    std::fprintf(stderr, "commit failed\n");
    std::exit(1);
  }
  b.ops.clear();
}

request_facts random_request(std::mt19937& rng, uint64_t id, int64_t created) {
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>{lo, hi}(rng);
  };
  request_facts f;
  f.id = id;
  f.portal = static_cast<uint64_t>(pick(1, 5));
  f.created = created;
  bool answered = pick(0, 9) > 0;
  f.technician = answered ? static_cast<uint64_t>(pick(1, 50)) : 0;
  if (answered)
    f.answered = created + pick(1000, 600'000);
  f.ended = true;
  f.closed = (answered ? f.answered : created) + pick(1000, 1'800'000);
  f.abandoned = !answered && pick(0, 1) == 1;
  f.no_response = !answered && !f.abandoned;
  if (pick(0, 9) == 0)
    f.decliners.insert(static_cast<uint64_t>(pick(1, 50)));
  if (answered && pick(0, 3) == 0)
    f.rating = static_cast<int>(pick(1, 5));
  f.outcome = answered ? "closed" : "abandoned";
  f.customer = "Customer " + std::to_string(id);
  return f;
}

monthly_request year(report_kind kind) {
  monthly_request r;
  r.kind = kind;
  r.from_month = "2026-01";
  r.to_month = "2026-12";
  for (uint64_t t = 1; t <= 50; ++t)
    r.technicians[t] = "Technician " + std::to_string(t);
  for (uint64_t p = 1; p <= 5; ++p)
    r.portals[p] = "Portal " + std::to_string(p);
  return r;
}

} // namespace

int main(int argc, char** argv) {
  uint64_t requests = argc > 1 ? std::stoull(argv[1]) : 5'000'000;
  std::string dir = argc > 2 ? argv[2] : "/tmp/oa-bench-rollups";
  std::filesystem::remove_all(dir);
  auto opened = storage::environment::open({dir, 8ull << 30, 126});
  if (!opened) {
    std::fprintf(stderr, "cannot open %s\n", dir.c_str());
    return 1;
  }
  auto& env = **opened;

  // 1. The facts: evenly over 365 days, in creation order.
  auto t = clock_type::now();
  std::mt19937 rng{42};
  storage::write_batch b;
  for (uint64_t id = 1; id <= requests; ++id) {
    auto created =
      first_day_ms + static_cast<int64_t>((id - 1) * (365 * day_ms / requests));
    auto f = random_request(rng, id, created);
    b.ops.push_back({storage::table::report_facts,
                     facts_key(account, f.created, f.id), encode_facts(f)});
    if (b.ops.size() == 50'000)
      commit(env, b);
  }
  if (!b.ops.empty())
    commit(env, b);
  auto write_s = ms_since(t) / 1000;

  // 2. Each day rolled up from its facts and stored, as the roll-up run.
  std::vector<double> day_times;
  uint64_t rollup_bytes = 0;
  auto day = std::string{"2026-01-01"};
  for (int d = 0; d < 365; ++d, day = add_days(day, 1)) {
    auto t1 = clock_type::now();
    auto r = actors::roll_up_day(env, account, "UTC", day);
    if (!r)
      return 1;
    auto bytes = encode_rollup(*r);
    rollup_bytes += bytes.size();
    b.ops.push_back(
      {storage::table::rollups, rollup_key(account, day), std::move(bytes)});
    commit(env, b);
    day_times.push_back(ms_since(t1));
  }

  // 3. The yearly report from the roll-ups, each kind 21 times.
  std::printf(
    "%llu requests over 365 days: facts written in %.1f s; "
    "a day rolled up and stored in %.1f ms median (%.1f ms at "
    "most), %.1f s for the year; roll-ups %.1f KiB a day on "
    "average\n\n",
    static_cast<unsigned long long>(requests), write_s, median(day_times),
    largest(day_times),
    [&] {
      double s = 0;
      for (auto x : day_times)
        s += x;
      return s / 1000;
    }(),
    static_cast<double>(rollup_bytes) / 365 / 1024);
  std::printf("| monthly report, 12 months | median | slowest of 21 |\n"
              "|---|---:|---:|\n");
  for (auto kind : {report_kind::snapshot, report_kind::technicians,
                    report_kind::service_level}) {
    std::vector<double> times;
    for (int i = 0; i < 21; ++i) {
      auto t2 = clock_type::now();
      auto out = read_monthly(env, account, year(kind));
      if (!out)
        return 1;
      times.push_back(ms_since(t2));
    }
    std::printf("| %s | %.1f ms | %.1f ms |\n", name_of(kind), median(times),
                largest(times));
  }
  std::vector<double> listing;
  for (int i = 0; i < 21; ++i) {
    auto t3 = clock_type::now();
    if (!rollup_months(env, account))
      return 1;
    listing.push_back(ms_since(t3));
  }
  std::printf("| the months there are | %.2f ms | %.2f ms |\n", median(listing),
              largest(listing));

  // The same snapshot from all the facts: the numbers must agree.
  auto t4 = clock_type::now();
  report_request whole;
  whole.kind = report_kind::snapshot;
  whole.technicians = year(report_kind::snapshot).technicians;
  whole.portals = year(report_kind::snapshot).portals;
  report_builder from_facts{whole};
  env.scan_range(storage::table::report_facts, facts_key(account, 0, 0),
                 account + '\1', 5000,
                 [&from_facts](std::string_view, std::string_view v) {
                   if (auto f = decode_facts(v))
                     from_facts.add(*f);
                   return true;
                 });
  auto expected = from_facts.finish();
  auto facts_ms = ms_since(t4);
  auto got = *read_monthly(env, account, year(report_kind::snapshot));
  bool same = true;
  for (auto key : {"totals", "technicians", "portals", "survey"})
    same = same && got[key] == expected[key];
  std::printf("\nThe same year's snapshot from all %llu facts: %.0f ms; "
              "numbers %s.\n",
              static_cast<unsigned long long>(requests), facts_ms,
              same ? "identical" : "DIFFERENT");
  std::filesystem::remove_all(dir);
  return same ? 0 : 1;
}
