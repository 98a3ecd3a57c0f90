#include "workers.hpp"

#include <chrono>
#include <thread>

namespace openassist::loadgen {

void worker_stats::error(const std::string& what) {
  ++errors;
  if (first_error.empty())
    first_error = what;
}

void worker_stats::merge(const worker_stats& other) {
  latency.merge(other.latency);
  answer.merge(other.answer);
  sent += other.sent;
  received += other.received;
  answered += other.answered;
  errors += other.errors;
  cut += other.cut;
  bytes += other.bytes;
  if (first_error.empty())
    first_error = other.first_error;
}

workers::workers(unsigned count) {
  for (unsigned i = 0; i < count; ++i)
    loops_.push_back(std::make_unique<loop>());
}

workers::~workers() {
  stop();
}

void workers::run() {
  for (auto& l : loops_) {
    guards_.push_back(boost::asio::make_work_guard(l->io));
    l->io.restart();
    l->thread = std::thread([&io = l->io] { io.run(); });
  }
}

void workers::stop() {
  guards_.clear();
  for (auto& l : loops_) {
    // Reads stay pending on open sockets: stop the loop rather than wait.
    l->io.stop();
    if (l->thread.joinable())
      l->thread.join();
  }
}

worker_stats workers::total() const {
  worker_stats all;
  for (const auto& l : loops_)
    all.merge(l->stats);
  return all;
}

uint64_t await_arrivals(uint64_t end_ns, uint64_t drain_ns,
                        const std::atomic<uint64_t>& arrived,
                        const std::function<uint64_t()>& sent) {
  while (now_ns() < end_ns)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const uint64_t until = now_ns() + drain_ns;
  do
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  while (arrived.load() < sent() && now_ns() < until);
  return now_ns();
}

uint64_t now_ns() {
  return static_cast<uint64_t>(
    std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch())
      .count());
}

std::string source_address(unsigned n, unsigned count) {
  if (count == 0)
    return {};
  return "127.0.0." + std::to_string(2 + n % count);
}

} // namespace openassist::loadgen
