#include "actors/intake/queue_model.hpp"

#include <algorithm>

namespace openassist::actors::desk {

int64_t queue_model::push(uint64_t id, bool front) {
  remove(id);
  auto order = front ? next_front_-- : next_back_++;
  waiting_.emplace(order, id);
  order_of_[id] = order;
  return order;
}

void queue_model::restore(uint64_t id, int64_t order) {
  remove(id);
  waiting_.emplace(order, id);
  order_of_[id] = order;
  next_back_ = std::max(next_back_, order + 1);
  next_front_ = std::min(next_front_, order - 1);
}

bool queue_model::remove(uint64_t id) {
  auto i = order_of_.find(id);
  if (i == order_of_.end())
    return false;
  waiting_.erase({i->second, id});
  order_of_.erase(i);
  return true;
}

std::optional<uint64_t> queue_model::front() const {
  if (waiting_.empty())
    return std::nullopt;
  return waiting_.begin()->second;
}

size_t queue_model::position(uint64_t id) const {
  auto i = order_of_.find(id);
  if (i == order_of_.end())
    return 0;
  auto at = waiting_.find({i->second, id});
  return static_cast<size_t>(std::distance(waiting_.begin(), at)) + 1;
}

std::vector<uint64_t> queue_model::in_order() const {
  std::vector<uint64_t> ids;
  ids.reserve(waiting_.size());
  for (auto& [order, id] : waiting_)
    ids.push_back(id);
  return ids;
}

void queue_model::record_handle(double seconds) {
  if (handle_n_ == 0 && handle_avg_s_ > 0)
    handle_n_ = 10; // an average stored without its count
  ++handle_n_;
  double weight = std::max(1.0 / static_cast<double>(handle_n_), 0.1);
  handle_avg_s_ += weight * (std::max(0.0, seconds) - handle_avg_s_);
}

int64_t queue_model::handle_s(int64_t default_s) const {
  return handle_avg_s_ <= 0
           ? default_s
           : std::max<int64_t>(1, static_cast<int64_t>(handle_avg_s_ + 0.5));
}

std::optional<int64_t>
queue_model::wait_estimate_s(size_t place, int servers,
                             int64_t default_handle_s) const {
  if (servers <= 0)
    return std::nullopt;
  auto k = static_cast<int64_t>(place);
  return (k * handle_s(default_handle_s) + servers - 1) / servers;
}

void queue_model::restore_handle(double average_s, int64_t sessions) {
  handle_avg_s_ = std::max(0.0, average_s);
  handle_n_ = std::max<int64_t>(0, sessions);
}

} // namespace openassist::actors::desk
