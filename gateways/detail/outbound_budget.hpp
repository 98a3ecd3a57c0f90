#pragma once

// The memory bound of outbound WebSocket messages: per connection and across
// all connections of the server. Beast-free; unit tested directly.

#include <algorithm>
#include <atomic>
#include <cstddef>

#include <prometheus/gauge.h>

namespace openassist::gateways {

/// Bytes handed to WebSocket connections and not yet written to their
/// sockets, across all connections. Bytes are added when a message is handed
/// over (from any thread) and removed when it is written or dropped.
///
/// A connection may queue at most `per_connection` bytes. Beyond `total`
/// across all connections, a connection that holds more than its fair share
/// (total / open connections) is dropped; one below it still gets its
/// message, so readers that keep up are not punished for slow ones, and the
/// total overshoots by at most one message per connection.
class outbound_budget {
public:
  enum class verdict { accept, over_connection, over_node };

  outbound_budget(size_t per_connection, size_t total,
                  prometheus::Gauge* gauge = nullptr)
    : per_connection_(per_connection), total_limit_(total), gauge_(gauge) {}

  /// Whether a connection that has `queued` bytes waiting may queue a
  /// message of `bytes` more (already add()ed), with `connections` open.
  verdict admit(size_t queued, size_t bytes, size_t connections) const {
    if (queued + bytes > per_connection_)
      return verdict::over_connection;
    if (total_.load() > total_limit_) {
      auto fair = total_limit_ / std::max<size_t>(connections, 1);
      if (queued + bytes > fair)
        return verdict::over_node;
    }
    return verdict::accept;
  }

  void add(size_t bytes) {
    total_ += bytes;
    if (gauge_ != nullptr)
      gauge_->Increment(static_cast<double>(bytes));
  }
  void remove(size_t bytes) {
    total_ -= bytes;
    if (gauge_ != nullptr)
      gauge_->Decrement(static_cast<double>(bytes));
  }

  size_t total() const { return total_.load(); }
  size_t limit() const { return total_limit_; }

private:
  size_t per_connection_;
  size_t total_limit_;
  prometheus::Gauge* gauge_;
  std::atomic<size_t> total_{0};
};

} // namespace openassist::gateways
