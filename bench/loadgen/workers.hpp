#pragma once

#include "histogram.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace openassist::loadgen {

/// What one worker thread counted. Only that thread writes it while the
/// load runs; the main thread reads and merges it after stop().
struct worker_stats {
  /// The scenario's measure: send (scheduled) time to the event at the
  /// receiving client (alert, chat line at the console, frame at a viewer).
  histogram latency;
  /// Send (scheduled) time to the sender's own answer (HTTP 201, chat.ack).
  histogram answer;
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t answered = 0;
  uint64_t errors = 0;
  /// Connections the node ended while the load ran (slow reader, limits).
  uint64_t cut = 0;
  uint64_t bytes = 0;
  std::string first_error;

  void error(const std::string& what);
  void merge(const worker_stats& other);
};

/// Threads with an event loop (io_context) each. Set-up runs the loops from
/// the main thread (ws_client's blocking calls) before run(); under load each
/// loop runs on its own thread.
class workers {
public:
  explicit workers(unsigned count);
  ~workers();
  workers(const workers&) = delete;
  workers& operator=(const workers&) = delete;

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  boost::asio::io_context& io(unsigned i) { return loops_[i]->io; }
  worker_stats& stats(unsigned i) { return loops_[i]->stats; }

  void run();
  /// Lets the loops finish what is queued (at most a moment) and joins them.
  void stop();
  worker_stats total() const;

private:
  struct loop {
    boost::asio::io_context io{1};
    worker_stats stats;
    std::thread thread;
  };
  std::vector<std::unique_ptr<loop>> loops_;
  std::vector<
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
    guards_;
};

/// Sleeps until `end_ns`, then until `arrived` has caught up with what was
/// sent (`sent()`, read again each time) or `drain_ns` more have passed;
/// returns the time it stopped waiting (the last arrival, give or take 20 ms).
uint64_t await_arrivals(uint64_t end_ns, uint64_t drain_ns,
                        const std::atomic<uint64_t>& arrived,
                        const std::function<uint64_t()>& sent);

/// Nanoseconds on the steady clock, the time base of every timestamp the
/// load generator puts into a message.
uint64_t now_ns();

/// The source address for connection number `n` over `count` loopback
/// addresses (127.0.0.2, 127.0.0.3, ...); empty when `count` is 0.
std::string source_address(unsigned n, unsigned count);

} // namespace openassist::loadgen
