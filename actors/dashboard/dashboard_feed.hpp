// What the desk tells a dashboard monitor (docs/dashboards.md): plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/org/org_model.hpp"
#include "actors/reports/service_level.hpp"

namespace openassist::actors {

/// A technician as dashboards show them.
struct dashboard_technician {
  uint64_t id = 0;
  std::string name;
  uint64_t team_id = 0;
  std::string team_name;
  std::string status;   ///< available, busy, away, offline
  int64_t since_ms = 0; ///< in this status since (Unix ms)
  int32_t active = 0;   ///< sessions held
  int32_t max = 0;      ///< their maximum
};

/// An open request as dashboards show it.
struct dashboard_request {
  uint64_t id = 0;
  uint64_t portal_id = 0;
  std::string portal_name;
  std::string customer_name;
  std::string status; ///< waiting, assigned, active; anything else: gone
  int64_t created_ms = 0;
  int64_t updated_ms = 0; ///< when it reached its status
  uint64_t technician_id = 0;
  std::string technician_name;
  uint64_t team_id = 0; ///< the team it was routed or handed to (0: none)
  uint64_t technician_team_id = 0;
  /// Teams of the portal's sub-portals (empty: every technician serves it).
  std::vector<uint64_t> portal_team_ids;
  /// What the service level counts of it (from its stored document).
  reports::level_facts facts;
};

/// A manager watching a session invisibly, as dashboards show it.
struct dashboard_watcher {
  uint64_t manager_id = 0;
  std::string manager_name;
  uint64_t request_id = 0;
  std::string customer_name;
  std::string technician_name;
  int64_t since_ms = 0;
};

/// `(dashboard_feed_atom, dashboard_feed)` from the desk to a monitor: the
/// whole picture (`full`) when the monitor subscribes, then after every
/// stored change the technicians and requests it changed. `removed`: the
/// monitor was deleted.
struct dashboard_feed {
  bool full = false;
  bool removed = false;
  dashboard_monitor config; ///< the monitor's configuration, as stored now
  /// `technicians` is every technician (else only those that changed).
  bool whole_roster = false;
  std::vector<dashboard_technician> technicians;
  std::vector<dashboard_request> requests;
  /// `watchers` is every manager watching a session now (else unchanged).
  bool watchers_changed = false;
  std::vector<dashboard_watcher> watchers;
  int64_t now_ms = 0;
  /// The time zone of the manager who added the monitor (whole pictures):
  /// the service level's "today".
  std::string time_zone;
};

/// Who watches a monitor: everything (company and API managers) or the
/// technicians and requests of `teams` (team managers; with sub-teams).
struct dashboard_scope {
  bool all = false;
  std::vector<uint64_t> teams;
};

using dashboard_feed_atom = caf::atom_constant<caf::atom("dash_feed")>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_monitor& x) {
  return f(caf::meta::type_name("dashboard_monitor"), x.id, x.name, x.kind,
           x.created_by, x.started_ms, x.target_s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_technician& x) {
  return f(caf::meta::type_name("dashboard_technician"), x.id, x.name,
           x.team_id, x.team_name, x.status, x.since_ms, x.active, x.max);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_request& x) {
  return f(caf::meta::type_name("dashboard_request"), x.id, x.portal_id,
           x.portal_name, x.customer_name, x.status, x.created_ms, x.updated_ms,
           x.technician_id, x.technician_name, x.team_id, x.technician_team_id,
           x.portal_team_ids, x.facts);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_watcher& x) {
  return f(caf::meta::type_name("dashboard_watcher"), x.manager_id,
           x.manager_name, x.request_id, x.customer_name, x.technician_name,
           x.since_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_feed& x) {
  return f(caf::meta::type_name("dashboard_feed"), x.full, x.removed, x.config,
           x.whole_roster, x.technicians, x.requests, x.watchers_changed,
           x.watchers, x.now_ms, x.time_zone);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dashboard_scope& x) {
  return f(caf::meta::type_name("dashboard_scope"), x.all, x.teams);
}

} // namespace openassist::actors
