#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>

namespace openassist::loadgen {

/// The open-loop schedule of one worker: item k is due at start + k / rate,
/// whatever the node answered before. Each item is fired with its scheduled
/// time, which is what latencies are measured from, so a stalled node shows
/// as latency, not as a lower rate (no coordinated omission).
class pacer : public std::enable_shared_from_this<pacer> {
public:
  using fire_fn = std::function<void(uint64_t k, uint64_t scheduled_ns)>;

  pacer(boost::asio::io_context& io, uint64_t start_ns, double rate,
        uint64_t count, fire_fn fire, std::function<void()> done = {});
  /// Starts firing on the worker's loop (thread-safe).
  void start();

  uint64_t scheduled(uint64_t k) const {
    return start_ns_ +
           static_cast<uint64_t>(static_cast<double>(k) * period_ns_);
  }

private:
  void tick();

  boost::asio::steady_timer timer_;
  uint64_t start_ns_;
  double period_ns_;
  uint64_t count_;
  uint64_t next_ = 0;
  fire_fn fire_;
  std::function<void()> done_;
};

} // namespace openassist::loadgen
