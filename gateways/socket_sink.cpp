#include "gateways/socket_sink.hpp"

#include "gateways/connection.hpp"

#include <utility>

namespace openassist::gateways {

socket_sink::socket_sink(std::shared_ptr<ws_outbox> out)
  : out_(std::move(out)) {}

void socket_sink::write(std::shared_ptr<const std::string> text) {
  if (!text)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  if (holds_ == 0) {
    out_->send_shared(std::move(text));
    return;
  }
  if (overflow_)
    return;
  if (held_bytes_ + text->size() > max_held_bytes) {
    // Dropping a line would break the member's chat: it is disconnected
    // when the sink opens and resumes from its last line.
    overflow_ = true;
    held_.clear();
    held_bytes_ = 0;
    return;
  }
  held_bytes_ += text->size();
  held_.push_back(std::move(text));
}

bool socket_sink::write_frame(std::shared_ptr<const std::string> tagged) {
  if (!tagged)
    return true;
  if (out_->queued_bytes() > screen_queue_limit)
    return false;
  out_->send_shared_binary(std::move(tagged));
  return true;
}

void socket_sink::hold() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++holds_;
}

void socket_sink::open() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (holds_ == 0 || --holds_ > 0)
    return;
  if (overflow_) {
    overflow_ = false;
    out_->close(1013, "too much chat while resuming; resume again");
    return;
  }
  // Under the lock, so that a broadcast written meanwhile comes after.
  for (auto& text : held_)
    out_->send_shared(std::move(text));
  held_.clear();
  held_bytes_ = 0;
}

} // namespace openassist::gateways
