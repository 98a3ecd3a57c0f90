#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/meta/type_name.hpp>
#include <nlohmann/json.hpp>

#include "actors/dashboard/dashboard_feed.hpp"
#include "actors/reports/report.hpp"
#include "actors/reports/service_level.hpp"
#include "storage/environment.hpp"

// Reading an account's request history for the managers' list (desk_list)
// outside the desk: a long history, or a team manager whose teams handled
// few of its requests, can take a whole scan, which must not hold up the
// live intake of the account.
namespace openassist::actors {

/// What a manager narrows the list to (each 0: any): sessions of a portal,
/// of a technician, of a team's technicians (with its sub-teams), created
/// in [from_ms, to_ms).
struct history_filter {
  uint64_t portal = 0;
  uint64_t technician = 0;
  uint64_t team = 0;
  uint64_t from_ms = 0;
  uint64_t to_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_filter& x) {
  return f(caf::meta::type_name("history_filter"), x.portal, x.technician,
           x.team, x.from_ms, x.to_ms);
}

/// How a report is asked for besides its range: as CSV or JSON, and the
/// service level's target wait.
struct report_options {
  bool csv = false;
  int64_t target_ms = reports::default_target_ms;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, report_options& x) {
  return f(caf::meta::type_name("report_options"), x.csv, x.target_ms);
}

/// What a monthly report asks for (docs/reports.md, "Monthly reports"):
/// its kind (snapshot, technicians, service_level), its months (YYYY-MM;
/// `from_month` empty: the list of months there are), the service level's
/// target (a bucket_target) and CSV or JSON.
struct monthly_options {
  std::string kind = "snapshot";
  std::string from_month, to_month;
  int64_t target_ms = reports::default_target_ms;
  bool csv = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, monthly_options& x) {
  return f(caf::meta::type_name("monthly_options"), x.kind, x.from_month,
           x.to_month, x.target_ms, x.csv);
}

/// What one listing asks for.
struct history_query {
  std::shared_ptr<storage::environment> env;
  std::string account;
  uint64_t newest = 0; ///< the highest request id to consider
  size_t limit = 50;   ///< matching requests at most
  bool all = true;     ///< else only requests of `technicians`
  std::set<uint64_t> technicians;
  uint64_t portal = 0;  ///< only this portal's, 0 any
  uint64_t from_ms = 0; ///< created at or after, 0 any
  uint64_t to_ms = 0;   ///< created before, 0 any
};

/// Visits the stored requests of `q` (not its limit), newest first, read in
/// pages of `page_size` ids, until `visit` returns false; false when
/// storage cannot be read. Ids grow with creation time, so a scan with
/// `from_ms` ends at the first page created wholly before it.
bool for_each_history(const history_query& q, size_t page_size,
                      const std::function<bool(nlohmann::json&)>& visit);

/// Visits the report facts of the requests of `q` (created in
/// [from_ms, to_ms), `to_ms` 0 for any; not its limit) in creation order;
/// false when storage cannot be read.
bool for_each_facts(const history_query& q,
                    const std::function<void(reports::request_facts&)>& visit);

/// The stored requests of `q`, newest first, at most q.limit, as a JSON
/// array of their stored documents; nullopt when storage cannot be read.
std::optional<nlohmann::json> read_history(const history_query& q);

/// A short-lived reader: answers one `(desk_list_atom)` with (ok, the JSON
/// array text of read_history) and quits.
caf::behavior history_reader(caf::event_based_actor* self, history_query q);

/// A short-lived reader for a report (docs/reports.md): answers one
/// `(desk_report_atom)` with (ok, the report as JSON or, with `csv`, as
/// CSV) and quits.
caf::behavior report_reader(caf::event_based_actor* self, history_query q,
                            reports::report_request r, bool csv);

/// A short-lived reader for a service level monitor: answers one
/// `(desk_dash_history_atom)` with (ok, each stored request of `q` as a
/// dashboard_request with its id, portal, creation and facts) and quits.
caf::behavior level_reader(caf::event_based_actor* self, history_query q);

} // namespace openassist::actors
