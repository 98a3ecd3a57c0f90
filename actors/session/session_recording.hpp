#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "actors/session/session.hpp"

// The recording of a session whose portal records (docs/recording.md), kept
// in the session actor's state (`session_state::rec`).
namespace openassist::actors::session_recording {

using self_ptr = caf::stateful_actor<session_state>*;

/// Starts (or, after a restart of the session actor, continues in a new
/// segment) the recording of an active session whose portal records; with
/// `news` of a running recording, takes the portal's new size cap.
void start(self_ptr self, const session_news& news);

/// Adds one record; at the size cap the recording ends (marked truncated).
void add(self_ptr self, recording::kind k, std::string payload);

/// The session left `active`: the recording is finished and made durable.
void finish(self_ptr self);

} // namespace openassist::actors::session_recording
