#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/auth.hpp"
#include "actors/session/member_sink.hpp"
#include "actors/session/recording_crypto.hpp"
#include "actors/session/session_presence.hpp"
#include "actors/session/session_protocol.hpp"
#include "actors/session/session_store.hpp"
#include "actors/shared_text.hpp"
#include "cluster/directory.hpp"
#include "monitoring/mailbox_probe.hpp"
#include "monitoring/metrics.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using session_update_atom = caf::atom_constant<caf::atom("ss_update")>;
using session_subscribe_atom = caf::atom_constant<caf::atom("ss_sub")>;
using session_send_atom = caf::atom_constant<caf::atom("ss_send")>;
using session_typing_atom = caf::atom_constant<caf::atom("ss_typing")>;
using session_transcript_atom = caf::atom_constant<caf::atom("ss_trans")>;
using session_screen_atom = caf::atom_constant<caf::atom("ss_screen")>;
using session_frame_atom = caf::atom_constant<caf::atom("ss_frame")>;
using session_slow_atom = caf::atom_constant<caf::atom("ss_slow")>;
using session_file_atom = caf::atom_constant<caf::atom("ss_file")>;
using session_file_refused_atom = caf::atom_constant<caf::atom("ss_fileno")>;
using session_file_get_atom = caf::atom_constant<caf::atom("ss_fileget")>;
using session_leave_atom = caf::atom_constant<caf::atom("ss_leave")>;
using session_idle_atom = caf::atom_constant<caf::atom("ss_idle")>;
using session_recheck_atom = caf::atom_constant<caf::atom("ss_recheck")>;
/// The customer's grace after leaving the page is over (a round number).
using session_presence_atom = caf::atom_constant<caf::atom("ss_pres")>;
/// The customer's support app (docs/remote-control.md).
using session_control_atom = caf::atom_constant<caf::atom("ss_ctrl")>;
using session_input_atom = caf::atom_constant<caf::atom("ss_input")>;
using session_diag_atom = caf::atom_constant<caf::atom("ss_diag")>;
using session_diag_get_atom = caf::atom_constant<caf::atom("ss_diagget")>;
/// The largest report of the computer's details the app may send.
inline constexpr size_t max_diagnostics_bytes = 48 * 1024;
/// A screen frame for a viewer's connection: be64(request id) + image bytes.
using screen_frame_atom = caf::atom_constant<caf::atom("scr_frame")>;

/// Who speaks or listens in a session, as the session itself verified it.
struct session_member {
  bool technician = false; ///< a technician or an observer; else the customer
  uint64_t technician_id = 0; ///< 0 for the customer and for observers
  bool observer = false;      ///< a manager watching invisibly
  uint64_t user = 0;          ///< the technician's or observer's user id
  bool app = false; ///< the customer's support app (docs/remote-control.md)
};

/// How a connection asks to become a member (`session_subscribe_atom`).
inline constexpr const char* member_customer = "customer";
inline constexpr const char* member_technician = "technician";
inline constexpr const char* member_observer = "observer";
/// The customer's support app: the customer's token, like the page.
inline constexpr const char* member_app = "app";

/// One support session (a request once a technician joined), key
/// `session/<account>/<request id>`, reached through the directory
/// (docs/sessions.md). It owns the chat: every line gets the next sequence
/// number and the server's time, is stored (table `chat`) and only then
/// acknowledged and pushed to the members as `(desk_push_atom, shared_text)`
/// (one JSON text for all of them; typing too). Other pushes are
/// `(desk_push_atom, json text)`.
///
/// - `(session_update_atom, session_news)` from the desk: who has the request,
///   its state, its recording settings and a system line to add. At start the
///   session asks the desk the same (`desk_request_atom` -> session_news).
/// The session authorises its members itself (docs/sessions.md, "Who is in
/// a session"); no gateway's word is taken for who someone is:
/// Answers are the values of actors/session/session_protocol.hpp or a
/// caf::error of actors::errc (storage::storage_errc when storage did not
/// take a change); never HTTP statuses or JSON text.
/// - `(session_subscribe_atom, connection, role, credential, live, after_seq)`
///   -> session_joined. `role` is "customer" (credential: the request's
///   token, checked against the request's token digest), "technician" or
///   "observer" (credential: the login token, checked with the auth service,
///   which must name this session's account, then with the account's desk:
///   a technician who sees the request, a manager who may watch it). The
///   answer carries `member`, a random key the connection presents with
///   every later message; with `live` the stored lines after `after_seq` the
///   member may see are pushed first. Refused: `not_found`.
///   `(session_subscribe_atom, connection, role, credential, live, after_seq,
///   member_sink_ptr)`: the same from a connection on this node, which
///   gives the member's socket: the session's broadcasts to this member
///   (chat lines, typing) are written into it rather than sent to the
///   connection (actors/session/member_sink.hpp).
///   Membership ends when the connection goes, and at once when a technician
///   leaves the session (transfer, hand-over, leave): such a member gets
///   `chat.revoked`. Private notes are for the session's technician, its
///   colleagues and observers; other technicians who see the request read
///   its other lines.
/// - `(session_send_atom, member, text, client_id, private)` -> chat_ack
///   once stored. A repeated `client_id` of
///   the same member is stored once and answered with the same `seq`.
/// - `(session_typing_atom, member, typing)`: tells the others.
/// - `(session_transcript_atom, include_private)` -> the chat as plain text.
/// - `(session_transcript_atom, include_private, lang)`: the same in `lang`
///   ("en", "de"; system lines rendered from their codes).
/// - `(session_screen_atom, member, action)` -> screen_ack: `request` (the
///   technician asks), `accept` / `decline` (the
///   customer answers), `stop` (either side).
/// - `(session_leave_atom, member)`: the member stops listening.
/// - `(session_frame_atom, member, bytes)`: a screen frame from the customer,
///   relayed while sharing to every technician member and observer as
///   `(screen_frame_atom, be64(request) + bytes)`.
/// - `(session_file_atom, technician, technician_id, session_file)` ->
///   file_sent: a file (id, name, size, mime) whose bytes are in the blob
///   store becomes a chat line with `file`, and a row of the `files` table,
///   in one write.
/// - `(session_file_refused_atom, technician, technician_id, name, reason)`:
///   a system line saying why a file was not taken.
/// - `(session_file_get_atom, file_id)` -> session_file.
/// - `(session_slow_atom)`: a viewer dropped a frame; the customer is asked
///   (at most once a second) to lower quality.
///
/// The customer's support app (docs/remote-control.md) is a customer member
/// of role "app", at most one per session:
/// - `(session_screen_atom, member, action)` also takes `share` (the app
///   starts sharing), `present` / `unpresent` (the technician shows their
///   own screen to the customer; frames of the presenting technician's
///   connection go to the customer page and app).
/// - `(session_control_atom, member, action)` -> control_ack: `request`
///   (a technician whose switches allow remote control), `accept` /
///   `decline` (the app), `stop` (any of them, or the page).
/// - `(session_input_atom, member, events)` -> uint64_t (events relayed):
///   the technician in control sends input events (a JSON array checked by
///   the gateway) to the app.
/// - `(session_diag_atom, member)` -> bool: a technician asks the app for
///   the computer's details; `(session_diag_atom, member, report)` -> bool:
///   the app's report (JSON text checked by the gateway), stored and shown
///   to the technicians.
/// - `(session_diag_get_atom)` -> JSON text `{"request_id","at","data"}`: the
///   last report (the caller checked who may read it); not_found without.
///
/// System lines carry `code` and `params` besides their English `text`
/// (actors/session/session_lines.hpp). While the session is active its
/// technician members get `session.presence` (the customer here or gone, since
/// when) whenever it changes and when they join; a customer page that stays
/// away longer than `presence_grace` and comes back is said in the chat (lines
/// for technicians only), and a shared screen ends when the sharing page
/// goes (docs/sessions.md, "The customer's presence").
///
/// A session whose request is over (not active) and that has no members for
/// `idle_after` stops; the directory spawns it again from storage on demand.
struct session_config {
  std::string account;
  uint64_t request = 0;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  cluster::directory_actor directory;
  std::function<int64_t()> now_ms;
  monitoring::session_metrics metrics;
  caf::actor blobs; ///< actors::blobs_actor: recordings (none: not recorded)
  auth_actor auth;  ///< verifies the login of technicians and observers
  /// A session that is over and has no members stops after this long.
  std::chrono::milliseconds idle_after{std::chrono::seconds(60)};
  /// Least time between two recorded screen frames (the live relay sends
  /// every frame; a recording keeps a few per second).
  int64_t record_frame_every_ms = 500;
  /// How long the customer's page may be away before "The customer left the
  /// page" is written (a reload takes less).
  std::chrono::milliseconds presence_grace{std::chrono::seconds(5)};
};

/// The recording of a session being written (docs/recording.md).
struct session_recorder {
  std::optional<recording::writer> writer;
  std::string path;   ///< of the segment being written, in the blobs
  uint64_t bytes = 0; ///< of the whole recording so far
  uint64_t cap = 0;   ///< the portal's size cap
  int64_t last_frame_ms = 0;
  bool full = false;   ///< the cap was reached: nothing more is written
  nlohmann::json meta; ///< its row in the `recordings` table
};

struct session_screen_metrics;

/// The customer's support app in a session and what it lets technicians do
/// (docs/remote-control.md).
struct session_remote {
  caf::actor app; ///< the app's connection; none: not here
  std::vector<uint64_t> may_control, may_diagnose; ///< as the desk said
  uint64_t asked_by = 0;      ///< asked for control, waiting for the answer
  uint64_t controller = 0;    ///< the technician in control; 0: nobody
  bool used = false;          ///< the controller sent input since the grant
  caf::actor_addr presenter;  ///< a console showing its technician's screen
  uint64_t presenter_id = 0;  ///< that technician
  std::string diagnostics;    ///< the last report (JSON text); "": none
  int64_t diagnostics_at = 0; ///< when it arrived (ms)
};

struct session_subscriber {
  caf::actor conn;
  session_member who;
  std::string key;   ///< the member key the connection presents
  bool live = false; ///< receives the chat and the session's events
  /// The member's socket on this node (null: broadcasts go to `conn`).
  member_sink_ptr sink;
};

/// Lines stored on behalf of a member's `client_id`, so that a retried send
/// is stored once (the newest `max_client_ids` are kept).
struct session_sent_ids {
  static constexpr size_t max_client_ids = 1024;
  std::map<std::string, uint64_t> seq_of; ///< "<member>/<client_id>" -> seq
  std::deque<std::pair<std::string, uint64_t>> order; ///< oldest first
  /// Retries of a line still being stored, answered when it is.
  std::map<uint64_t, std::vector<caf::typed_response_promise<chat_ack>>>
    waiting;
  void remember(const std::string& id, uint64_t seq);
};

struct session_line_state {
  uint64_t next_seq = 1;    ///< the next line's number
  uint64_t durable_seq = 0; ///< every line up to it is stored
};

struct session_state {
  session_config cfg;
  monitoring::mailbox_probe mailbox;
  session_line_state seq;
  std::string status; ///< the request's: waiting, assigned, active, closed, ...
  uint64_t technician_id = 0;
  std::string technician_name;
  std::string customer_name;
  std::vector<session_colleague> colleagues;
  std::vector<session_subscriber> subscribers;
  bool screen_requested = false;
  bool sharing = false;
  caf::actor_addr sharer; ///< the customer connection sharing its screen
  /// Sharing ended because the sharing page went: a customer page that
  /// comes back is told (it may believe it still shares).
  bool screen_lost = false;
  customer_presence presence;
  session_remote remote;
  int64_t last_slow_ms = 0;
  session_recorder rec;
  int64_t viewers = 0;         ///< counted in the screen_viewers gauge
  std::string token_digest;    ///< of the customer's token
  bool counted_active = false; ///< counted in the active sessions gauge
  session_sent_ids sent;
  session_writes writes; ///< lines on their way to storage
  /// Why the last line was not stored (what its sender is told: full,
  /// busy or unavailable).
  caf::error last_write_error;
  /// This incarnation's fence (`session/<account>/<request>`), carried by
  /// every chat write.
  storage::writer_fence fence;
  uint64_t idle_round = 0; ///< the idle check that counts
  static const char* name;
};

/// Key of a chat line in the `chat` table.
std::string chat_key(const std::string& account, uint64_t request,
                     uint64_t seq);

/// Key of a file in the `files` table, and where its bytes are in the blobs.
std::string file_key(const std::string& account, uint64_t request,
                     const std::string& id);
std::string file_blob_path(const std::string& account, uint64_t request,
                           const std::string& id);

/// One transcript line per chat line: "[2026-11-23 14:05:09 UTC] Name: text".
std::string transcript_line(const nlohmann::json& line);

caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            session_config cfg);

} // namespace openassist::actors
