#include "gateways/app_codes.hpp"

#include <algorithm>

#include <sodium.h>

namespace openassist::gateways {

std::string app_codes::mint(grant g, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mutex_};
  expire(now_ms);
  std::string code;
  do {
    code.clear();
    for (size_t i = 0; i < digits; ++i)
      code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  } while (codes_.count(code) != 0);
  while (codes_.size() >= max_codes && !order_.empty()) {
    codes_.erase(order_.front());
    order_.pop_front();
  }
  codes_[code] = held{std::move(g), now_ms + lifetime_ms};
  order_.push_back(code);
  return code;
}

std::optional<app_codes::grant> app_codes::redeem(const std::string& code,
                                                  int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mutex_};
  expire(now_ms);
  auto i = codes_.find(code);
  if (i == codes_.end() || i->second.expires_ms <= now_ms)
    return std::nullopt;
  auto g = std::move(i->second.g);
  codes_.erase(i);
  return g;
}

int64_t app_codes::wait_s(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto key = actors::address_key(address);
  if (tries_.try_hit(key, now_ms))
    return 0;
  return std::max<int64_t>(1,
                           (tries_.retry_after_ms(key, now_ms) + 999) / 1000);
}

size_t app_codes::size() {
  std::lock_guard<std::mutex> guard{mutex_};
  return codes_.size();
}

// Codes are minted in time order, so the expired ones are at the front.
void app_codes::expire(int64_t now_ms) {
  while (!order_.empty()) {
    auto i = codes_.find(order_.front());
    if (i != codes_.end() && i->second.expires_ms > now_ms)
      return;
    if (i != codes_.end())
      codes_.erase(i);
    order_.pop_front();
  }
}

} // namespace openassist::gateways
