#include "actors/intake/business_hours.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <unordered_map>

#include <date/tz.h>

namespace openassist::actors {

namespace {

using minute_range = std::pair<int, int>;

/// Special days by their local day (days since 1970-01-01).
using special_day_index = std::unordered_map<int, const special_day*>;

struct sys_range {
  date::sys_seconds open;
  date::sys_seconds close;
};

bool valid_range(int open, int close) {
  return open >= 0 && open < close && close <= minutes_per_day;
}

bool overlaps(minute_range a, minute_range b) {
  return a.first < b.second && b.first < a.second;
}

int two_digits(char tens, char ones) {
  if (tens < '0' || tens > '9' || ones < '0' || ones > '9')
    return -1;
  return (tens - '0') * 10 + (ones - '0');
}

std::optional<date::local_days> parse_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return std::nullopt;
  auto century = two_digits(s[0], s[1]);
  auto year_in_century = two_digits(s[2], s[3]);
  auto month = two_digits(s[5], s[6]);
  auto day = two_digits(s[8], s[9]);
  if (century < 0 || year_in_century < 0 || month < 0 || day < 0)
    return std::nullopt;
  date::year_month_day ymd{date::year{century * 100 + year_in_century},
                           date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok())
    return std::nullopt;
  return date::local_days{ymd};
}

std::string check_range(const std::string& field, int open, int close) {
  if (open < 0 || open >= minutes_per_day)
    return field + ".open: must be within 00:00..23:59";
  if (close <= open)
    return field + ".close: must be after open";
  if (close > minutes_per_day)
    return field + ".close: must be at most 24:00";
  return {};
}

std::string check_weekly(const std::vector<weekly_interval>& weekly) {
  if (weekly.size() > max_weekly_intervals)
    return "weekly: at most " + std::to_string(max_weekly_intervals) +
           " intervals";
  for (size_t i = 0; i < weekly.size(); ++i) {
    const auto& w = weekly[i];
    auto field = "weekly[" + std::to_string(i) + "]";
    if (w.weekday < 0 || w.weekday > 6)
      return field + ".weekday: must be 0 (Sunday) to 6 (Saturday)";
    if (auto err = check_range(field, w.open_minute, w.close_minute);
        !err.empty())
      return err;
    for (size_t j = 0; j < i; ++j)
      if (weekly[j].weekday == w.weekday &&
          overlaps({weekly[j].open_minute, weekly[j].close_minute},
                   {w.open_minute, w.close_minute}))
        return field + ": overlaps weekly[" + std::to_string(j) + "]";
  }
  return {};
}

std::string check_special_hours(const std::string& field,
                                const special_day& s) {
  if (s.closed)
    return s.hours.empty() ? std::string{}
                           : field + ".hours: must be empty when closed";
  if (s.hours.empty())
    return field + ".hours: must not be empty when not closed";
  if (s.hours.size() > max_hours_per_special_day)
    return field + ".hours: at most " +
           std::to_string(max_hours_per_special_day) + " intervals";
  for (size_t k = 0; k < s.hours.size(); ++k) {
    auto hours_field = field + ".hours[" + std::to_string(k) + "]";
    if (auto err =
          check_range(hours_field, s.hours[k].first, s.hours[k].second);
        !err.empty())
      return err;
    for (size_t j = 0; j < k; ++j)
      if (overlaps(s.hours[j], s.hours[k]))
        return hours_field + ": overlaps hours[" + std::to_string(j) + "]";
  }
  return {};
}

std::string check_special_days(const std::vector<special_day>& days) {
  if (days.size() > max_special_days)
    return "special_days: at most " + std::to_string(max_special_days) +
           " days";
  for (size_t i = 0; i < days.size(); ++i) {
    const auto& s = days[i];
    auto field = "special_days[" + std::to_string(i) + "]";
    if (!parse_date(s.date))
      return field + ".date: must be a valid date as YYYY-MM-DD";
    for (size_t j = 0; j < i; ++j)
      if (days[j].date == s.date)
        return field + ".date: same day as special_days[" + std::to_string(j) +
               "]";
    if (s.name.empty())
      return field + ".name: must not be empty";
    if (auto err = check_special_hours(field, s); !err.empty())
      return err;
  }
  return {};
}

special_day_index index_special_days(const business_hours& h) {
  special_day_index index;
  for (const auto& s : h.special_days)
    if (auto day = parse_date(s.date))
      index.emplace(day->time_since_epoch().count(), &s);
  return index;
}

const special_day* find_special(const special_day_index& index,
                                date::local_days day) {
  auto i = index.find(day.time_since_epoch().count());
  return i == index.end() ? nullptr : i->second;
}

/// The valid opening ranges of one local day, sorted by opening.
std::vector<minute_range> local_hours(const business_hours& h,
                                      const special_day_index& specials,
                                      date::local_days day) {
  std::vector<minute_range> result;
  if (const auto* special = find_special(specials, day)) {
    if (!special->closed)
      for (auto range : special->hours)
        if (valid_range(range.first, range.second))
          result.push_back(range);
  } else {
    auto weekday = static_cast<int>(date::weekday{day}.c_encoding());
    for (const auto& w : h.weekly)
      if (w.weekday == weekday && valid_range(w.open_minute, w.close_minute))
        result.emplace_back(w.open_minute, w.close_minute);
  }
  std::sort(result.begin(), result.end());
  return result;
}

date::sys_seconds to_sys(const date::time_zone& zone, date::local_days day,
                         int minute) {
  // choose::earliest takes the first occurrence of an ambiguous time and
  // maps a time inside a gap to the transition instant. Both keep the
  // mapping monotonic, so ranges stay ordered and never invert.
  return zone.to_sys(day + std::chrono::minutes{minute},
                     date::choose::earliest);
}

int64_t to_unix(date::sys_seconds t) {
  return t.time_since_epoch().count();
}

std::string closed_reason(const special_day_index& specials,
                          date::local_days today) {
  if (const auto* special = find_special(specials, today))
    return "holiday:" + special->name;
  return "outside_hours";
}

} // namespace

std::string validate(const business_hours& h) {
  if (h.name.empty())
    return "name: must not be empty";
  if (auto err = check_weekly(h.weekly); !err.empty())
    return err;
  return check_special_days(h.special_days);
}

const date::time_zone* find_zone(const std::string& tz) {
  // "localtime" is a link to the host's /etc/localtime: not a portal's zone.
  if (tz.empty() || tz == "localtime")
    return nullptr;
  try {
    return date::locate_zone(tz);
  } catch (const std::exception&) {
    // Unknown name, or no readable tz database at all.
    return nullptr;
  }
}

bool valid_time_zone(const std::string& tz) {
  return find_zone(tz) != nullptr;
}

open_state compute_open_state(const business_hours& h, const std::string& tz,
                              int64_t now_unix) {
  if (now_unix < min_supported_unix || now_unix > max_supported_unix)
    return {false, std::nullopt, "time_out_of_range"};
  const auto* zone = find_zone(tz);
  if (zone == nullptr)
    return {false, std::nullopt, "unknown_time_zone"};
  const date::sys_seconds now{std::chrono::seconds{now_unix}};
  const auto horizon = now + date::days{compute_horizon_days};
  const auto specials = index_special_days(h);
  const auto today = date::floor<date::days>(zone->to_local(now));
  // The first merged opening that ends after `now` decides the answer.
  auto decide = [&](const sys_range& r) -> open_state {
    if (r.open <= now)
      return {true,
              r.close <= horizon ? std::optional{to_unix(r.close)}
                                 : std::nullopt,
              ""};
    return {false,
            r.open <= horizon ? std::optional{to_unix(r.open)} : std::nullopt,
            closed_reason(specials, today)};
  };
  // Earlier days end by local midnight, so no earlier opening contains now.
  // Two days past the horizon, an opening that reaches it is seen to do so.
  std::optional<sys_range> current;
  const auto last = today + date::days{compute_horizon_days + 2};
  for (auto day = today; day <= last; day += date::days{1}) {
    for (auto [open, close] : local_hours(h, specials, day)) {
      sys_range r{to_sys(*zone, day, open), to_sys(*zone, day, close)};
      if (r.open >= r.close)
        continue; // lies wholly inside a skipped hour
      if (current && r.open <= current->close) {
        current->close = std::max(current->close, r.close);
        continue;
      }
      if (current && current->close > now)
        return decide(*current);
      current = r;
    }
  }
  if (current && current->close > now)
    return decide(*current);
  return {false, std::nullopt, closed_reason(specials, today)};
}

std::optional<int64_t> local_day_start_unix(const std::string& date,
                                            const std::string& tz,
                                            int add_days) {
  auto day = parse_date(date);
  const auto* zone = find_zone(tz);
  if (!day || zone == nullptr)
    return std::nullopt;
  try {
    return to_unix(to_sys(*zone, *day + date::days{add_days}, 0));
  } catch (const std::exception&) {
    return std::nullopt; // beyond what the zone database can map
  }
}

std::optional<int> parse_hhmm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':')
    return std::nullopt;
  auto hours = two_digits(s[0], s[1]);
  auto minutes = two_digits(s[3], s[4]);
  if (hours < 0 || minutes < 0 || minutes > 59 || hours > 24 ||
      (hours == 24 && minutes != 0))
    return std::nullopt;
  return hours * 60 + minutes;
}

} // namespace openassist::actors
