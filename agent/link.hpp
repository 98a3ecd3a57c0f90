#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "agent/target.hpp"

// The app's WebSocket to the node (/ws/v1), on a thread of its own: it
// connects, reads every message into `text`, writes what is sent to it in
// order (from any thread), and after a cut connects again with a growing
// pause (1 s to 30 s) until stopped.
namespace openassist::agent {

class link {
public:
  struct callbacks {
    std::function<void()> opened;                   ///< after the handshake
    std::function<void(const std::string&)> text;   ///< a text message
    std::function<void(const std::string&)> closed; ///< why (then retried)
  };

  link(target t, callbacks cb);
  ~link();
  link(const link&) = delete;
  link& operator=(const link&) = delete;

  void start();
  /// Ends the connection (a close handshake) and the retries.
  void stop();

  void send_text(std::string text);
  void send_binary(std::string bytes);
  /// Bytes waiting to be written (for the screen's pace).
  size_t queued_bytes() const { return queued_.load(); }
  bool connected() const { return connected_.load(); }

private:
  struct impl;
  std::shared_ptr<impl> p_;
  std::atomic<size_t> queued_{0};
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

} // namespace openassist::agent
