#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "actors/reports/mean.hpp"
#include "actors/reports/request_facts.hpp"
#include "actors/reports/service_level.hpp"

// Daily roll-ups (docs/reports.md, "Monthly reports"): what the reports
// read of one account day's requests, summed per portal and technician, so
// that a report over months adds a few hundred small records instead of
// reading millions of facts. Mergeable: a month is the sum of its days, and
// a report over cells gives exactly the numbers it gives over the facts the
// cells were made of (report_builder::add(cell_key, rollup_cell)).
namespace openassist::actors::reports {

/// The requests of one day with one portal and one technician (the
/// request's technician, 0 for none): the snapshot's counts, the waits and
/// handle times, the ratings, and the wait distribution of the service
/// level.
struct rollup_cell {
  int64_t submitted = 0, answered = 0, declined = 0, no_response = 0,
          abandoned = 0, open = 0;
  mean wait, handle;
  mean rating;          ///< every rated request
  mean rating_answered; ///< rated requests that were answered
  int64_t comments = 0;
  std::array<int64_t, 5> by_score{};
  int64_t transfers = 0; ///< of the answered requests
  /// Who declined these requests, and how often.
  std::map<uint64_t, int64_t> declines;
  /// The service level's wait distribution (wait_bounds_ms).
  std::array<int64_t, wait_bounds_ms.size() + 1> waits{};

  void add(const request_facts& f);
  void merge(const rollup_cell& o);
  bool operator==(const rollup_cell&) const = default;
};

/// (portal, technician).
using cell_key = std::pair<uint64_t, uint64_t>;

/// One account day: "YYYY-MM-DD" in the account's time zone, and its cells.
struct day_rollup {
  std::string day;
  std::map<cell_key, rollup_cell> cells;

  void add(const request_facts& f) { cells[{f.portal, f.technician}].add(f); }
  bool operator==(const day_rollup&) const = default;
};

/// Key in `storage::table::rollups`: "<account>" NUL "YYYY-MM-DD".
std::string rollup_key(const std::string& account, const std::string& day);

/// The record: "R1", then be32 count of cells and each cell as be64
/// portal, be64 technician, its numbers as be64, its declines as be32
/// count and (be64 technician, be64 count) pairs. The day is in the key.
std::string encode_rollup(const day_rollup& d);

/// The roll-up of a record; nullopt for bytes that are not one.
std::optional<day_rollup> decode_rollup(std::string_view bytes,
                                        std::string day);

} // namespace openassist::actors::reports
