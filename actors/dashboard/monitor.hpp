// A live dashboard monitor (docs/dashboards.md): key `monitor/<account>/<id>`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/dashboard/dashboard_feed.hpp"
#include "actors/dashboard/monitor_table.hpp"
#include "actors/identity/auth.hpp"
#include "cluster/directory.hpp"

namespace openassist::actors {

using dashboard_watch_atom = caf::atom_constant<caf::atom("dash_watch")>;
using dashboard_unwatch_atom = caf::atom_constant<caf::atom("dash_unwtc")>;
using dashboard_flush_atom = caf::atom_constant<caf::atom("dash_flush")>;
using dashboard_stop_atom = caf::atom_constant<caf::atom("dash_stop")>;
using dashboard_retry_atom = caf::atom_constant<caf::atom("dash_retry")>;
using dashboard_quit_atom = caf::atom_constant<caf::atom("dash_quit")>;
using dashboard_day_atom = caf::atom_constant<caf::atom("dash_day")>;

/// One monitor a manager added. It subscribes to its account's desk, which
/// feeds it the technicians and requests of every stored change
/// (`dashboard_feed`); it keeps its table (dashboard::monitor_table) and
/// pushes what changed to the connections that watch it, at most every
/// `flush_every`, each viewer only the rows its scope allows, as
/// `(desk_push_atom, json text)`: `dashboard.update`, and
/// `dashboard.stopped` when it stops (12 hours after its start, or deleted).
///
/// - `(dashboard_watch_atom, connection, login_token)` -> the
///   `dashboard.state` message (JSON text): the monitor checks the login
///   itself (auth: a user of its account) and asks the desk what the user
///   may see; refused with errc::not_found. Again from a viewer: its scope
///   is checked anew (a manager moved off a team), and a refusal ends its
///   watch.
/// - `(dashboard_unwatch_atom, connection)`.
///
/// A monitor past its 12 hours answers the watches that started it with
/// `"running": false` and no rows, tells them it stopped, and quits; so does
/// a monitor that reaches its 12 hours. It quits `linger` after it stopped:
/// until then watches that reach it (a directory lookup may still return
/// it) are answered as its stop says (deleted: not_found; timed out:
/// `"running": false`), and a restart takes it back. When the desk stops,
/// the monitor subscribes again (the desk's whole picture replaces its
/// table; viewers get it as `dashboard.state`).
///
/// A service level monitor counts today's requests (today in the time zone
/// of the manager who added it): after each whole picture it asks the desk
/// for the requests stored since the day began (`desk_dash_history_atom`),
/// then follows the feed; at midnight it starts the next day.
struct monitor_config {
  std::string account;
  uint64_t id = 0;
  cluster::directory_actor directory;
  auth_actor auth;
  std::function<int64_t()> now_ms;
  std::chrono::milliseconds flush_every{200};
  std::chrono::milliseconds linger{2000};
};

struct monitor_viewer {
  caf::actor conn;
  uint64_t user = 0;
  dashboard_scope scope;
  std::set<std::string> shown; ///< the keys this viewer has
};

struct monitor_state {
  monitor_config cfg;
  std::optional<dashboard::monitor_table> table;
  dashboard_monitor config;
  bool loaded = false; ///< the desk's whole picture arrived
  caf::actor desk;
  std::vector<monitor_viewer> viewers;
  dashboard::monitor_table::change pending; ///< not yet pushed
  bool flush_scheduled = false;
  /// Watches that wait for the desk's first picture.
  struct waiting_watch {
    caf::actor conn;
    std::string login;
    caf::typed_response_promise<std::string> rp;
  };
  std::vector<waiting_watch> waiting;
  /// Stopped ("removed" or "timeout"; nullptr while running) and about to
  /// quit, and the stop that the next quit belongs to.
  const char* stopped = nullptr;
  uint64_t stops = 0;
  /// service_level: the zone of "today", when the day ends, and which
  /// whole picture the history being read belongs to.
  std::string time_zone;
  int64_t day_end_ms = 0;
  uint64_t pictures = 0;
  static const char* name;
};

caf::behavior monitor_actor(caf::stateful_actor<monitor_state>* self,
                            monitor_config cfg);

} // namespace openassist::actors
