#pragma once

#include "histogram.hpp"
#include "workers.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace openassist::loadgen {

/// One run of one scenario, as the table and the JSON show it.
struct result {
  std::string scenario;
  /// What was asked, e.g. "1000/s, 20 sessions".
  std::string setup;
  double target_rate = 0;
  /// Items sent per second while the load ran (scheduled or, flat out, done).
  double sent_rate = 0;
  /// Items that arrived at their receiver per second, from the first send to
  /// the last arrival.
  double received_rate = 0;
  /// Sent; arrived (alerts, lines at the console, frames at all viewers);
  /// answered to the sender (201, chat.ack).
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t answered = 0;
  uint64_t errors = 0;
  /// Sent and measured but never arrived within the drain time.
  uint64_t lost = 0;
  uint64_t cut = 0;
  /// Bytes the senders sent (frames).
  uint64_t bytes = 0;
  std::string first_error;
  histogram latency;
  histogram answer;
  /// Named figures of the scenario (MB/s, KiB per connection, ...).
  std::vector<std::pair<std::string, double>> figures;

  double figure(const std::string& name) const;
  /// Adds the node's CPU per item sent, from its CPU seconds at the start
  /// and end of the load.
  void add_cpu(double cpu_start, double cpu_end);
  /// Counts and histograms from the workers' totals; rates over `seconds`
  /// of load and from `begin_ns` to the last arrival; what did not arrive
  /// is lost.
  void take(const worker_stats& all, double seconds, uint64_t begin_ns,
            uint64_t last_ns);
  /// No errors, no cuts, nothing lost.
  bool clean() const { return errors == 0 && cut == 0 && lost == 0; }
};

nlohmann::json to_json(const result& r);
/// A human summary of one result (a few lines).
std::string describe(const result& r);
/// Milliseconds with two decimals from nanoseconds.
std::string ms(uint64_t ns);

} // namespace openassist::loadgen
