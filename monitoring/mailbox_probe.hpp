#pragma once

#include <cstddef>

#include <prometheus/gauge.h>

namespace openassist::monitoring {

/// One actor's share of a mailbox-depth gauge
/// (`openassist_mailbox_messages{kind}`): the gauge sums the messages waiting
/// for all live actors of a kind, so an SRE sees a backlog build up before it
/// becomes memory. The actor calls `sample(self)` at the top of its busy
/// handlers (the message being handled is already out of the mailbox); when
/// the depth changed, the gauge moves by the difference. What the actor last
/// reported is taken back out when the probe is destroyed with the actor's
/// state. A probe without a gauge does nothing.
class mailbox_probe {
public:
  mailbox_probe() = default;
  explicit mailbox_probe(prometheus::Gauge* gauge) : gauge_(gauge) {}
  mailbox_probe(const mailbox_probe&) = delete;
  mailbox_probe& operator=(const mailbox_probe&) = delete;
  mailbox_probe(mailbox_probe&& other) noexcept
    : gauge_(other.gauge_), reported_(other.reported_) {
    other.gauge_ = nullptr;
    other.reported_ = 0;
  }
  mailbox_probe& operator=(mailbox_probe&& other) noexcept {
    if (this != &other) {
      release();
      gauge_ = other.gauge_;
      reported_ = other.reported_;
      other.gauge_ = nullptr;
      other.reported_ = 0;
    }
    return *this;
  }
  ~mailbox_probe() { release(); }

  /// Reports the depth of `self`'s mailbox; only from inside the actor.
  template <class Self>
  void sample(Self* self) {
    if (gauge_ != nullptr)
      report(self->mailbox().size());
  }

  /// Reports `depth` messages waiting (for tests and non-CAF queues).
  void report(size_t depth) {
    if (gauge_ == nullptr || depth == reported_)
      return;
    gauge_->Increment(static_cast<double>(depth) -
                      static_cast<double>(reported_));
    reported_ = depth;
  }

  size_t reported() const { return reported_; }

private:
  void release() {
    if (gauge_ != nullptr && reported_ != 0)
      gauge_->Decrement(static_cast<double>(reported_));
    reported_ = 0;
  }

  prometheus::Gauge* gauge_ = nullptr;
  size_t reported_ = 0;
};

} // namespace openassist::monitoring
