#include "actors/login_gate.hpp"

#include <algorithm>

namespace openassist::actors {

login_gate::login_gate(login_gate_limits limits) : limits_(limits) {
  limits_.slots = std::max<size_t>(1, limits_.slots);
}

bool login_gate::trusted(const std::string& address, int64_t now_ms) const {
  auto i = trusted_.find(address);
  return i != trusted_.end() && now_ms - i->second < limits_.trusted_ms;
}

void login_gate::trust(const std::string& address, int64_t now_ms) {
  if (limits_.max_trusted == 0)
    return;
  if (!trusted_.count(address) && trusted_.size() >= limits_.max_trusted) {
    // Only successful logins add entries, so this is rare and bounded:
    // drop the expired ones, else the least recently trusted.
    std::erase_if(trusted_, [&](auto& e) {
      return now_ms - e.second >= limits_.trusted_ms;
    });
    if (trusted_.size() >= limits_.max_trusted)
      trusted_.erase(
        std::min_element(trusted_.begin(), trusted_.end(),
                         [](auto& a, auto& b) { return a.second < b.second; }));
  }
  trusted_[address] = now_ms;
}

login_gate::admit login_gate::enter(std::function<void()> start,
                                    std::function<void()> refuse,
                                    int64_t now_ms) {
  if (running_ < limits_.slots && waiting_.empty()) {
    ++running_;
    start();
    return admit::now;
  }
  if (waiting_.size() >= limits_.queue)
    return admit::busy;
  waiting_.push_back({now_ms, std::move(start), std::move(refuse)});
  return admit::queued;
}

void login_gate::leave(int64_t now_ms) {
  if (running_ > 0)
    --running_;
  while (running_ < limits_.slots && !waiting_.empty()) {
    auto w = std::move(waiting_.front());
    waiting_.pop_front();
    if (now_ms - w.since_ms > limits_.max_wait_ms) {
      w.refuse();
      continue;
    }
    ++running_;
    w.start();
  }
}

} // namespace openassist::actors
