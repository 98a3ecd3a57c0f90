#define CAF_SUITE actors.business_hours

#include "actors/intake/business_hours.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

namespace {

// Expected instants are written out by hand as Unix seconds (UTC) so the
// tests do not depend on the time zone code they check. Europe/Berlin is
// UTC+1 (CET) in winter and UTC+2 (CEST) in summer; in 2026 summer time runs
// from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC.
constexpr const char* berlin = "Europe/Berlin";
constexpr int64_t hour = 3600;

constexpr int hhmm(int hours, int minutes) {
  return hours * 60 + minutes;
}

/// Monday to Friday, 09:00-17:00.
business_hours office_hours() {
  business_hours h;
  h.name = "office";
  for (int weekday = 1; weekday <= 5; ++weekday)
    h.weekly.push_back({weekday, hhmm(9, 0), hhmm(17, 0)});
  return h;
}

/// Every day, the same local interval.
business_hours every_day(int open, int close) {
  business_hours h;
  h.name = "night";
  for (int weekday = 0; weekday <= 6; ++weekday)
    h.weekly.push_back({weekday, open, close});
  return h;
}

} // namespace

CAF_TEST(open during office hours and closed after them) {
  auto h = office_hours();
  // Wed 2026-06-10 10:00 CEST = 08:00 UTC.
  auto morning = compute_open_state(h, berlin, 1781078400);
  CAF_CHECK(morning.open);
  CAF_CHECK_EQUAL(morning.reason, "");
  // Closes 17:00 CEST = 15:00 UTC.
  CAF_CHECK_EQUAL(morning.next_change_unix, int64_t{1781103600});
  // Wed 18:00 CEST = 16:00 UTC: opens Thu 2026-06-11 09:00 CEST = 07:00 UTC.
  auto evening = compute_open_state(h, berlin, 1781107200);
  CAF_CHECK(!evening.open);
  CAF_CHECK_EQUAL(evening.reason, "outside_hours");
  CAF_CHECK_EQUAL(evening.next_change_unix, int64_t{1781161200});
  // In winter: Wed 2026-01-14 10:00 CET = 09:00 UTC, closes 16:00 UTC.
  auto winter = compute_open_state(h, berlin, 1768381200);
  CAF_CHECK(winter.open);
  CAF_CHECK_EQUAL(winter.next_change_unix, int64_t{1768381200 + 7 * hour});
}

CAF_TEST(opening and closing instants are exact) {
  auto h = office_hours();
  // At 09:00 CEST sharp it is open; at 17:00 CEST sharp it is closed.
  auto at_open = compute_open_state(h, berlin, 1781161200);
  CAF_CHECK(at_open.open);
  auto at_close = compute_open_state(h, berlin, 1781103600);
  CAF_CHECK(!at_close.open);
  CAF_CHECK_EQUAL(at_close.next_change_unix, int64_t{1781161200});
}

CAF_TEST(friday evening opens on monday) {
  auto h = office_hours();
  // Fri 2026-06-12 19:00 CEST = 17:00 UTC -> Mon 2026-06-15 07:00 UTC.
  auto state = compute_open_state(h, berlin, 1781283600);
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.reason, "outside_hours");
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1781506800});
}

CAF_TEST(weekend across the march dst switch) {
  auto h = office_hours();
  // Sat 2026-03-28 20:00 CET = 19:00 UTC. Clocks go forward on Sunday, so
  // Mon 2026-03-30 09:00 is CEST: 07:00 UTC, not 08:00.
  auto state = compute_open_state(h, berlin, 1774724400);
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1774854000});
  // Fri 2026-03-27 still CET: 17:00 CET = 16:00 UTC.
  auto friday = compute_open_state(h, berlin, 1774627200 - hour);
  CAF_CHECK(friday.open);
  CAF_CHECK_EQUAL(friday.next_change_unix, int64_t{1774627200});
}

CAF_TEST(weekend across the october dst switch) {
  auto h = office_hours();
  // Sat 2026-10-24 20:00 CEST = 18:00 UTC. Clocks go back on Sunday, so
  // Mon 2026-10-26 09:00 is CET: 08:00 UTC.
  auto state = compute_open_state(h, berlin, 1792864800);
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1793001600});
}

CAF_TEST(night interval on the march switch day loses the skipped hour) {
  // 01:00-04:00 local on Sun 2026-03-29: 01:00 CET = 00:00 UTC, then 02:00
  // CET jumps to 03:00 CEST, and 04:00 CEST = 02:00 UTC: two real hours.
  auto h = every_day(hhmm(1, 0), hhmm(4, 0));
  auto before = compute_open_state(h, berlin, 1774738800); // 00:00 CET
  CAF_CHECK(!before.open);
  CAF_CHECK_EQUAL(before.next_change_unix, int64_t{1774742400});
  auto inside = compute_open_state(h, berlin, 1774744200); // 01:30 CET
  CAF_CHECK(inside.open);
  CAF_CHECK_EQUAL(inside.next_change_unix, int64_t{1774749600});
  auto after_jump = compute_open_state(h, berlin, 1774746000); // 03:00 CEST
  CAF_CHECK(after_jump.open);
  CAF_CHECK_EQUAL(after_jump.next_change_unix, int64_t{1774749600});
}

CAF_TEST(interval inside the skipped hour does not open that day) {
  // 02:00-03:00 does not exist on 2026-03-29: the next opening is Monday
  // 2026-03-30 02:00 CEST = 00:00 UTC.
  auto h = every_day(hhmm(2, 0), hhmm(3, 0));
  auto state = compute_open_state(h, berlin, 1774744200); // 01:30 CET
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1774828800});
  // An opening inside the gap moves to the transition: 02:30-05:00 opens at
  // 03:00 CEST = 01:00 UTC.
  auto late = every_day(hhmm(2, 30), hhmm(5, 0));
  auto late_state = compute_open_state(late, berlin, 1774744200);
  CAF_CHECK(!late_state.open);
  CAF_CHECK_EQUAL(late_state.next_change_unix, int64_t{1774746000});
}

CAF_TEST(night interval on the october switch day covers the repeated hour) {
  // 01:00-04:00 local on Sun 2026-10-25: opens 01:00 CEST = 23:00 UTC the
  // day before, 02:00-03:00 happens twice, closes 04:00 CET = 03:00 UTC:
  // four real hours.
  auto h = every_day(hhmm(1, 0), hhmm(4, 0));
  auto before = compute_open_state(h, berlin, 1792882800 - hour);
  CAF_CHECK(!before.open);
  CAF_CHECK_EQUAL(before.next_change_unix, int64_t{1792882800});
  // 02:30 CET, the second occurrence of 02:30.
  auto repeated = compute_open_state(h, berlin, 1792891800);
  CAF_CHECK(repeated.open);
  CAF_CHECK_EQUAL(repeated.next_change_unix, int64_t{1792897200});
}

CAF_TEST(interval on the repeated hour stays open through both occurrences) {
  // 02:00-03:00 on 2026-10-25: opens at the first 02:00 (CEST, 00:00 UTC)
  // and closes at 03:00 CET (02:00 UTC).
  auto h = every_day(hhmm(2, 0), hhmm(3, 0));
  auto first = compute_open_state(h, berlin, 1792886400 + 30 * 60);
  CAF_CHECK(first.open);
  CAF_CHECK_EQUAL(first.next_change_unix, int64_t{1792893600});
  auto second = compute_open_state(h, berlin, 1792891800);
  CAF_CHECK(second.open);
  CAF_CHECK_EQUAL(second.next_change_unix, int64_t{1792893600});
}

CAF_TEST(holiday closes the day) {
  auto h = office_hours();
  h.special_days.push_back({"2026-12-25", "Christmas", true, {}});
  // Fri 2026-12-25 10:00 CET = 09:00 UTC -> Mon 2026-12-28 09:00 CET.
  auto state = compute_open_state(h, berlin, 1798189200);
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.reason, "holiday:Christmas");
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1798444800});
  // The evening before, the holiday is skipped as well.
  auto eve = compute_open_state(h, berlin, 1798129800); // Thu 17:30 CET
  CAF_CHECK(!eve.open);
  CAF_CHECK_EQUAL(eve.reason, "outside_hours");
  CAF_CHECK_EQUAL(eve.next_change_unix, int64_t{1798444800});
}

CAF_TEST(special day with different hours) {
  auto h = office_hours();
  h.special_days.push_back(
    {"2026-12-24", "Christmas Eve", false, {{hhmm(9, 0), hhmm(12, 0)}}});
  h.special_days.push_back({"2026-12-25", "Christmas", true, {}});
  h.special_days.push_back(
    {"2026-12-19", "Late shopping", false, {{hhmm(10, 0), hhmm(14, 0)}}});
  // Thu 2026-12-24 11:00 CET = 10:00 UTC: open until 12:00 CET = 11:00 UTC.
  auto morning = compute_open_state(h, berlin, 1798106400);
  CAF_CHECK(morning.open);
  CAF_CHECK_EQUAL(morning.next_change_unix, int64_t{1798110000});
  // 13:00 CET: closed for the special day, next Mon 2026-12-28 08:00 UTC.
  auto afternoon = compute_open_state(h, berlin, 1798113600);
  CAF_CHECK(!afternoon.open);
  CAF_CHECK_EQUAL(afternoon.reason, "holiday:Christmas Eve");
  CAF_CHECK_EQUAL(afternoon.next_change_unix, int64_t{1798444800});
  // Fri 2026-12-18 18:00 CET: opens on Saturday 10:00 CET = 09:00 UTC.
  auto friday = compute_open_state(h, berlin, 1797613200);
  CAF_CHECK(!friday.open);
  CAF_CHECK_EQUAL(friday.next_change_unix, int64_t{1797670800});
}

CAF_TEST(touching intervals count as one opening) {
  business_hours h;
  h.name = "late";
  h.weekly.push_back({1, hhmm(22, 0), hhmm(24, 0)}); // Monday
  h.weekly.push_back({2, hhmm(0, 0), hhmm(2, 0)});   // Tuesday
  h.weekly.push_back({2, hhmm(2, 0), hhmm(3, 0)});
  // Mon 2026-06-15 23:00 CEST = 21:00 UTC: open until Tue 03:00 CEST.
  auto state = compute_open_state(h, berlin, 1781506800 + 14 * hour);
  CAF_CHECK(state.open);
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1781506800 + 18 * hour});
}

CAF_TEST(always open or never open has no next change) {
  auto always = every_day(0, minutes_per_day);
  auto open = compute_open_state(always, berlin, 1781078400);
  CAF_CHECK(open.open);
  CAF_CHECK(!open.next_change_unix.has_value());
  business_hours never;
  never.name = "never";
  auto closed = compute_open_state(never, berlin, 1781078400);
  CAF_CHECK(!closed.open);
  CAF_CHECK(!closed.next_change_unix.has_value());
  CAF_CHECK_EQUAL(closed.reason, "outside_hours");
}

CAF_TEST(next change is looked up within 400 days) {
  business_hours h;
  h.name = "rare";
  h.special_days.push_back({"2027-04-01", "Open day", false, {{600, 720}}});
  // From Wed 2026-06-10: 2027-04-01 is 295 days ahead, 10:00 CEST.
  auto near = compute_open_state(h, berlin, 1781078400);
  CAF_CHECK_EQUAL(near.next_change_unix, int64_t{1781078400 + 295 * 86400});
  // From 2026-01-14 it is 442 days ahead: too far.
  auto far = compute_open_state(h, berlin, 1768381200);
  CAF_CHECK(!far.next_change_unix.has_value());
}

CAF_TEST(time zones) {
  CAF_CHECK(valid_time_zone("Europe/Berlin"));
  CAF_CHECK(valid_time_zone("America/New_York"));
  CAF_CHECK(valid_time_zone("UTC"));
  CAF_CHECK(!valid_time_zone("Mars/Olympus"));
  CAF_CHECK(!valid_time_zone(""));
  CAF_CHECK(!valid_time_zone("localtime"));
  CAF_CHECK(!valid_time_zone("Europe/../Europe/Berlin"));
  auto state = compute_open_state(office_hours(), "Mars/Olympus", 1781078400);
  CAF_CHECK(!state.open);
  CAF_CHECK(!state.next_change_unix.has_value());
  CAF_CHECK_EQUAL(state.reason, "unknown_time_zone");
  // The same local hours in New York (EDT, UTC-4): Wed 10:00 EDT.
  auto ny = compute_open_state(office_hours(), "America/New_York",
                               1781078400 + 6 * hour);
  CAF_CHECK(ny.open);
  CAF_CHECK_EQUAL(ny.next_change_unix, int64_t{1781078400 + 13 * hour});
}

CAF_TEST(out of range times) {
  auto state =
    compute_open_state(office_hours(), berlin, max_supported_unix + 1);
  CAF_CHECK(!state.open);
  CAF_CHECK_EQUAL(state.reason, "time_out_of_range");
  auto low = compute_open_state(office_hours(), berlin, INT64_MIN);
  CAF_CHECK_EQUAL(low.reason, "time_out_of_range");
}

CAF_TEST(parsing hh mm) {
  CAF_CHECK_EQUAL(parse_hhmm("00:00"), 0);
  CAF_CHECK_EQUAL(parse_hhmm("09:30"), 570);
  CAF_CHECK_EQUAL(parse_hhmm("23:59"), 1439);
  CAF_CHECK_EQUAL(parse_hhmm("24:00"), 1440);
  for (auto bad : {"24:01", "25:00", "9:00", "09:60", "0900", "09:00 ", "",
                   "ab:cd", "-1:00", "09-00"})
    CAF_CHECK(!parse_hhmm(bad).has_value());
}

CAF_TEST(validation accepts a good set) {
  auto h = office_hours();
  h.special_days.push_back({"2026-12-25", "Christmas", true, {}});
  h.special_days.push_back(
    {"2026-12-24", "Christmas Eve", false, {{540, 720}, {720, 780}}});
  CAF_CHECK_EQUAL(validate(h), "");
}

CAF_TEST(validation names the field and the rule) {
  auto check = [](business_hours h, const std::string& expected) {
    auto message = validate(h);
    CAF_CHECK_EQUAL(message, expected);
  };
  auto base = office_hours();
  auto h = base;
  h.name.clear();
  check(h, "name: must not be empty");
  h = base;
  h.weekly[2].close_minute = h.weekly[2].open_minute;
  check(h, "weekly[2].close: must be after open");
  h = base;
  h.weekly[1].close_minute = 1441;
  check(h, "weekly[1].close: must be at most 24:00");
  h = base;
  h.weekly[0].open_minute = -5;
  check(h, "weekly[0].open: must be within 00:00..23:59");
  h = base;
  h.weekly[3].weekday = 7;
  check(h, "weekly[3].weekday: must be 0 (Sunday) to 6 (Saturday)");
  h = base;
  h.weekly.push_back({1, hhmm(16, 0), hhmm(18, 0)});
  check(h, "weekly[5]: overlaps weekly[0]");
  h = base;
  h.special_days.push_back({"2026-02-30", "x", true, {}});
  check(h, "special_days[0].date: must be a valid date as YYYY-MM-DD");
  h = base;
  h.special_days.push_back({"2026-1-05", "x", true, {}});
  check(h, "special_days[0].date: must be a valid date as YYYY-MM-DD");
  h = base;
  h.special_days.push_back({"2026-12-25", "Christmas", true, {}});
  h.special_days.push_back({"2026-12-25", "Again", true, {}});
  check(h, "special_days[1].date: same day as special_days[0]");
  h = base;
  h.special_days.push_back({"2026-12-25", "", true, {}});
  check(h, "special_days[0].name: must not be empty");
  h = base;
  h.special_days.push_back({"2026-12-25", "Christmas", true, {{540, 600}}});
  check(h, "special_days[0].hours: must be empty when closed");
  h = base;
  h.special_days.push_back({"2026-12-24", "Eve", false, {}});
  check(h, "special_days[0].hours: must not be empty when not closed");
  h = base;
  h.special_days.push_back({"2026-12-24", "Eve", false, {{720, 540}}});
  check(h, "special_days[0].hours[0].close: must be after open");
  h = base;
  h.special_days.push_back(
    {"2026-12-24", "Eve", false, {{540, 720}, {600, 660}}});
  check(h, "special_days[0].hours[1]: overlaps hours[0]");
  h = base;
  h.weekly.assign(max_weekly_intervals + 1, {1, 0, 60});
  check(h, "weekly: at most 100 intervals");
}

CAF_TEST(invalid entries are ignored when computing) {
  auto h = office_hours();
  h.weekly.push_back({9, 0, 60});
  h.weekly.push_back({3, 1000, 900});
  h.special_days.push_back({"not a date", "x", true, {}});
  auto state = compute_open_state(h, berlin, 1781078400);
  CAF_CHECK(state.open);
  CAF_CHECK_EQUAL(state.next_change_unix, int64_t{1781103600});
}
