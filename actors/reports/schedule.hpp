#pragma once

#include <cstdint>
#include <optional>
#include <string>

// When a saved report is e-mailed (docs/reports.md, "E-mail delivery") and
// which days it then covers: pure functions of the schedule, the owner's
// time zone and the time.
namespace openassist::actors::reports {

/// A saved report's schedule and period.
struct schedule_spec {
  std::string schedule;         ///< daily, weekly (Mondays), monthly (the 1st)
  int send_at = 360;            ///< minutes after local midnight
  std::string period;           ///< today, yesterday, last_7_days, ... or days
  std::string from_day, to_day; ///< YYYY-MM-DD, for period "days"
};

/// Whether `day` is a calendar day written YYYY-MM-DD (2026-02-29 is not).
bool valid_day(const std::string& day);

/// A calendar day in a time zone: YYYY-MM-DD and [from_ms, to_ms).
struct day_span {
  std::string day;
  int64_t from_ms = 0, to_ms = 0;
};
/// The day `ms` falls on in `time_zone`; nullopt for an unknown zone.
std::optional<day_span> day_at(const std::string& time_zone, int64_t ms);
/// The day `day` (YYYY-MM-DD) in `time_zone`; nullopt for an unknown zone
/// or a day that is not one.
std::optional<day_span> day_named(const std::string& time_zone,
                                  const std::string& day);
/// `day` (YYYY-MM-DD) moved by `n` days; "" for a day that is not one.
std::string add_days(const std::string& day, int n);

/// The latest delivery time at or before `now_ms` (Unix ms), in `time_zone`;
/// nullopt without a schedule or with an unknown zone.
std::optional<int64_t> latest_slot(const schedule_spec& s,
                                   const std::string& time_zone,
                                   int64_t now_ms);

/// The range [from_ms, to_ms) a report covers when it runs at `at_ms`: its
/// period's days in `time_zone` (relative periods count from the local day
/// of `at_ms`), and those days as YYYY-MM-DD.
struct period_range {
  int64_t from_ms = 0, to_ms = 0;
  std::string first_day, last_day;
};
std::optional<period_range>
range_of(const schedule_spec& s, const std::string& time_zone, int64_t at_ms);

} // namespace openassist::actors::reports
