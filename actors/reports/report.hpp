#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/reports/request_facts.hpp"
#include "actors/reports/rollup.hpp"

// The managers' reports (docs/reports.md), computed from the stored request
// documents: pure functions of the documents, the names of the account's
// technicians and portals, and the range. The same documents make the same
// numbers, whoever reads them and however often.
namespace openassist::actors::reports {

/// The reports there are: snapshot summary, session detail, technician
/// performance, customer feedback, service level, from the request
/// documents; technician activity, from the presence log (activity.hpp).
enum class report_kind {
  snapshot,
  sessions,
  technicians,
  feedback,
  service_level,
  activity
};

std::optional<report_kind> report_kind_from(const std::string& name);
const char* name_of(report_kind kind);

/// Session detail and feedback hold at most this many rows (the newest of
/// the range).
inline constexpr size_t max_session_rows = 5000;

/// What a report is asked for, and what it needs to name things.
struct report_request {
  report_kind kind = report_kind::snapshot;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t now_ms = 0;         ///< when it runs (generated_at)
  int64_t target_ms = 60'000; ///< service level: the target wait
  std::map<uint64_t, std::string> technicians; ///< id -> display name
  std::map<uint64_t, std::string> portals;     ///< id -> name
};

/// Builds one report from the request documents of its range, fed one at
/// a time in any order (a day of 100,000 requests is never held at once).
class report_builder {
public:
  explicit report_builder(report_request req);
  ~report_builder();
  report_builder(const report_builder&) = delete;
  report_builder& operator=(const report_builder&) = delete;

  /// One stored request document (created in the range, in the caller's
  /// scope); documents that are not requests are skipped.
  void add(const nlohmann::json& doc);
  /// One request's facts (the same as its document's).
  void add(const request_facts& facts);
  /// The requests of a roll-up cell (rollup.hpp), for the snapshot,
  /// technician performance and service level (whose target is then a
  /// bucket_target): the numbers those requests' facts would give.
  void add(const cell_key& key, const rollup_cell& cell);

  /// The report (docs/reports.md, its JSON).
  nlohmann::json finish();

private:
  struct impl;
  std::unique_ptr<impl> p_;
};

/// The report as CSV (docs/reports.md): the same tables, cells a
/// spreadsheet would run as a formula defused with a leading '.
std::string to_csv(const nlohmann::json& report);

/// One CSV cell, quoted when it must be.
std::string csv_cell(const std::string& text);

} // namespace openassist::actors::reports
