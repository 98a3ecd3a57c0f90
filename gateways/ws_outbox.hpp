#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace openassist::gateways {

/// The outgoing side of one WebSocket connection, as its connection actor
/// sees it. Safe to call from any thread; calls after the connection closed
/// do nothing. A client that does not read fast enough to keep the queued
/// bytes under the limit is disconnected (bounded memory per connection).
class ws_outbox {
public:
  virtual ~ws_outbox() = default;
  virtual void send_text(std::string message) = 0;
  virtual void send_binary(std::string bytes) = 0;
  /// A text many connections send (a chat line to a session's members):
  /// written from the shared buffer, without a copy per connection.
  virtual void send_shared(std::shared_ptr<const std::string> text) {
    send_text(*text);
  }
  /// A binary message many connections send (a screen image to its
  /// viewers), written from the shared buffer.
  virtual void send_shared_binary(std::shared_ptr<const std::string> bytes) {
    send_binary(*bytes);
  }
  virtual void close(uint16_t code, std::string reason) = 0;
  /// Bytes handed to send_* and not yet written to the socket (approximate;
  /// for dropping screen frames to a slow viewer instead of queueing them).
  virtual size_t queued_bytes() const { return 0; }
};

} // namespace openassist::gateways
