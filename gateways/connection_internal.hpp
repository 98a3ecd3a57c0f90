#pragma once
// What the connection actor's source files share (gateways/connection.cpp:
// the behaviour and the common helpers; connection_customer.cpp: a customer
// page's requests; connection_console.cpp: a technician's console;
// connection_observer.cpp: a manager watching sessions;
// connection_members.cpp: membership of sessions, chat and screen).

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "gateways/connection.hpp"

namespace openassist::gateways::connection_detail {

using json = nlohmann::json;
using self_ptr = connection_actor::stateful_pointer<connection_state>;

inline constexpr auto desk_timeout = std::chrono::seconds(15);

// --- connection.cpp: common helpers ---

void send(connection_state& st, const json& msg);

void send_error(connection_state& st, const std::string& code,
                const std::string& message, const json& id = nullptr);

/// The string at `key`, or "" when it is missing or not a string.
std::string text_of(const json& j, const char* key);

/// A request id as clients send it: 1 to 18 decimal digits.
bool digits(const std::string& s);

/// Forwards a desk's answer: the body itself (`ok` decides the shape).
/// Refusals go through refusal().
void relay(connection_state& st, const std::string& body, const json& id,
           const std::function<void(json&)>& ok);

/// Watches the desk: if it stops, the client reconnects to a fresh one.
/// Consoles and observers also start checking their login.
void watch_desk(self_ptr self, caf::actor desk);

/// Looks the desk of `account` up and continues with `next`; a desk that
/// cannot be found ends the attach or hello under way (`busy`) with
/// not_found.
void with_desk(self_ptr self, const std::string& account, json id,
               std::function<void(caf::actor)> next);

/// Sends `msg` to the connection's desk and relays its answer.
void desk_message(self_ptr self, const caf::message& msg, json id,
                  std::function<void(json&)> ok);

// --- connection_customer.cpp ---

void customer_attach(self_ptr self, const json& msg, const json& id);

/// customer.cancel, customer.wait, customer.contact, customer.rate: the
/// attached customer's requests to its desk.
void customer_request(self_ptr self, const std::string& kind, const json& msg,
                      const json& id);

// --- connection_console.cpp ---

void console_hello(self_ptr self, const json& id);

/// A console's other commands (any type with a '.'): to the desk, answered
/// `ack` or `error`.
void console_command(self_ptr self, const json& msg, const json& id);

// --- connection_observer.cpp ---

void monitor_attach(self_ptr self, const json& msg, const json& id);

/// Checks the login of a manager's connection (busy meanwhile) and runs
/// `next(account, user)`, busy still, for its login. Refused (and answered):
/// no login, a console or customer connection, a connection that already
/// watches for another user.
void with_observer_login(
  self_ptr self, const json& id,
  std::function<void(const std::string&, uint64_t)> next);

/// An observer's right to watch is asked about again with every login check:
/// a team manager moved off a team stops watching its sessions.
void recheck_observing(self_ptr self);

// --- connection_dashboard.cpp (docs/dashboards.md) ---

/// dashboard.watch: a manager's connection shows a monitor (it becomes an
/// observer connection, as with monitor.attach).
void dashboard_watch(self_ptr self, const json& msg, const json& id);
/// dashboards.follow: the account's list of monitors, then every change of
/// it (the connection becomes an observer connection).
void dashboards_follow(self_ptr self, const json& id);
void dashboard_unwatch(self_ptr self, const json& msg, const json& id);

/// The monitors watched are asked again with every login check: a manager
/// who may no longer see one stops receiving it.
void recheck_dashboards(self_ptr self);

// --- connection_members.cpp ---

/// The directory key of the session of `request` in the connection's
/// account: `session/<account>/<request>`.
std::string session_key(const connection_state& st, const std::string& request);

/// Tells the client why a session refused (error_table.hpp).
void refusal(connection_state& st, const caf::error& err, const json& id);

/// Sends `msg` to the client with the id of the message it answers.
void answer(connection_state& st, json msg, const json& id);

/// The request a session message is about: the customer's own, or the one a
/// console names.
std::string request_of(const connection_state& st, const json& msg);

/// Makes this connection a member of the session of `request` (the session
/// checks the credential itself); with `live` it also (re)subscribes to the
/// chat after `after` and the answer (chat.synced) goes to the client. `next`
/// runs once this connection is a member; refusals are answered to the client.
void with_member(self_ptr self, const std::string& request, bool live,
                 uint64_t after, json id,
                 std::function<void(const session_link&)> next);

/// chat.resume, chat.send, chat.typing of a member.
void chat_message(self_ptr self, const std::string& kind, const json& msg,
                  const json& id);

/// screen.request, screen.accept, screen.decline, screen.stop of a member.
void screen_message(self_ptr self, const std::string& kind, const json& msg,
                    const json& id);

// --- connection_remote.cpp (docs/remote-control.md) ---

/// control.request, control.accept, control.decline, control.stop.
void control_message(self_ptr self, const std::string& kind, const json& msg,
                     const json& id);

/// control.input of the technician in control.
void input_message(self_ptr self, const json& msg, const json& id);

/// diagnostics.request (technician), diagnostics.report (the app).
void diagnostics_message(self_ptr self, const std::string& kind,
                         const json& msg, const json& id);

/// A session told this connection it is no longer a member: later messages
/// ask to join again (and are refused if they may not).
void forget_membership(self_ptr self, const std::string& text);

/// A binary frame from the client: screen frames of a sharing customer.
void frame_from_client(self_ptr self, std::string& bytes);

/// A screen frame for this viewer, tagged with its request.
void frame_to_client(self_ptr self, const std::string& tagged);

} // namespace openassist::gateways::connection_detail
