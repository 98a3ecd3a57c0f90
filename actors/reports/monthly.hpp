#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/reports/report.hpp"
#include "actors/reports/rollup.hpp"

// Monthly reports (docs/reports.md, "Monthly reports"): the snapshot
// summary, technician performance or service level of whole months, added
// from the daily roll-ups of those months (never from the facts), with a
// row per month. Pure: the same roll-ups make the same report.
namespace openassist::actors::reports {

/// The longest range a monthly report covers, in months.
inline constexpr int max_report_months = 12;
/// Roll-ups are kept this long (the sweeper removes older ones).
inline constexpr int rollup_keep_days = 400;

/// Whether `month` is written YYYY-MM (1970-01 .. 9999-12).
bool valid_month(const std::string& month);
/// The months from `from` to `to` (both YYYY-MM, `from` first), in order;
/// empty when `to` is before `from`.
std::vector<std::string> months_between(const std::string& from,
                                        const std::string& to);

struct monthly_request {
  report_kind kind = report_kind::snapshot;    ///< snapshot, technicians,
                                               ///< service_level
  std::string from_month, to_month;            ///< YYYY-MM
  std::string time_zone = "UTC";               ///< the days were cut in
  int64_t now_ms = 0;                          ///< generated_at
  int64_t target_ms = default_target_ms;       ///< a bucket_target
  std::map<uint64_t, std::string> technicians; ///< id -> display name
  std::map<uint64_t, std::string> portals;     ///< id -> name
  /// The scope: every cell, or the cells of these technicians; of one
  /// portal, or any (0).
  bool all = true;
  std::set<uint64_t> scope;
  uint64_t portal = 0;
};

class monthly_builder {
public:
  explicit monthly_builder(monthly_request req);

  /// One day's roll-up of the range (days outside it are skipped).
  void add(const day_rollup& day);
  /// docs/reports.md, "Monthly reports": the kind's report of the whole
  /// range with "report": "monthly", "kind", the months, the zone and the
  /// newest day added.
  nlohmann::json finish();

private:
  monthly_request req_;
  report_builder report_;
  /// Each month's cells in scope, added up.
  std::map<std::string, rollup_cell> months_;
  std::string through_day_;
};

} // namespace openassist::actors::reports
