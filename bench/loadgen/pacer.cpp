#include "pacer.hpp"

#include "workers.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

namespace openassist::loadgen {

pacer::pacer(boost::asio::io_context& io, uint64_t start_ns, double rate,
             uint64_t count, fire_fn fire, std::function<void()> done)
  : timer_(io), start_ns_(start_ns), period_ns_(1e9 / rate), count_(count),
    fire_(std::move(fire)), done_(std::move(done)) {}

void pacer::start() {
  boost::asio::post(timer_.get_executor(),
                    [self = shared_from_this()] { self->tick(); });
}

void pacer::tick() {
  const uint64_t now = now_ns();
  while (next_ < count_ && scheduled(next_) <= now) {
    fire_(next_, scheduled(next_));
    ++next_;
  }
  if (next_ >= count_) {
    if (done_)
      done_();
    return;
  }
  timer_.expires_at(std::chrono::steady_clock::time_point(
    std::chrono::nanoseconds(scheduled(next_))));
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec)
      self->tick();
  });
}

} // namespace openassist::loadgen
