#define CAF_SUITE actors.report_schedule

#include "actors/reports/schedule.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors::reports;

namespace {

// 2026-12-04 (a Friday) 10:00:00 UTC.
constexpr int64_t fri_10h = 1'796'378'400'000;
constexpr int64_t hour = 3600 * 1000, day = 24 * hour;

schedule_spec daily(int send_at, const char* period = "yesterday") {
  return {"daily", send_at, period, "", ""};
}

} // namespace

CAF_TEST(a daily slot is today once its time has come and yesterday before) {
  auto s = daily(6 * 60);
  CAF_CHECK_EQUAL(latest_slot(s, "UTC", fri_10h), fri_10h - 4 * hour);
  s.send_at = 11 * 60;
  CAF_CHECK_EQUAL(latest_slot(s, "UTC", fri_10h), fri_10h + hour - day);
  s.send_at = 10 * 60; // exactly now: due now
  CAF_CHECK_EQUAL(latest_slot(s, "UTC", fri_10h), fri_10h);
}

CAF_TEST(slots are in the time zone of the owner) {
  // 06:00 in Berlin (UTC+1 in December) is 05:00 UTC.
  CAF_CHECK_EQUAL(latest_slot(daily(6 * 60), "Europe/Berlin", fri_10h),
                  fri_10h - 5 * hour);
  // 06:00 in New York (UTC-5) is 11:00 UTC: not yet, so Thursday's.
  CAF_CHECK_EQUAL(latest_slot(daily(6 * 60), "America/New_York", fri_10h),
                  fri_10h + hour - day);
  CAF_CHECK(!latest_slot(daily(6 * 60), "Mars/Olympus", fri_10h));
  CAF_CHECK(!latest_slot(daily(6 * 60), "", fri_10h));
}

CAF_TEST(weekly is on Mondays and monthly on the first) {
  schedule_spec weekly{"weekly", 6 * 60, "last_7_days", "", ""};
  // Monday 2026-11-30 06:00 UTC.
  CAF_CHECK_EQUAL(latest_slot(weekly, "UTC", fri_10h),
                  fri_10h - 4 * day - 4 * hour);
  schedule_spec monthly{"monthly", 6 * 60, "last_month", "", ""};
  // Tuesday 2026-12-01 06:00 UTC.
  CAF_CHECK_EQUAL(latest_slot(monthly, "UTC", fri_10h),
                  fri_10h - 3 * day - 4 * hour);
  // Before the first's 06:00: the first of the month before.
  auto first_5h = fri_10h - 3 * day - 5 * hour;
  CAF_CHECK_EQUAL(latest_slot(monthly, "UTC", first_5h),
                  fri_10h - 33 * day - 4 * hour); // 2026-11-01 06:00
  CAF_CHECK(!latest_slot({"hourly", 0, "today", "", ""}, "UTC", fri_10h));
  CAF_CHECK(!latest_slot({"", 0, "today", "", ""}, "UTC", fri_10h));
  CAF_CHECK(!latest_slot({"daily", 1440, "today", "", ""}, "UTC", fri_10h));
}

CAF_TEST(periods count from the local day the report runs) {
  auto midnight = fri_10h - 10 * hour; // 2026-12-04 00:00 UTC
  auto r = range_of(daily(0, "yesterday"), "UTC", fri_10h);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->from_ms, midnight - day);
  CAF_CHECK_EQUAL(r->to_ms, midnight);
  CAF_CHECK_EQUAL(r->first_day, "2026-12-03");
  CAF_CHECK_EQUAL(r->last_day, "2026-12-03");
  r = range_of(daily(0, "last_7_days"), "UTC", fri_10h);
  CAF_CHECK_EQUAL(r->first_day, "2026-11-28");
  CAF_CHECK_EQUAL(r->to_ms, midnight + day);
  r = range_of(daily(0, "last_month"), "UTC", fri_10h);
  CAF_CHECK_EQUAL(r->first_day, "2026-11-01");
  CAF_CHECK_EQUAL(r->last_day, "2026-11-30");
  r = range_of(daily(0, "this_month"), "UTC", fri_10h);
  CAF_CHECK_EQUAL(r->first_day, "2026-12-01");
  CAF_CHECK_EQUAL(r->last_day, "2026-12-04");
  // A day in Berlin starts at 23:00 UTC the day before.
  r = range_of(daily(0, "today"), "Europe/Berlin", fri_10h);
  CAF_CHECK_EQUAL(r->from_ms, midnight - hour);
  CAF_CHECK_EQUAL(r->to_ms, midnight + day - hour);
  schedule_spec fixed{"daily", 0, "days", "2026-02-27", "2026-03-01"};
  r = range_of(fixed, "UTC", fri_10h);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->to_ms - r->from_ms, 3 * day);
  fixed.to_day = "2026-02-26";
  CAF_CHECK(!range_of(fixed, "UTC", fri_10h));
  fixed.to_day = "2026-02-30";
  CAF_CHECK(!range_of(fixed, "UTC", fri_10h));
}

CAF_TEST(a day across a clock change has its real length) {
  // Europe/Berlin went from UTC+2 to UTC+1 on 2026-10-25: 25 hours.
  schedule_spec fixed{"daily", 0, "days", "2026-10-25", "2026-10-25"};
  auto r = range_of(fixed, "Europe/Berlin", fri_10h);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK_EQUAL(r->to_ms - r->from_ms, 25 * hour);
}

CAF_TEST(days are written YYYY - MM - DD and exist) {
  CAF_CHECK(valid_day("2028-02-29"));
  for (auto bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-011",
                   "+026-01-01", " 2026-01-1", "2026/01/01", "", "2026-01-01x"})
    CAF_CHECK(!valid_day(bad));
}
