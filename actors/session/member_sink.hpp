// Where a session writes a local member's broadcasts
// (docs/design/broadcast.md).
#pragma once

#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>

namespace openassist::actors {

/// A member's socket as the session sees it: a chat line or a typing event
/// that goes to many members is written into each member's sink from the
/// session's own thread, one call per member, instead of a CAF message (and
/// a scheduler job) per member. The gateways implement it over the member's
/// WebSocket; a member on another node has none and keeps the actor path.
///
/// `write` is called in the session's order and must neither block nor call
/// back into the session. The sink keeps that order with what the member's
/// connection actor writes itself (the answers to its requests): it holds
/// broadcasts while a resume is answered (docs/sessions.md: the stored
/// lines, then `chat.synced`, then new lines).
class member_sink {
public:
  virtual ~member_sink() = default;
  /// One broadcast text (the same buffer for every member).
  virtual void write(std::shared_ptr<const std::string> text) = 0;
  /// One screen image for a viewer, tagged with its request (the same
  /// buffer for every viewer), written at once, never held behind a resume.
  /// False, and nothing written, when the viewer is behind (too much waits
  /// for its socket): it skips the frame, the next one is newer anyway.
  virtual bool write_frame(std::shared_ptr<const std::string> tagged) = 0;
};

using member_sink_ptr = std::shared_ptr<member_sink>;

} // namespace openassist::actors

// Only in messages within one node (a pointer to the member's socket).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(openassist::actors::member_sink_ptr)
