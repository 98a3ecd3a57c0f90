#pragma once

#include <chrono>
#include <memory>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace openassist::gateways {

/// The I/O threads of a node: one Asio io_context run by `threads` threads.
/// Every HTTP/WebSocket server of the node runs on it.
class io_runtime {
public:
  explicit io_runtime(unsigned threads);
  ~io_runtime();
  io_runtime(const io_runtime&) = delete;
  io_runtime& operator=(const io_runtime&) = delete;

  boost::asio::io_context& context();
  void start();
  /// Lets the threads finish outstanding work for up to `grace`, then stops
  /// the context and joins them.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace openassist::gateways
