#include "actors/connection_codes.hpp"

#include <sodium.h>

namespace openassist::actors {

std::string new_connection_code() {
  [[maybe_unused]] static const int ready = sodium_init();
  // randombytes_uniform avoids modulo bias.
  auto n = randombytes_uniform(1'000'000'000u);
  auto s = std::to_string(n);
  return std::string(connection_code_digits - s.size(), '0') + s;
}

bool well_formed_connection_code(const std::string& code) {
  if (code.size() != connection_code_digits)
    return false;
  for (char c : code)
    if (c < '0' || c > '9')
      return false;
  return true;
}

void guess_limiter::expire(std::deque<int64_t>& q, int64_t now_s) const {
  while (!q.empty() && q.front() <= now_s - window_s_)
    q.pop_front();
}

bool guess_limiter::allowed(const std::string& address, int64_t now_s) {
  return retry_after(address, now_s) == 0;
}

void guess_limiter::wrong(const std::string& address, int64_t now_s) {
  // Bound the table against floods of distinct addresses.
  if (wrong_.size() > 100000)
    wrong_.clear();
  auto& q = wrong_[address];
  expire(q, now_s);
  q.push_back(now_s);
}

int64_t guess_limiter::retry_after(const std::string& address, int64_t now_s) {
  auto i = wrong_.find(address);
  if (i == wrong_.end())
    return 0;
  expire(i->second, now_s);
  if (i->second.size() < max_wrong_) {
    if (i->second.empty())
      wrong_.erase(i);
    return 0;
  }
  return i->second.front() + window_s_ - now_s;
}

} // namespace openassist::actors
