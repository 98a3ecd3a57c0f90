#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

// The technician activity report (docs/reports.md, "Technician activity"):
// each technician's status timeline and the time they spent available,
// busy, away and offline, in the range and per day of the reader's time
// zone. Pure: the same log entries make the same report.
namespace openassist::actors::reports {

/// The timeline holds at most this many segments (the newest).
inline constexpr size_t max_activity_segments = 5000;

/// How far before the range the log is read for each technician's status at
/// its start: the desk writes every technician's status at least once a day
/// (its roll call at UTC midnight and when it starts).
inline constexpr int64_t activity_lookback_ms = int64_t{24} * 3600 * 1000;

struct activity_request {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t now_ms = 0;                          ///< time after it is not counted
  std::string time_zone = "UTC";               ///< for the days
  std::map<uint64_t, std::string> technicians; ///< in scope: id -> name
};

/// Builds the report from the presence log, fed in time order (from
/// `from_ms - activity_lookback_ms` on); entries of technicians out of scope
/// are skipped.
class activity_builder {
public:
  explicit activity_builder(activity_request req);
  ~activity_builder();
  activity_builder(const activity_builder&) = delete;
  activity_builder& operator=(const activity_builder&) = delete;

  /// At `at_ms` the technician's status became `status` (available, busy,
  /// away or offline; anything else counts as offline).
  void add(int64_t at_ms, uint64_t technician, const std::string& status);

  nlohmann::json finish();

private:
  struct impl;
  std::unique_ptr<impl> p_;
};

/// The activity report as CSV: the technicians' totals, an empty line, the
/// days.
std::string activity_csv(const nlohmann::json& report);

} // namespace openassist::actors::reports
