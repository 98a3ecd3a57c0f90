#include "actors/rate_limiter.hpp"

#include <algorithm>
#include <array>

#include <arpa/inet.h>

namespace openassist::actors {

rate_limiter::rate_limiter(rate_limit limit) : limit_(limit) {
  limit_.per_key = std::max<size_t>(limit_.per_key, 1);
  limit_.window_ms = std::max<int64_t>(limit_.window_ms, 1);
  limit_.max_keys = std::max<size_t>(limit_.max_keys, 1);
  if (limit_.global == 0 || limit_.global > limit_.max_keys)
    limit_.global = limit_.max_keys;
}

void rate_limiter::expire(int64_t now_ms) {
  auto horizon = now_ms - limit_.window_ms;
  while (!all_.empty() && all_.front() <= horizon)
    all_.pop_front();
  // Only hit() moves a key to the front, so the list is in the order of each
  // key's newest event: the dead keys are a tail.
  while (!lru_.empty()) {
    auto i = entries_.find(lru_.back());
    if (i != entries_.end() && !i->second.times.empty() &&
        i->second.times.back() > horizon)
      break;
    if (i != entries_.end())
      entries_.erase(i);
    lru_.pop_back();
  }
}

int64_t rate_limiter::key_retry_ms(entry& e, int64_t now_ms) const {
  auto horizon = now_ms - limit_.window_ms;
  while (!e.times.empty() && e.times.front() <= horizon)
    e.times.pop_front();
  if (e.times.size() < limit_.per_key)
    return 0;
  return e.times.front() + limit_.window_ms - now_ms;
}

int64_t rate_limiter::global_retry_ms(int64_t now_ms) {
  if (all_.size() < limit_.global)
    return 0;
  // The event that must leave the window before one more fits.
  auto i = all_.size() - limit_.global;
  return all_[i] + limit_.window_ms - now_ms;
}

int64_t rate_limiter::retry_after_ms(const std::string& key, int64_t now_ms) {
  expire(now_ms);
  int64_t wait = global_retry_ms(now_ms);
  if (auto i = entries_.find(key); i != entries_.end())
    wait = std::max(wait, key_retry_ms(i->second, now_ms));
  return std::max<int64_t>(wait, 0);
}

bool rate_limiter::allowed(const std::string& key, int64_t now_ms) {
  return retry_after_ms(key, now_ms) == 0;
}

void rate_limiter::hit(const std::string& key, int64_t now_ms) {
  expire(now_ms);
  all_.push_back(now_ms);
  // Callers that hit without asking may exceed the ceiling; keep it bounded.
  while (all_.size() > 2 * limit_.global)
    all_.pop_front();
  auto i = entries_.find(key);
  if (i == entries_.end()) {
    if (entries_.size() >= limit_.max_keys) {
      // Full of live keys: the least recently used goes. With the global
      // ceiling below the table's size this does not happen.
      entries_.erase(lru_.back());
      lru_.pop_back();
      ++evicted_;
    }
    lru_.push_front(key);
    i = entries_.emplace(key, entry{{}, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, i->second.lru);
  }
  auto& times = i->second.times;
  times.push_back(now_ms);
  while (times.size() > limit_.per_key)
    times.pop_front();
}

bool rate_limiter::try_hit(const std::string& key, int64_t now_ms) {
  if (!allowed(key, now_ms))
    return false;
  hit(key, now_ms);
  return true;
}

void rate_limiter::forget(const std::string& key) {
  auto i = entries_.find(key);
  if (i == entries_.end())
    return;
  lru_.erase(i->second.lru);
  entries_.erase(i);
}

std::string address_key(std::string_view address) {
  std::string text{address};
  if (auto pct = text.find('%'); pct != std::string::npos)
    text.resize(pct); // a link-local zone id
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  std::array<unsigned char, 16> v6{};
  if (text.find(':') == std::string::npos ||
      inet_pton(AF_INET6, text.c_str(), v6.data()) != 1)
    return std::string{address};
  static constexpr std::array<unsigned char, 12> mapped{0, 0, 0, 0, 0,    0,
                                                        0, 0, 0, 0, 0xff, 0xff};
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (std::equal(mapped.begin(), mapped.end(), v6.begin())) {
    inet_ntop(AF_INET, v6.data() + 12, out.data(), out.size());
    return out.data();
  }
  std::fill(v6.begin() + 8, v6.end(), 0);
  inet_ntop(AF_INET6, v6.data(), out.data(), out.size());
  return std::string{out.data()} + "/64";
}

} // namespace openassist::actors
