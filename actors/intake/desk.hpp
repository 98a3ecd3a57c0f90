#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/intake/console_command.hpp"
#include "actors/intake/desk_model.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/services/mailer.hpp"
#include "cluster/directory.hpp"
#include "monitoring/mailbox_probe.hpp"
#include "monitoring/metrics.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using desk_portal_atom = caf::atom_constant<caf::atom("dk_portal")>;
using desk_status_atom = caf::atom_constant<caf::atom("dk_status")>;
using desk_intake_atom = caf::atom_constant<caf::atom("dk_intake")>;
using desk_cancel_atom = caf::atom_constant<caf::atom("dk_cancel")>;
using desk_attach_atom = caf::atom_constant<caf::atom("dk_attach")>;
using desk_console_atom = caf::atom_constant<caf::atom("dk_console")>;
using desk_command_atom = caf::atom_constant<caf::atom("dk_cmd")>;
using desk_push_atom = caf::atom_constant<caf::atom("dk_push")>;
using desk_tick_atom = caf::atom_constant<caf::atom("dk_tick")>;
using desk_request_atom = caf::atom_constant<caf::atom("dk_req")>;
using desk_can_read_atom = caf::atom_constant<caf::atom("dk_canread")>;
using desk_rate_atom = caf::atom_constant<caf::atom("dk_rate")>;
using desk_choice_atom = caf::atom_constant<caf::atom("dk_choice")>;
using desk_list_atom = caf::atom_constant<caf::atom("dk_list")>;
using desk_monitor_atom = caf::atom_constant<caf::atom("dk_monitor")>;
using desk_report_atom = caf::atom_constant<caf::atom("dk_report")>;
using desk_participant_atom = caf::atom_constant<caf::atom("dk_partic")>;
using desk_replay_atom = caf::atom_constant<caf::atom("dk_replay")>;
using desk_keys_atom = caf::atom_constant<caf::atom("dk_keys")>;
using desk_user_atom = caf::atom_constant<caf::atom("dk_user")>;
using desk_upload_atom = caf::atom_constant<caf::atom("dk_upload")>;
using desk_dash_feed_atom = caf::atom_constant<caf::atom("dk_dfeed")>;
using desk_dash_scope_atom = caf::atom_constant<caf::atom("dk_dscope")>;
using desk_offline_atom = caf::atom_constant<caf::atom("dk_offline")>;
using desk_watching_atom = caf::atom_constant<caf::atom("dk_watch")>;
using desk_dash_history_atom = caf::atom_constant<caf::atom("dk_dhist")>;
using desk_monthly_atom = caf::atom_constant<caf::atom("dk_monthly")>;
using desk_monitor_list_atom = caf::atom_constant<caf::atom("dk_mlist")>;

/// The live intake of one account (docs/intake.md): key `desk/<account>`,
/// reached through the directory. It holds a desk::model, makes every change
/// durable (requests, open index, its snapshot, events) before it answers or
/// pushes, and pushes to subscribed connection actors as `(desk_push_atom,
/// json text)`. Replies are the body for the client (JSON text; "ok" below
/// means an answer) or a refusal: a `caf::error` of actors/errc.hpp whose
/// details carry the client's code and field, turned into an HTTP status or
/// a WebSocket error by the gateways' error table.
///
/// - `(desk_portal_atom, slug)`: the portal page's data.
/// - `(desk_status_atom, slug)`: the public status.
/// - `(desk_intake_atom, slug, intake_form)`: a new request
///   (customer_input.hpp: read from the customer's JSON at the gateway).
/// - `(desk_cancel_atom, request_id, token)`: the customer cancels.
/// - `(desk_choice_atom, request_id, token, customer_choice)`: the customer's
///   choice once nobody answered in time (customer.wait / customer.contact);
///   body is the new `request.state`.
/// - `(desk_rate_atom, request_id, token, customer_rating)`: the customer
///   rates a finished session (1..5, a comment); body is `request.state`.
/// - `(desk_attach_atom, request_id, token, connection)`: the customer page
///   follows its request; body is the `request.state` message.
/// - `(desk_console_atom, user_id, connection)`: a technician's console
///   attaches; body is the `console.state` message.
/// - `(desk_command_atom, user_id, console_command)`: a console command, read
///   by the gateway (gateways/console_input.hpp); body is the ack's fields.
/// - `(desk_request_atom, request_id)` -> session_news: what a session needs
///   to know of its request (or errc::not_found).
/// - `(desk_list_atom, user_id, limit, before, history_filter)`: the
///   account's requests for managers, newest first (`before`: an id, 0 for
///   the newest), narrowed by the filter, as `{"requests":[…]}`; team
///   managers see those of their teams' technicians.
///   The history is read by a short-lived reader actor, not the desk (at
///   most 4 at a time per account, errc::busy beyond).
/// - `(desk_report_atom, user_id, kind, history_filter, csv)`: a report of
///   the requests created in the filter's range (docs/reports.md), for the
///   same managers and scope as the list, read by a reader of the same
///   kind; its JSON, or with `csv` its CSV, as the body.
/// - `(desk_monthly_atom, user_id, monthly_options, history_filter)`: a
///   monthly report (docs/reports.md) from the account's daily roll-ups,
///   for the same users and scope as the reports (the filter's portal,
///   team and technician; its range is not used), read by a reader; with
///   no `from_month` the months there are. The desk starts a rollup_closer
///   at its first tick and then every `rollup_interval`.
/// - `(desk_monitor_list_atom, user_id, connection)`: a manager's
///   connection follows the account's list of dashboard monitors
///   (docs/dashboards.md, `dashboards.follow`): answered with the
///   `dashboards.list` message of the monitors the manager sees, then the
///   same pushed as `(desk_push_atom, text)` after every organisation change
///   that changes the list; errc::forbidden for others.
/// - `(desk_monitor_atom, user_id, request_id)`: whether a manager may watch
///   the session invisibly (company and API managers: all; team managers:
///   their teams' technicians); ok or an error.
/// - `(desk_can_read_atom, user_id, request_id)`: whether a user may read the
///   request's transcript (technicians who see it, the account's managers);
///   ok or an error.
/// - `(desk_participant_atom, user_id, request_id)`: like can_read, but of
///   technicians only the session's own (and its collaborators): files.
/// - `(desk_replay_atom, user_id, request_id)`: whether a user may replay
///   and export the request's recording (managers as can_read; technicians
///   allowed own reports: the sessions they handled).
/// - `(desk_keys_atom, user_id, portal_id)`: whether the user may set and see
///   the portal's replay passphrase (company managers; the portal exists).
/// - `(desk_user_atom, user_id)`: whether the user still exists:
///   `{"role"}`, or errc::not_found once deleted (logged-in sockets check
///   this).
/// - `(desk_upload_atom, request_id, token, user_id)`: whether the customer
///   (by token, user 0) or the technician (user, token "") may send a file
///   into the session now: `{"max_bytes","technician","technician_id"}`,
///   or an error (not active, not theirs, file transfer off for the portal).
/// - `(desk_dash_feed_atom, monitor_id, monitor)` -> dashboard_feed: a
///   dashboard monitor subscribes (docs/dashboards.md): the whole picture;
///   then after every stored change `(dashboard_feed_atom, dashboard_feed)`
///   with what changed, and its configuration after organisation changes.
///   errc::not_found for a monitor the account does not have.
/// - `(desk_dash_history_atom, monitor_id, from_ms)` ->
///   std::vector<dashboard_request>: the requests stored since `from_ms`
///   (their facts, portal and the portal's teams), for a service level
///   monitor's day; read by a reader actor. errc::not_found for a monitor
///   the account does not have, errc::unavailable when storage cannot be
///   read.
/// - `(desk_dash_scope_atom, user_id)` -> dashboard_scope: what a manager
///   may see on dashboards; errc::forbidden for others.
/// - `(desk_watching_atom, request_id, manager_id, bool)`: a session says a
///   manager started (true) or stopped watching it invisibly; for the
///   `managers` dashboards (kept in memory: sessions say it again when
///   managers rejoin).
/// - `(desk_offline_atom, manager_id, technician_id)`: a manager sets a
///   technician's status to offline (team managers: their teams');
///   `{"id","status"}` or an error.
///
/// Joins, transfers and the end of a joined request are told to the request's
/// session actor (`session/<account>/<id>`) as `session_update_atom` with a
/// system line, once durable.
///
/// It reads storage only behind a fence (a barrier behind everything
/// queued in the writer). A write the writer refused (storage full, busy,
/// expired) is answered with that error (errc storage_full, busy or
/// storage_unavailable) and the desk reloads its state from storage in
/// place, behind a new fence, keeping its connections. A write whose fate is
/// unknown (no answer) stops the desk after answering storage_unavailable; the
/// directory respawns it from storage on next use and its connections reattach.
struct desk_config {
  std::string account;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  cluster::directory_actor directory;
  mailer_actor mailer; ///< the portals' notification e-mails
  /// Base of links in e-mails (node.public-url): customers' resume links.
  std::string public_url;
  desk::settings settings;
  monitoring::intake_metrics metrics;
  /// Customer intakes per address per minute (0: unlimited).
  int intake_per_address_per_min = 30;
  std::function<int64_t()> now_ms; ///< wall clock in ms; tests set it
  std::chrono::milliseconds tick_interval{1000};
  /// Between the account's roll-up runs (reports/rollup_closer.hpp).
  std::chrono::milliseconds rollup_interval{3600 * 1000};
  /// How long a change may wait in the writer's queue (its batch deadline).
  std::chrono::milliseconds write_deadline = storage::default_write_deadline;
};

struct desk_state {
  desk_config cfg;
  monitoring::mailbox_probe mailbox;
  desk::model m;
  std::unordered_map<uint64_t, std::vector<caf::actor>>
    consoles; ///< by technician
  std::unordered_map<caf::actor_addr, uint64_t> console_of;
  std::unordered_map<uint64_t, std::vector<caf::actor>>
    customers; ///< by request
  std::unordered_map<caf::actor_addr, uint64_t> customer_of;
  rate_limiter intakes; ///< per address (IPv6 by /64), per minute
  std::map<std::string, double> technician_counts; ///< status -> gauge share
  int64_t last_org_fetch_ms = 0;
  int64_t last_forced_fetch_ms = 0; ///< for unknown names: at most 1/s
  /// Names ("portal:<slug>", "user:<id>") the organisation did not know at
  /// its last fetch: answered not_found without a refetch until then (ms).
  std::map<std::string, int64_t> unknown_names;
  std::deque<std::string> unknown_order; ///< oldest first, bounded
  /// Messages with an unknown name waiting for the next organisation fetch.
  std::vector<std::pair<std::string, std::function<void()>>> org_waiters;
  int list_readers = 0; ///< history readers running (desk_list)
  /// The roll-up run of the account, while one runs, and when it started
  /// (Unix ms; 0: none yet).
  caf::actor_addr rollup_closer;
  int64_t last_rollup_ms = 0;
  /// Dashboard monitors fed by this desk, with their monitor ids.
  std::vector<std::pair<caf::actor, uint64_t>> dashboards;
  /// A manager's connection that follows the list of monitors: its user and
  /// the list it was last sent.
  struct list_follower {
    caf::actor conn;
    uint64_t user = 0;
    std::string sent;
  };
  std::map<caf::actor_addr, list_follower> list_followers;
  /// Managers watching sessions: (request, manager) -> (connections, since).
  std::map<std::pair<uint64_t, uint64_t>, std::pair<int, int64_t>> watching;
  /// Each technician's effective status and since when (Unix ms).
  std::unordered_map<uint64_t, std::pair<std::string, int64_t>> status_since;
  bool org_fetch_running = false;
  /// The account actor that pushes the organisation's changes, and whether
  /// the desk is subscribed to it.
  caf::actor_addr org_source;
  bool following_org = false;
  bool loaded = false;
  /// The UTC day (days since 1970) of the last roll call in the presence
  /// log; -1 before the first.
  int64_t roll_call_day = -1;
  /// This incarnation's fence (`desk/<account>`), carried by every write.
  storage::writer_fence fence;
  caf::error write_error; ///< why the last write failed (for its answer)
  static const char* name;
};

/// Key of a request in the `requests` and `open_requests` tables.
std::string request_key(const std::string& account, uint64_t id);

caf::behavior desk_actor(caf::stateful_actor<desk_state>* self,
                         desk_config cfg);

} // namespace openassist::actors
