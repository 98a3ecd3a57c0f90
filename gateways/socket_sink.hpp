// A session member's socket, for the session's broadcasts
// (actors/session/member_sink.hpp, docs/design/broadcast.md).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "actors/session/member_sink.hpp"
#include "gateways/ws_outbox.hpp"

namespace openassist::gateways {

/// What a session writes into a member's WebSocket directly: chat lines and
/// typing, from the session's thread. The member's connection actor writes
/// the answers to its requests into the same outbox; while it waits for the
/// answer to a resume (which it writes as `chat.synced` after the stored
/// lines), it holds the sink: broadcasts wait here and follow the answer, so
/// the client reads the stored lines, `chat.synced`, then new lines, as
/// docs/sessions.md promises.
///
/// Held broadcasts are bounded (`max_held_bytes`); a member that would hold
/// more is disconnected with 1013 when the sink opens, and resumes from its
/// last line when it reconnects: nothing is lost, memory stays bounded.
/// Thread-safe.
class socket_sink : public actors::member_sink {
public:
  static constexpr size_t max_held_bytes = 1024 * 1024;

  explicit socket_sink(std::shared_ptr<ws_outbox> out);

  void write(std::shared_ptr<const std::string> text) override;
  /// Skips the frame when more than `screen_queue_limit` bytes wait for the
  /// socket (gateways/connection.hpp).
  bool write_frame(std::shared_ptr<const std::string> tagged) override;

  /// Broadcasts wait from now until `open` (holds nest: a second resume
  /// while one is answered holds until both are).
  void hold();

  /// Writes what waited, in order, and later broadcasts at once (after the
  /// last of nested holds).
  void open();

private:
  std::mutex mtx_;
  std::shared_ptr<ws_outbox> out_;
  int holds_ = 0;
  std::deque<std::shared_ptr<const std::string>> held_;
  size_t held_bytes_ = 0;
  bool overflow_ = false;
};

} // namespace openassist::gateways
