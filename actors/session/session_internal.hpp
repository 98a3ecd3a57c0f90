// What the session actor's files share (actors/session/session*.cpp): its
// state's helpers and the handlers its behaviour delegates to. Not for other
// actors.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/errc.hpp"
#include "actors/session/session.hpp"

namespace openassist::actors::session_detail {

using json = nlohmann::json;
using self_ptr = caf::stateful_actor<session_state>*;

// -- common (session.cpp)
std::string request_id(const session_state& st);
const session_colleague* colleague(const session_state& st, uint64_t tech);
bool participant(const session_state& st, const session_member& who);
bool may_see(const session_state& st, const session_member& who,
             const json& line);
json shown(json line);
json line_message(const session_state& st, const json& line);
void say(self_ptr self, const std::string& code, const json& params,
         bool priv = false);
bool watches(const session_state& st, const session_member& who);
bool hidden(const session_state& st, const session_member& who);
bool may_act(const session_state& st, uint64_t tech);
std::string sender_name(const session_state& st, const session_member& who);
void count_viewers(session_state& st);
std::set<uint64_t> people(const session_state& st);
void forget(self_ptr self, const caf::actor_addr& who);
void maybe_idle(self_ptr self);

// -- members and the customer's presence (session_members.cpp)
session_subscriber* member(session_state& st, const std::string& key);
std::string sender_id(const session_member& who);
void push_presence(self_ptr self, const caf::actor& only = {});
bool customer_member(const session_state& st);
void revoke_departed(self_ptr self, const std::set<uint64_t>& before);
void tell_watching(self_ptr self, uint64_t user, bool on);
caf::result<session_joined> subscribe(self_ptr self, const caf::actor& conn,
                                      const std::string& role,
                                      const std::string& credential, bool live,
                                      uint64_t after, member_sink_ptr sink);
/// Sends a broadcast text to one live member: into its sink, or to its
/// connection.
void broadcast_to(const session_subscriber& s, const caf::message& msg,
                  const shared_text& text);
void leave(self_ptr self, const std::string& key);

// -- chat (session_chat.cpp)
caf::result<chat_ack> send_line(self_ptr self, const std::string& key,
                                const std::string& text,
                                const std::string& client_id, bool priv);
void typing(self_ptr self, const std::string& key, bool typing);
caf::result<std::string> transcript(self_ptr self, bool include_private,
                                    const std::string& lang);

// -- the shared screen (session_screen.cpp)
void sharing_lost(self_ptr self);
void screen_resync(self_ptr self, const caf::actor& conn);
/// The member of `key` if it may act in the session now (not an observer,
/// the session active, a technician who has it or a colleague with full
/// rights); else the refusal.
caf::expected<session_subscriber*> acting_member(session_state& st,
                                                 const std::string& key);
caf::result<screen_ack> screen_action(self_ptr self, const std::string& key,
                                      const std::string& action);
void relay_frame(self_ptr self, const std::string& key,
                 const std::string& bytes);
void viewer_slow(self_ptr self);

// -- the support app (session_remote.cpp, docs/remote-control.md)
void push_app_state(self_ptr self, const caf::actor& only = {});
void app_joined(self_ptr self, const caf::actor& conn);
/// A member's connection went: the app, or a presenting technician.
void remote_left(self_ptr self, const caf::actor_addr& who);
void remote_news(self_ptr self, const session_news& news);
void remote_resync(self_ptr self, const session_subscriber& s);
void want_keyframe(self_ptr self);
void end_control(self_ptr self);
void end_presenting(self_ptr self);
caf::result<control_ack> control_action(self_ptr self, const std::string& key,
                                        const std::string& action);
caf::result<uint64_t> control_input(self_ptr self, const std::string& key,
                                    const std::string& events);
caf::result<bool> diagnostics_request(self_ptr self, const std::string& key);
caf::result<bool> diagnostics_report(self_ptr self, const std::string& key,
                                     const std::string& report);
void read_diagnostics(session_state& st);
caf::result<std::string> stored_diagnostics(const session_state& st);
caf::result<screen_ack> present_action(self_ptr self, session_subscriber& m,
                                       const std::string& action);
void relay_presented(self_ptr self, const session_subscriber& from,
                     const std::string& bytes);

// -- files (session_files.cpp)
caf::result<file_sent> add_file(self_ptr self, bool technician,
                                uint64_t technician_id, session_file file);
void file_refused(self_ptr self, bool technician, uint64_t technician_id,
                  const std::string& name, const std::string& reason);
caf::result<session_file> get_file(self_ptr self, const std::string& id);

} // namespace openassist::actors::session_detail
