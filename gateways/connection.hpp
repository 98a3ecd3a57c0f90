#pragma once

#include <chrono>
#include <deque>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/auth.hpp"
#include "actors/intake/desk.hpp"
#include "actors/session/session.hpp"
#include "actors/shared_text.hpp"
#include "cluster/directory.hpp"
#include "gateways/socket_sink.hpp"
#include "gateways/ws_outbox.hpp"
#include "monitoring/mailbox_probe.hpp"

namespace openassist::gateways {

using ws_text_atom = caf::atom_constant<caf::atom("ws_text")>;
using ws_closed_atom = caf::atom_constant<caf::atom("ws_closed")>;
using login_check_atom = caf::atom_constant<caf::atom("login_chk")>;
using ws_binary_atom = caf::atom_constant<caf::atom("ws_binary")>;

/// One actor per WebSocket client: the bridge between Beast I/O and the
/// actors. The WebSocket session sends it each text frame; it answers through
/// the outbox. Protocol v1 (docs/websocket.md, docs/intake.md):
///
/// - on connect it sends
/// `{"type":"welcome","protocol":1,"node_id":..,"version":..}`
/// - `{"type":"ping","id":X}` -> `{"type":"pong","id":X,"server_time_ms":T}`
/// - `customer.attach` / `customer.cancel`: a customer page follows its
///   request through the account's desk.
/// - `console.hello`: a technician's console (authenticated by the session
///   cookie of the upgrade request) attaches to its account's desk; later
///   commands go to the desk and are answered `ack` or `error`.
/// - anything else -> `{"type":"error","error":{"code","message"},"id":X}`;
///   the connection stays open.
///
/// - `monitor.attach`: a manager watches a session invisibly
/// (docs/sessions.md); `dashboard.watch` / `dashboard.unwatch`: a manager's
/// live dashboards (docs/dashboards.md).
/// - `screen.request` / `screen.accept` / `screen.decline` / `screen.stop`, and
///   binary frames from a sharing customer, go to the session; frames for a
///   viewer are dropped (and the session told) while more than
///   `screen_queue_limit` bytes wait for that viewer's socket.
/// - `chat.resume`, `chat.send`, `chat.typing` (docs/sessions.md) go to the
///   request's session actor; a technician's `chat.resume` is first checked
///   with the desk (`chat.authorize`).
///
/// Desk and session pushes arrive as `(desk_push_atom, text)`; a session's
/// broadcasts (chat lines, typing) are written by the session into the
/// connection's `socket_sink` for it (one per session), from the shared
/// buffer, or arrive as `(desk_push_atom, shared_text)` from a session that
/// has no sink for it. When the desk or a session this connection listens to
/// fails, the connection closes with 1012 so that the client reconnects and
/// reattaches; a session that stopped because it was idle is looked up again
/// when next needed.
///
/// The connection's role, account, request and token change only when the
/// server accepted them; a connection that follows a request, or is a
/// console or an observer, cannot become something else. Sessions do not
/// take its word for who it is: it presents the customer's token or the
/// login to the session, which checks them itself.
/// A console or observer connection checks its login every
/// `login_check_every` and closes with 4401 once it no longer holds.
/// `(ws_closed_atom)` arrives once when the client is gone; the actor quits.
using connection_actor = caf::typed_actor<
  caf::reacts_to<ws_text_atom, std::string>, caf::reacts_to<ws_closed_atom>,
  caf::reacts_to<ws_binary_atom, std::string>, caf::reacts_to<login_check_atom>,
  caf::reacts_to<actors::desk_push_atom, std::string>,
  caf::reacts_to<actors::desk_push_atom, actors::shared_text>,
  caf::reacts_to<actors::screen_frame_atom, std::string>>;

struct connection_config {
  std::shared_ptr<ws_outbox> out;
  std::string node_id;
  std::string version;
  std::string remote_address;
  cluster::directory_actor directory;
  actors::auth_actor auth;
  std::string session_token; ///< from the upgrade request's cookie, may be ""
  /// How often a logged-in connection checks that its login still holds; a
  /// login that ended (logout, revoked, expired, user deleted) closes it.
  std::chrono::seconds login_check_every{30};
  /// openassist_mailbox_messages{kind="connection"}, or null
  prometheus::Gauge* mailbox = nullptr;
};

/// Bytes waiting for a viewer's socket above which new screen frames are
/// dropped rather than queued.
inline constexpr size_t screen_queue_limit = 512 * 1024;

/// What a connection is; it becomes one of them once the server accepted it
/// (docs/websocket.md, "Roles") and stays that for its life.
enum class connection_role { none, customer, console, observer };

/// A session this connection talks to: the actor, and the member key the
/// session gave it once it checked who this connection is.
struct session_link {
  caf::actor actor;
  std::string member; ///< "" until the session accepted this connection
  bool live = false;  ///< receives the chat (after chat.resume)
  /// The session writes its broadcasts to this connection here.
  std::shared_ptr<socket_sink> sink;
};

/// The messages waiting for one session.
struct session_ops {
  std::deque<std::function<void()>> ops;
  bool busy = false; ///< a lookup or join is under way
};

struct connection_state {
  connection_config cfg;
  monitoring::mailbox_probe mailbox;
  connection_role role = connection_role::none;
  caf::actor desk;        ///< once attached
  uint64_t user = 0;      ///< console and observer: the user
  std::string request_id; ///< customer: the request followed
  std::string token;      ///< customer: its token
  bool app = false;       ///< customer: the support app, not the page
  std::string account;    ///< once attached
  /// By entity key (`session/<account>/<request>`), once looked up.
  std::map<std::string, session_link> sessions;
  std::set<std::string> observing;  ///< monitor: requests watched
  std::set<std::string> dashboards; ///< monitor ids watched
  /// Messages for a session, run in arrival order: one waits while the
  /// lookup or the membership of an earlier one is under way, so that a
  /// member's lines reach the session in the order they were sent.
  std::map<std::string, session_ops> session_queue; ///< by entity key
  bool busy = false;         ///< an attach or hello is under way
  bool login_checks = false; ///< the periodic login check is running
  static const char* name;
};

connection_actor::behavior_type
connection(connection_actor::stateful_pointer<connection_state> self,
           connection_config cfg);

} // namespace openassist::gateways
