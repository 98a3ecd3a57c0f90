#include "actors/reports/schedule.hpp"

#include <chrono>
#include <cstdio>

#include <date/tz.h>

#include "actors/intake/business_hours.hpp"

namespace openassist::actors::reports {

namespace {

using namespace std::chrono;

int64_t unix_ms(const date::time_zone& zone, date::local_days day,
                int minute = 0) {
  auto t = zone.to_sys(day + minutes{minute}, date::choose::earliest);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

date::local_days local_day(const date::time_zone& zone, int64_t ms) {
  auto t = date::sys_time<milliseconds>{milliseconds{ms}};
  return date::floor<date::days>(zone.to_local(t));
}

std::string text_of(date::local_days day) {
  date::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<date::local_days> parse_day(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9')
      return std::nullopt;
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3)
    return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok())
    return std::nullopt;
  return date::local_days{ymd};
}

// The first day of the month `day` is in.
date::local_days month_start(date::local_days day) {
  date::year_month_day ymd{day};
  return date::local_days{ymd.year() / ymd.month() / 1};
}

} // namespace

std::optional<day_span> day_at(const std::string& time_zone, int64_t ms) {
  auto* zone = find_zone(time_zone);
  if (zone == nullptr)
    return std::nullopt;
  auto day = local_day(*zone, ms);
  return day_span{text_of(day), unix_ms(*zone, day),
                  unix_ms(*zone, day + date::days{1})};
}

std::optional<day_span> day_named(const std::string& time_zone,
                                  const std::string& day) {
  auto* zone = find_zone(time_zone);
  auto d = parse_day(day);
  if (zone == nullptr || !d)
    return std::nullopt;
  return day_span{day, unix_ms(*zone, *d), unix_ms(*zone, *d + date::days{1})};
}

std::string add_days(const std::string& day, int n) {
  auto d = parse_day(day);
  return d ? text_of(*d + date::days{n}) : std::string{};
}

bool valid_day(const std::string& day) {
  return parse_day(day).has_value();
}

std::optional<int64_t> latest_slot(const schedule_spec& s,
                                   const std::string& time_zone,
                                   int64_t now_ms) {
  auto* zone = find_zone(time_zone);
  if (zone == nullptr || s.send_at < 0 || s.send_at >= 24 * 60)
    return std::nullopt;
  auto today = local_day(*zone, now_ms);
  // The latest day of the kind at or before `day`.
  auto candidate = [&](date::local_days day) -> date::local_days {
    if (s.schedule == "weekly") // Mondays
      return day - (date::weekday{day} - date::Monday);
    if (s.schedule == "monthly")
      return month_start(day);
    return day;
  };
  if (s.schedule != "daily" && s.schedule != "weekly" &&
      s.schedule != "monthly")
    return std::nullopt;
  auto day = candidate(today);
  auto slot = unix_ms(*zone, day, s.send_at);
  if (slot > now_ms) // not yet today (this week, this month): the one before
    slot = unix_ms(*zone, candidate(day - date::days{1}), s.send_at);
  return slot;
}

std::optional<period_range>
range_of(const schedule_spec& s, const std::string& time_zone, int64_t at_ms) {
  auto* zone = find_zone(time_zone);
  if (zone == nullptr)
    return std::nullopt;
  auto today = local_day(*zone, at_ms);
  date::local_days first = today, last = today;
  if (s.period == "yesterday") {
    first = last = today - date::days{1};
  } else if (s.period == "last_7_days") {
    first = today - date::days{6};
  } else if (s.period == "last_30_days") {
    first = today - date::days{29};
  } else if (s.period == "this_month") {
    first = month_start(today);
  } else if (s.period == "last_month") {
    last = month_start(today) - date::days{1};
    first = month_start(last);
  } else if (s.period == "days") {
    auto f = parse_day(s.from_day), t = parse_day(s.to_day);
    if (!f || !t || *t < *f)
      return std::nullopt;
    first = *f;
    last = *t;
  } else if (s.period != "today") {
    return std::nullopt;
  }
  return period_range{unix_ms(*zone, first),
                      unix_ms(*zone, last + date::days{1}), text_of(first),
                      text_of(last)};
}

} // namespace openassist::actors::reports
