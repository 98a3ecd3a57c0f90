#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <caf/event_based_actor.hpp>

#include "actors/reports/activity.hpp"
#include "storage/environment.hpp"

// The presence log: each technician's status over time, for the activity
// report (docs/reports.md, "Technician activity"). The desk writes an entry
// with every stored status change, and for every technician at each UTC
// midnight and when it starts (the roll call), so the status at any moment
// is the last entry at most a day before it.
namespace openassist::actors {

/// Key in `storage::table::presence_log`: "<account>" NUL be64(ms)
/// be64(technician); the value is the status.
std::string presence_log_key(const std::string& account, int64_t ms,
                             uint64_t technician);

/// What one activity report reads.
struct activity_query {
  std::shared_ptr<storage::environment> env;
  std::string account;
  reports::activity_request report;
  bool csv = false;
};

/// A short-lived reader: answers one `(desk_report_atom)` with (ok, the
/// activity report as JSON or CSV) and quits.
caf::behavior activity_reader(caf::event_based_actor* self, activity_query q);

} // namespace openassist::actors
