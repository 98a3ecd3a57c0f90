#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Business hours of a customer portal: weekly opening hours plus special days
// (holidays that close the portal, events that change its hours for a day),
// all in the portal's own IANA time zone. Plain values and pure functions;
// the caller injects the current time.
namespace date {
class time_zone;
}

namespace openassist::actors {

/// One opening interval of a weekday, in local wall-clock minutes.
struct weekly_interval {
  int weekday = 0;      ///< 0 = Sunday .. 6 = Saturday
  int open_minute = 0;  ///< minutes since local midnight, 0..1439
  int close_minute = 0; ///< after open_minute, at most 1440 (24:00)
};

/// A local calendar day whose hours differ from the weekly ones.
struct special_day {
  std::string date; ///< "YYYY-MM-DD", local to the portal's time zone
  std::string name; ///< shown to customers: "holiday:<name>"
  bool closed = true;
  /// Used only when !closed: (open, close) minute pairs that replace the
  /// weekly hours of that day; same rules as weekly_interval.
  std::vector<std::pair<int, int>> hours;
};

/// A named set of hours that portals refer to.
struct business_hours {
  std::string name;
  std::vector<weekly_interval> weekly;
  std::vector<special_day> special_days;
};

/// Whether a portal is open at a given instant.
struct open_state {
  bool open = false;
  /// When it closes if open, when it opens if closed (Unix seconds); nullopt
  /// when that does not happen within compute_horizon_days.
  std::optional<int64_t> next_change_unix;
  /// "" when open; when closed "holiday:<name>" if the current local day is a
  /// special day (closed all day, or outside its changed hours), else
  /// "outside_hours". Misuse yields "unknown_time_zone" or "time_out_of_range".
  std::string reason;
};

inline constexpr int minutes_per_day = 1440;
inline constexpr int compute_horizon_days = 400;
inline constexpr size_t max_weekly_intervals = 100;
inline constexpr size_t max_special_days = 1000;
inline constexpr size_t max_hours_per_special_day = 10;

/// Earliest and latest `now_unix` compute_open_state accepts
/// (1900-01-01T00:00:00Z and 9000-01-01T00:00:00Z).
inline constexpr int64_t min_supported_unix = -2208988800;
inline constexpr int64_t max_supported_unix = 221845392000;

/// "" when `h` is acceptable, else the first broken rule, naming the field:
/// "weekly[2].close: must be after open". Rules: a non-empty name; weekday
/// 0..6; 0 <= open < close <= 1440; no overlapping intervals within a day
/// (touching ones are fine); special dates valid, unique and named; a closed
/// special day has no hours, an open one has some. Safe on untrusted input.
std::string validate(const business_hours& h);

/// True if `tz` names a zone of the OS time zone database ("Europe/Berlin",
/// "UTC"); false for unknown names and for the host-dependent "localtime".
bool valid_time_zone(const std::string& tz);

/// The zone `tz` names (as valid_time_zone), nullptr for none.
const date::time_zone* find_zone(const std::string& tz);

/// Is the portal open at `now_unix`, and when does that change? Computed in
/// the local time of `tz`, looking compute_horizon_days ahead. Intervals that
/// touch (also across midnight) count as one opening. Across DST changes:
/// - a local time that does not exist (spring-forward gap) maps to the
///   instant of the transition, the first valid local time after the gap:
///   01:00-04:00 on the March switch day in Europe/Berlin is open for two real
///   hours, and an interval lying wholly inside the gap (02:00-03:00) does not
///   open at all that day;
/// - an ambiguous local time (fall-back repeat) uses its first occurrence:
///   01:00-04:00 on the October switch day is open for four real hours, and
///   02:00-03:00 stays open through both occurrences of that hour.
/// `h` should pass validate(); entries that break its rules are ignored.
/// Offsets come from the OS tzdata files; the date library reads only their
/// explicit transitions (Debian ships them through 2037), not the rule that
/// extends them further.
open_state compute_open_state(const business_hours& h, const std::string& tz,
                              int64_t now_unix);

/// The instant (Unix seconds) the local calendar day `add_days` after
/// "YYYY-MM-DD" begins in `tz` (its first valid local time); nullopt for a
/// malformed date or an unknown zone.
std::optional<int64_t> local_day_start_unix(const std::string& date,
                                            const std::string& tz,
                                            int add_days = 0);

/// Parses "HH:MM" (two digits each, 00:00..23:59, and 24:00 as 1440) into
/// minutes since midnight; nullopt if malformed.
std::optional<int> parse_hhmm(const std::string& s);

} // namespace openassist::actors
