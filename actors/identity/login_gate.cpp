#include "actors/identity/login_gate.hpp"

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

bool login_gate::may_start(int64_t now_ms) {
  if (running_ >= limits_.slots)
    return false;
  return !flooded(now_ms) || now_ms >= next_start_ms_;
}

void login_gate::start(std::function<void()>& run, int64_t now_ms) {
  ++running_;
  next_start_ms_ = now_ms + limits_.flood_interval_ms;
  run();
}

login_gate::admit login_gate::enter(std::function<void()> start_check,
                                    std::function<void()> refuse,
                                    int64_t now_ms) {
  // Whatever may start or has waited too long goes first (robust against
  // an owner that missed a wake-up).
  pump(now_ms);
  if (waiting_.empty() && may_start(now_ms)) {
    start(start_check, now_ms);
    return admit::now;
  }
  if (waiting_.size() >= limits_.queue) {
    // Demand beyond the queue is a flood sign at once: waiting for the
    // refused ones' failures would leave a core hashing until they pile up.
    failed(now_ms);
    return admit::busy;
  }
  waiting_.push_back({now_ms, std::move(start_check), std::move(refuse)});
  return admit::queued;
}

void login_gate::leave(int64_t now_ms) {
  if (running_ > 0)
    --running_;
  pump(now_ms);
}

void login_gate::pump(int64_t now_ms) {
  while (!waiting_.empty()) {
    if (now_ms - waiting_.front().since_ms > limits_.max_wait_ms) {
      auto w = std::move(waiting_.front());
      waiting_.pop_front();
      failed(now_ms);
      w.refuse();
      continue;
    }
    if (!may_start(now_ms))
      return;
    auto w = std::move(waiting_.front());
    waiting_.pop_front();
    start(w.start, now_ms);
  }
}

void login_gate::failed(int64_t now_ms) {
  failures_.push_back(now_ms);
  // Bounded: a flood refused at its arrival rate adds one per login.
  while (failures_.size() > 100'000)
    failures_.pop_front();
}

bool login_gate::flooded(int64_t now_ms) {
  while (!failures_.empty() && failures_.front() <= now_ms - 60'000)
    failures_.pop_front();
  return limits_.flood_failures > 0 &&
         failures_.size() >= limits_.flood_failures;
}

int64_t login_gate::wake_in_ms(int64_t now_ms) {
  if (waiting_.empty() || running_ >= limits_.slots || !flooded(now_ms))
    return 0;
  return std::max<int64_t>(0, next_start_ms_ - now_ms);
}

} // namespace openassist::actors
