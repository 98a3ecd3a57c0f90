// What a client reads for a session actor's answers (the events of
// docs/sessions.md): the JSON of actors/session/session_protocol.hpp's
// values, made here, at the gateway, and nowhere else.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "actors/session/session_protocol.hpp"

namespace openassist::gateways {

/// `chat.synced` after a resume (the member key stays with the connection).
nlohmann::json synced_event(const std::string& request_id,
                            const actors::session_joined& x);

/// `chat.ack`: the line is stored as `seq`.
nlohmann::json ack_event(const std::string& request_id,
                         const actors::chat_ack& x);

/// `ack` of a screen action (with `sharing` after accept, decline and stop).
nlohmann::json screen_ack_event(const std::string& request_id,
                                const actors::screen_ack& x);

/// `file.sent`: the file's line is stored as `seq`.
nlohmann::json file_sent_event(const std::string& request_id,
                               const actors::file_sent& x);

} // namespace openassist::gateways
