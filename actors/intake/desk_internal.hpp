#pragma once
// What the desk actor's source files share (actors/intake/desk.cpp: the
// behaviour; desk_push.cpp: what a change means to clients; desk_commit.cpp:
// making a change durable and reloading; desk_org.cpp: the organisation's
// copy).

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include <caf/all.hpp>

#include "actors/dashboard/dashboard_feed.hpp"
#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/session_protocol.hpp"

namespace openassist::actors::desk_detail {

using self_ptr = caf::stateful_actor<desk_state>*;
/// What a desk handler answers: the body for the client (JSON text; the
/// gateway knows its status), or a refusal of actors/errc.hpp.
using reply = caf::expected<std::string>;

inline caf::error error_reply(errc kind, const std::string& code,
                              const std::string& message,
                              const std::string& field = {}) {
  return desk::to_error(desk::failure{kind, code, message, field});
}

inline caf::error failure_reply(const desk::failure& f) {
  return desk::to_error(f);
}

using result = caf::result<std::string>;

inline result answer(reply r) {
  if (r)
    return std::move(*r);
  return std::move(r.error());
}

/// Delivers `r` through a response promise.
template <class Promise>
void deliver(Promise& rp, reply r) {
  if (r)
    rp.deliver(std::move(*r));
  else
    rp.deliver(std::move(r.error()));
}

void fetch_org(self_ptr self, bool blocking);
void follow_org(self_ptr self, bool blocking);
/// Whether `who` was the account actor the desk follows (then it follows
/// the next one).
bool org_source_down(self_ptr self, const caf::actor_addr& who);

// Handles the same message again after the organisation's next fetch (a
// forced one at most once a second; else the running one or the tick's).
template <class Result = result, class... Ts>
Result after_org_fetch(self_ptr self, std::string key, Ts... xs) {
  auto& st = self->state;
  auto rp = self->make_response_promise();
  st.org_waiters.emplace_back(std::move(key), [self, rp, xs...]() mutable {
    rp.delegate(caf::actor_cast<caf::actor>(self), xs...);
  });
  auto t = st.cfg.now_ms();
  if (!st.org_fetch_running && t - st.last_forced_fetch_ms >= 1000) {
    st.last_forced_fetch_ms = t;
    fetch_org(self, false);
  }
  return rp;
}

inline std::string desk_key(const desk_state& st) {
  return "desk/" + st.cfg.account;
}

inline int64_t now(const desk_state& st) {
  return st.cfg.now_ms();
}

// -- desk_push.cpp
void send_to(const std::vector<caf::actor>& conns, const std::string& text);
void push_console(desk_state& st, uint64_t tech, const json& msg);
void push_customer(desk_state& st, const desk::request& r);
void update_gauges(desk_state& st);
/// What a session is told of its request (and of a step of it: `system`,
/// a system line's code and parameters).
session_news session_info(const desk_state& st, const desk::request& r,
                          const json& system = nullptr);
/// Hands the change's e-mails to the mailer (which stores them durably).
void send_mails(self_ptr self, const desk::effects& fx);
/// Tells the sessions of joined requests what happened to them.
void notify_sessions(self_ptr self, const desk::effects& fx);
/// Tells every active session its request's news again (after an
/// organisation change), without a system line.
void refresh_sessions(self_ptr self);
/// Sends what one durable change means to the clients that see it.
void push(desk_state& st, const desk::effects& fx);

// -- desk_commit.cpp
void commit(self_ptr self, desk::effects fx, std::function<void(bool)> done,
            bool bookkeeping = false);
caf::error write_failure_reply(const desk_state& st,
                               const std::string& message);
bool rehydrate(desk_state& st);
void reload(self_ptr self, std::function<void(bool)> then);

// Answers `rp` once `fx` is durable.
template <class Promise>
void commit_reply(self_ptr self, desk::effects fx, Promise rp, std::string ok) {
  commit(self, std::move(fx), [self, rp, ok](bool stored) mutable {
    if (stored) {
      rp.deliver(std::move(ok));
      return;
    }
    rp.deliver(write_failure_reply(
      self->state, "the change could not be stored; please try again"));
  });
}

// -- desk_access.cpp
/// The teams a team manager manages, with all their sub-teams.
std::set<uint64_t> managed_teams(const org_account& org,
                                 const org_user& manager);
/// Whether `technician` is in one of `teams`.
bool in_teams(const org_account& org, const std::set<uint64_t>& teams,
              uint64_t technician);
std::optional<uint64_t> parse_id(const std::string& s);
/// The request a customer's token opens, or nullptr.
const desk::request* customer_request(desk_state& st, const std::string& id,
                                      const std::string& token);
/// Whether a user may read a request's chat (technicians who see it, or with
/// `participants_only` only its technician; the account's managers).
reply may_read(desk_state& st, uint64_t user, const std::string& id,
               bool participants_only);
/// Whether a user may replay (and export) the request's recording: the
/// managers who may read it, and a technician allowed own reports for a
/// session they handled.
reply may_replay(desk_state& st, uint64_t user, const std::string& id);

// -- desk_dashboards.cpp (docs/dashboards.md)
/// A monitor subscribes: the whole picture, and from then on every change.
caf::result<dashboard_feed> dashboard_subscribe(self_ptr self, uint64_t id,
                                                const caf::actor& monitor);
/// What `user` may see of the account's monitors, or errc::forbidden.
caf::result<dashboard_scope> dashboard_scope_of(self_ptr self, uint64_t user);
/// A session says a manager started or stopped watching it.
void watching(self_ptr self, uint64_t request, uint64_t manager, bool on);
/// A manager sets a technician offline (`POST /technicians/:id/offline`).
result force_offline(self_ptr self, uint64_t manager, uint64_t technician);
/// Tells the subscribed monitors what a stored change changed (push() has
/// noted the statuses first).
void feed_dashboards(desk_state& st, const desk::effects& fx);
caf::result<std::vector<dashboard_request>>
dashboard_history(self_ptr self, uint64_t id, int64_t from_ms);
/// Tells them of their configurations after an organisation change.
void dashboards_org_changed(self_ptr self);
/// A subscribed monitor stopped.
bool dashboard_down(desk_state& st, const caf::actor_addr& who);
/// Notes when each technician's status last changed.
void note_statuses(desk_state& st);

// --- desk_reports.cpp: the managers' history list and reports, read by
// short-lived readers outside the desk (docs/reports.md) ---

result list_history(self_ptr self, uint64_t user, uint64_t limit,
                    uint64_t before, const history_filter& filter);
/// A manager's connection follows the list of monitors
/// (desk_monitor_list_atom): the list now, then pushes.
caf::result<std::string> follow_monitor_list(self_ptr self, uint64_t user,
                                             const caf::actor& conn);
/// Pushes the list to its followers when the organisation changed it.
void monitor_list_changed(self_ptr self);
/// Forgets a follower that is gone; false for another actor.
bool monitor_list_down(desk_state& st, const caf::actor_addr& who);

/// A monthly report or the list of months (desk_monthly_atom).
result run_monthly(self_ptr self, uint64_t user, const monthly_options& ask,
                   const history_filter& filter);

/// Starts the account's roll-up run when one is due (the desk's tick).
void maybe_roll_up(self_ptr self);

result run_report(self_ptr self, uint64_t user, const std::string& kind,
                  const history_filter& filter, const report_options& options);

// -- desk_org.cpp
void apply_org(self_ptr self, uint64_t revision, const std::string& body);
void remember_unknown(desk_state& st, const std::string& key);
void serve_org_waiters(self_ptr self);
bool wait_for_org(desk_state& st, const std::string& key);

} // namespace openassist::actors::desk_detail
