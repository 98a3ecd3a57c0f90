#pragma once

// Bulk socket writes in slices, so that one broadcast does not hold the I/O
// thread. Beast-free; unit tested directly.

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace openassist::gateways {

/// Runs jobs handed over from any thread on an io_context, at most `slice`
/// per turn. A chat line pushed to a thousand followers is a thousand socket
/// writes; posted one by one they all run before the I/O thread polls its
/// sockets again, so a client waiting for the answer to its own message waits
/// behind the whole burst. Through the pump the burst goes out `slice` writes
/// at a time, and between two turns the I/O thread reads and runs what was
/// posted meanwhile (replies are posted directly, not through the pump).
///
/// Two lanes: a broadcast's writes (the same line to many sockets) go in the
/// bulk lane, a connection's own messages (an alert to a console, a queue
/// position to a customer) in the normal lane, which a turn serves first: an
/// alert does not wait behind a thousand copies of someone else's chat line.
/// Jobs of one lane run in the order they were scheduled.
class write_pump : public std::enable_shared_from_this<write_pump> {
public:
  enum class lane { normal, bulk };

  write_pump(boost::asio::io_context& ioc, size_t slice)
    : ioc_(ioc), slice_(slice == 0 ? 1 : slice) {}

  /// From any thread.
  void schedule(std::function<void()> job, lane l = lane::normal) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      (l == lane::bulk ? bulk_ : jobs_).push_back(std::move(job));
      wake = !posted_;
      posted_ = true;
    }
    if (wake)
      post_turn();
  }

  /// Jobs waiting for a turn (for tests and metrics).
  size_t waiting() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return jobs_.size() + bulk_.size();
  }

private:
  void post_turn() {
    boost::asio::post(ioc_, [self = shared_from_this()] { self->turn(); });
  }

  void turn() {
    std::deque<std::function<void()>> now;
    bool more = false;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      take(jobs_, slice_, now);
      take(bulk_, slice_ - now.size(), now);
      more = !jobs_.empty() || !bulk_.empty();
      posted_ = more;
    }
    for (auto& job : now)
      job();
    // Behind whatever was posted while this turn ran (the reactor's turn
    // among it), not before.
    if (more)
      post_turn();
  }

  static void take(std::deque<std::function<void()>>& from, size_t n,
                   std::deque<std::function<void()>>& to) {
    n = std::min(n, from.size());
    to.insert(to.end(), std::make_move_iterator(from.begin()),
              std::make_move_iterator(from.begin() + n));
    from.erase(from.begin(), from.begin() + n);
  }

  boost::asio::io_context& ioc_;
  size_t slice_;
  mutable std::mutex mtx_;
  std::deque<std::function<void()>> jobs_; ///< the normal lane
  std::deque<std::function<void()>> bulk_;
  bool posted_ = false;
};

} // namespace openassist::gateways
