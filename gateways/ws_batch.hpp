#pragma once

// Several queued text messages in one WebSocket frame, for clients that ask
// for it (docs/websocket.md, "Batches"). Beast-free; unit tested directly.

#include <cstddef>
#include <string>
#include <string_view>

namespace openassist::gateways {

/// Whether an upgrade's target (`/ws/v1?batch=1`) asks for batches.
bool batch_requested(std::string_view target);

/// Joins JSON objects into one JSON array, `[m1,m2,...]`, up to a size. A
/// socket that is behind then costs one write per batch instead of one per
/// message (a console following busy chats receives thousands a second).
class batch_builder {
public:
  /// At most this many bytes in one batch: under the 64 KiB a client may
  /// send us, so a client that limits messages as we do reads it.
  static constexpr size_t max_bytes = 60 * 1024;
  static constexpr size_t max_messages = 1024;

  /// Adds `message` if it fits; false (nothing added) when the batch is full.
  /// The first message is always taken, whatever its size.
  bool add(std::string_view message);
  size_t count() const { return count_; }
  /// The array (closed), leaving the builder empty.
  std::string take();

private:
  std::string text_;
  size_t count_ = 0;
};

} // namespace openassist::gateways
