#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/intake/connection_codes.hpp"
#include "actors/intake/console_command.hpp"
#include "actors/intake/customer_input.hpp"
#include "actors/intake/failure.hpp"
#include "actors/intake/portal_model.hpp"
#include "actors/intake/presence_model.hpp"
#include "actors/intake/queue_model.hpp"
#include "actors/org/org_model.hpp"

// The live state of intake for one account (spec 2-3): open requests, the
// portals' queues, the technicians' presence and their connection codes, and
// every rule that moves them. Pure and deterministic (time comes in as an
// argument): the desk actor owns one, makes each change durable and pushes
// its effects to the clients. docs/intake.md is the protocol it serves.
namespace openassist::actors::desk {

using json = nlohmann::json;

enum class status : uint8_t { waiting, assigned, active, closed, abandoned };
const char* to_string(status s);
std::optional<status> status_from_string(const std::string& s);
inline bool is_open(status s) {
  return s == status::waiting || s == status::assigned || s == status::active;
}

struct source_info {
  std::string ip, device, os, browser;
};

/// A colleague in a session (spec 4, collaboration).
struct collaborator {
  uint64_t technician_id = 0;
  int64_t since_ms = 0;
  bool hidden = false; ///< the customer does not see them
  bool full = false;   ///< may write and control; else view only
};

/// An invitation into a session: to one colleague, or (to = 0) to anyone on
/// the portal, where the first to accept joins.
struct invitation {
  uint64_t id = 0;
  uint64_t to = 0;
  uint64_t by = 0;
  bool hidden = false;
  bool full = false;
  int64_t created_ms = 0;
  std::set<uint64_t> sent_to; ///< technicians whose console shows it
};

/// At most this many colleagues (joined and invited) per session.
inline constexpr size_t max_collaborators = 7;

struct request {
  uint64_t id = 0;
  uint64_t portal_id = 0;
  status st = status::waiting;
  int64_t created_ms = 0, updated_ms = 0, joined_ms = 0, closed_ms = 0;
  uint64_t technician_id = 0; ///< who has it (assigned / active)
  uint64_t team_id = 0;       ///< a transfer to a team: only its technicians
  uint64_t pinned_id = 0;     ///< SmartMatch choice or a transfer target
  /// SmartPin: came in with a code of `pinned_id` and waits only for them
  /// (they were at their maximum); assigned as soon as they have room.
  bool by_code = false;
  std::string note;               ///< transfer note
  std::string outcome;            ///< closed: closed, cancelled, no_response
  json customer = json::object(); ///< name, email, company, problem, fields
  std::vector<std::string> skills;
  source_info source;
  std::string token_digest;
  int64_t queue_order = 0;       ///< its place in the queue (queue_model)
  int64_t alert_deadline_ms = 0; ///< web mode: when nobody answered
  std::set<uint64_t> alerted;    ///< technicians with an alert showing
  std::set<uint64_t> declined;
  /// Web mode (desk_routing.cpp): alert rounds that ran out unanswered; the
  /// technicians who let an alert run out; whether the customer chose a
  /// technician who could not answer (SmartMatch, then widened to the
  /// portal's others); whether the customer is offered to keep waiting or
  /// leave an e-mail; the e-mail they left to be contacted at.
  int alert_rounds = 0;
  std::set<uint64_t> unanswered;
  uint64_t chosen_id = 0;
  bool choice = false;
  std::string contact_email;
  bool session = false; ///< a technician has joined it once
  /// For reports (docs/reports.md), never reset by a transfer: when a
  /// technician first joined, who ever declined it, how often it was
  /// transferred.
  int64_t answered_ms = 0;
  std::set<uint64_t> decliners;
  int transfers = 0;
  std::string resolution;    ///< at closing: resolved, unresolved, unknown
  std::string notes;         ///< the technician's closing notes
  int rating = 0;            ///< the customer's 1..5, 0 none
  std::string comment;       ///< the customer's comment
  bool summary_sent = false; ///< the portal's notification e-mail went out
  std::vector<collaborator> collaborators; ///< in the order they joined
  std::vector<invitation> invites;         ///< open invitations
  uint64_t next_invite = 1;
  /// An intake with an Idempotency-Key: the key, a digest of its body and
  /// the customer's token, stored while the request is open so that a retry
  /// after a restart still gets this request; cleared when it ends.
  std::string retry_key;
  uint64_t retry_fingerprint = 0;
  std::string retry_token;
  const collaborator* colleague(uint64_t tech) const {
    for (auto& c : collaborators)
      if (c.technician_id == tech)
        return &c;
    return nullptr;
  }
};

/// An e-mail the desk wants sent once its change is durable.
struct mail {
  std::string to, subject, body;
};

/// Technician availability as they chose it; without a console connected a
/// technician is offline whatever they chose.
struct code {
  std::string digits;
  uint64_t technician_id = 0;
  uint64_t portal_id = 0;
  int64_t expires_ms = 0;
};

/// What one change did, for the actor to store and push.
struct effects {
  std::set<uint64_t> requests; ///< created or changed
  bool desk = false;           ///< presence, codes or counters
  std::vector<std::pair<std::string, json>> events;  ///< kind, payload
  std::vector<std::pair<uint64_t, uint64_t>> alerts; ///< technician, request
  struct withdrawal {
    uint64_t technician, request;
    std::string reason;
  };
  std::vector<withdrawal> withdrawn;
  std::set<uint64_t> me;     ///< technicians whose own status/load changed
  bool roster = false;       ///< someone's status changed
  std::set<uint64_t> codes;  ///< technicians whose codes changed
  std::set<uint64_t> queues; ///< portals whose waiting positions moved
  std::vector<mail> mails;   ///< to send after the change is durable
  /// Statuses to note in the presence log besides the changes (the roll
  /// call: every technician once a day and at start).
  std::vector<std::pair<uint64_t, std::string>> roll_call;
  /// Messages for one technician's consoles (invitations and their end).
  std::vector<std::pair<uint64_t, json>> to_console;
  void event(std::string kind, json payload) {
    events.emplace_back(std::move(kind), std::move(payload));
  }
};

/// Customer input of one intake, already parsed from JSON.
struct intake {
  json fields = json::object();
  uint64_t technician_id = 0; ///< smartmatch
  std::string code;           ///< smartpin, as typed
  source_info source;
  std::string token_digest;
  /// The client's Idempotency-Key ("" none), a digest of its body and the
  /// token it was given: a retry with the same key gets the same request.
  std::string idempotency_key;
  uint64_t fingerprint = 0;
  std::string token;
};

/// What a retried intake gets back: the request and token of the first.
struct intake_replay {
  uint64_t request_id = 0;
  std::string token;
};

struct settings {
  int64_t offline_grace_ms = 15000; ///< console gone -> offline after
  int64_t restart_grace_ms = 60000; ///< after a restart, for consoles to return
  size_t max_open_requests = 100000; ///< per account
  size_t closed_kept = 100;          ///< recent closed shown in consoles
  size_t code_guesses = 5;           ///< wrong codes per address...
  int64_t code_guess_window_s = 600; ///< ...in this window
  int64_t default_handle_s = 300;    ///< wait estimate before any history
  /// Web mode: alert rounds (each the portal's alert timeout) before the
  /// customer is offered to keep waiting or leave an e-mail.
  int alert_rounds = 2;
  int64_t summary_delay_ms =
    15 * 60 * 1000;                ///< summary mail without a rating after
  size_t idempotency_keys = 10000; ///< intake keys kept, per portal
  int64_t idempotency_ttl_ms = 3600 * 1000; ///< ...for this long
};

class model {
public:
  explicit model(settings s = {});

  // -- organisation (from the account actor) --------------------------------
  void set_org(org_account org, uint64_t revision);
  /// After a new organisation: consoles see their own maximum and names anew,
  /// and queues move if someone may now take more.
  void org_changed(int64_t now_ms, effects& fx);
  uint64_t org_revision() const { return org_revision_; }
  const org_account& org() const { return org_; }
  const portal* portal_by_slug(const std::string& slug) const;
  const portal* portal_by_id(uint64_t id) const;
  /// Whether `tech` is on one of the portal's teams (or their sub-teams).
  bool serves(const portal& p, uint64_t tech) const;
  /// The teams (with sub-teams) whose technicians serve portal `id`.
  /// The sessions a technician holds against their maximum.
  int load(uint64_t tech) const;
  std::set<uint64_t> portal_teams(uint64_t id) const {
    auto t = portal_teams_.find(id);
    return t == portal_teams_.end() ? std::set<uint64_t>{} : t->second;
  }
  bool is_technician(uint64_t user) const;
  std::string technician_name(uint64_t tech) const;
  /// The name customers see: the screen name ("shown to customers instead
  /// of the full name"), the full name where none is set.
  std::string public_name(uint64_t tech) const;
  /// How many portals `tech` serves (0: no customer reaches them).
  size_t portals_served(uint64_t tech) const;
  int max_sessions(uint64_t tech) const;
  /// A technician's features (teams and own overrides, not a portal's).
  feature_values technician_features(uint64_t tech) const;
  /// Whether a feature is on for `tech` on a portal (both must allow it).
  bool feature_on(uint64_t tech, uint64_t portal_id, feature f) const;
  /// Whether the portal's sessions are recorded (its recording feature).
  bool portal_records(uint64_t portal_id) const;

  // -- customers -------------------------------------------------------------
  /// Validates and creates a request (routed at once); the new id or why not.
  std::variant<uint64_t, failure> create(const portal& p, intake in,
                                         int64_t now_ms, effects& fx);
  std::optional<failure> cancel(uint64_t request, int64_t now_ms, effects& fx);
  /// The customer's answer once nobody answered in time (desk_routing.cpp):
  /// `{"type":"customer.wait"}` alerts again, `{"type":"customer.contact",
  /// "email":"…"}` keeps the request for a technician to contact them.
  std::optional<failure> customer_choice(uint64_t request,
                                         const actors::customer_choice& input,
                                         int64_t now_ms, effects& fx);
  /// An intake retried with the same Idempotency-Key on the same portal
  /// while the key is kept: the first request and its token; a failure when
  /// the key came with another body (errc::reused) or the first is still being
  /// stored (errc::bad_state, code `in_progress`); nullopt for a new key (then
  /// create() remembers it).
  std::optional<std::variant<intake_replay, failure>>
  replay_intake(const portal& p, const std::string& key, uint64_t fingerprint,
                int64_t now_ms);
  /// The intake with `key` is durable: retries get it from now on.
  void intake_stored(uint64_t portal, const std::string& key);
  /// The customer rates a finished session (once): 1..5 and a comment. The
  /// portal's notification e-mail then gets the summary.
  std::optional<failure> rate(uint64_t request,
                              const actors::customer_rating& input,
                              int64_t now_ms, effects& fx);

  // -- technicians -----------------------------------------------------------
  void console_connected(uint64_t tech, int64_t now_ms, effects& fx);
  void console_disconnected(uint64_t tech, int64_t now_ms, effects& fx);
  /// A console command (docs/intake.md); the ack's extra fields or a failure.
  std::variant<json, failure> command(uint64_t tech, const console_command& cmd,
                                      int64_t now_ms, effects& fx);

  /// Timers: alert timeouts, offline graces, code expiry. Call about once a
  /// second.
  void tick(int64_t now_ms, effects& fx);

  // -- views -----------------------------------------------------------------
  json request_view(const request& r) const;  ///< console
  json customer_view(const request& r) const; ///< customer page
  json console_state(uint64_t tech, int64_t now_ms) const;
  json me_view(uint64_t tech) const;
  json roster_view() const;
  json codes_view(uint64_t tech) const;
  json alert_view(const request& r) const;
  /// The open invitations a technician's console shows.
  json invites_for(uint64_t tech) const;
  json portal_page(const portal& p, int64_t now_ms) const;
  json public_status(const portal& p, int64_t now_ms) const;
  /// Whether the console of `tech` shows `r`.
  bool visible_to(const request& r, uint64_t tech) const;
  /// Whether `tech` takes part in the session: its technician or a colleague
  /// who joined it.
  bool participant(const request& r, uint64_t tech) const;
  std::string effective_status(uint64_t tech) const;
  /// Open-state of a portal now: open, next_open (unix s), reason.
  json open_state(const portal& p, int64_t now_ms) const;

  const request* find(uint64_t id) const;
  const std::map<uint64_t, request>& open_requests() const { return open_; }
  const std::deque<request>& recent_closed() const { return closed_; }
  /// Waiting position (1 = next) in its portal's queue, 0 if not waiting.
  size_t position(const request& r) const;
  /// Requests waiting on `portal` (O(1)).
  size_t waiting_count(uint64_t portal) const;
  /// Expected wait (desk_estimates.cpp) of the request at `place` (1 =
  /// next) in the portal's queue: `place` of the sessions in progress of the
  /// portal's available technicians must end first, each after the portal's
  /// handle time on average; nullopt when no technician is available for the
  /// portal (nobody takes its requests now).
  std::optional<int64_t> wait_estimate_s(const portal& p, size_t place) const;
  /// The portal's handle time in seconds: measured, else the default.
  int64_t handle_s(uint64_t portal) const;
  /// The portal's queue (empty for a portal without one yet).
  const queue_model& queue(uint64_t portal) const;

  // -- storage ---------------------------------------------------------------
  json snapshot() const; ///< presence, codes, counters, recent closed ids
  bool restore(const json& snapshot, int64_t now_ms);
  /// After restore(): the ended requests to load besides the open ones (the
  /// recent closed, newest first, then those whose summary is due).
  std::vector<uint64_t> requests_to_load() const;
  /// A stored request: open ones join the queues (and their intake's key is
  /// kept for retries), ended ones the recent list, in the order given.
  void restore_request(request r, int64_t now_ms);
  static json to_storage(const request& r);
  static std::optional<request> from_storage(const json& j);

  /// Requests that left the open set in the last change (closed/abandoned):
  /// the actor drops them from the open index.
  uint64_t next_request_id() const { return next_id_; }
  /// Closed sessions whose summary mail is still to go (request -> when).
  const std::map<uint64_t, int64_t>& summaries_due() const {
    return summaries_due_;
  }

private:
  /// Opens `r`; waiting, it joins its portal's queue at the back or, when
  /// `restoring`, at its stored place.
  request& add(request r, bool restoring);
  void set_status(request& r, status s, int64_t now_ms, effects& fx);
  /// The one place a technician's load grows: gives `r` to `tech` in status
  /// `s` (assigned, or active for a hand-over) if they are below their
  /// maximum; false, and nothing changed, when they are at it. Every path
  /// goes through here: accept, assign_me, queue routing, SmartPin codes,
  /// transfers and the hand-over when a technician leaves.
  [[nodiscard]] bool assign(request& r, uint64_t tech, status s, int64_t now_ms,
                            effects& fx);
  /// SmartPin requests waiting for `tech` get them while they have room.
  void route_codes(uint64_t tech, int64_t now_ms, effects& fx);
  /// Keeps the Idempotency-Key of `r` (if it has one) for retries.
  void remember_intake(const request& r, bool stored);
  void release(request& r);
  void withdraw_alerts(request& r, uint64_t except, const std::string& reason,
                       effects& fx);
  void finish(request& r, status s, const std::string& outcome, int64_t now_ms,
              effects& fx);
  void to_waiting(request& r, bool front, int64_t now_ms, effects& fx);
  void route(request& r, int64_t now_ms, effects& fx);
  void route_portal(uint64_t portal, int64_t now_ms, effects& fx);
  void route_technician(uint64_t tech, int64_t now_ms, effects& fx);
  void technician_gone(uint64_t tech, int64_t now_ms, effects& fx);
  bool available(uint64_t tech) const;
  bool has_capacity(uint64_t tech) const;
  bool eligible(const request& r, const portal& p, uint64_t tech) const;
  /// Sessions that end in parallel for the portal's queue: of its
  /// available technicians, each counted with its sessions in progress and
  /// at least once; 0 when no technician is available for it.
  int servers(const portal& p) const;
  // desk_routing.cpp: what happens when nobody answers an alert in time.
  void alert_timed_out(request& r, int64_t now_ms, effects& fx);
  /// SmartMatch: the chosen technician cannot answer: alert the portal's
  /// other technicians.
  void widen(request& r, int64_t now_ms, effects& fx);
  /// Whether route() may alert `tech` for `r` now.
  bool may_alert(const request& r, uint64_t tech) const;
  /// `tech` gives `r` back: to the front of its queue, not alerting `tech`
  /// again; `ev` (with `reason`) is its request.unassigned event.
  void requeue_from(request& r, uint64_t tech, const char* reason, json ev,
                    int64_t now_ms, effects& fx);
  /// The open request a console command names, if `tech` sees it; else
  /// the not_found to answer.
  std::variant<request*, failure> commanded(uint64_t tech, uint64_t request_id);
  std::optional<std::variant<json, failure>>
  collab_command(uint64_t tech, const console_command& cmd, int64_t now_ms,
                 effects& fx);
  void end_invites(request& r, const std::string& reason, effects& fx);
  json invite_view(const request& r, const invitation& inv) const;

public:
  /// `for_session`: names as customers see them (public_name).
  json collaborators_json(const request& r, bool for_session = false) const;
  json invites_json(const request& r) const;

private:
  std::optional<std::variant<json, failure>>
  request_command(uint64_t tech, const console_command& cmd, int64_t now_ms,
                  effects& fx);

  settings cfg_;
  org_account org_;
  uint64_t org_revision_ = 0;
  std::map<std::string, uint64_t> slugs_;
  std::map<uint64_t, std::set<uint64_t>> portal_teams_; ///< with sub-teams

  std::map<uint64_t, request> open_;
  std::deque<request> closed_;
  /// Ended sessions that left `closed_` (more than `closed_kept` ended since)
  /// while their summary mail is still due: kept until it is sent, so a
  /// busy account neither loses the mail nor the customer's rating.
  std::map<uint64_t, request> awaiting_summary_;
  /// Adds an ended request to the recent ones (newest first or, restoring,
  /// at the back) and keeps `closed_kept` of them.
  void keep_closed(request r, bool newest);
  request* find_closed(uint64_t id);
  std::vector<uint64_t> closed_to_load_; ///< from the snapshot, newest first
  /// Each portal's waiting requests and handle time (queue_model).
  std::map<uint64_t, queue_model> queues_;
  /// Each technician's status, consoles and held requests (presence_model).
  std::map<uint64_t, presence_model> presence_;
  std::map<std::string, code> codes_;
  std::map<uint64_t, int64_t>
    summaries_due_; ///< request -> when to mail unrated
  void summary(request& r, effects& fx);
  guess_limiter guesses_;
  /// Each portal's front door: its intakes' Idempotency-Keys (of open and
  /// recent requests; portal_model).
  std::map<uint64_t, portal_model> front_doors_;
  portal_model& front_door(uint64_t portal);
  uint64_t next_id_ = 1;
  int64_t restart_deadline_ms_ = 0;
};

} // namespace openassist::actors::desk
