#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "actors/rate_limiter.hpp"

// One-time codes that let the customer's support app join a request
// (docs/remote-control.md, "Joining"): the customer's page, which holds the
// request's token, asks for a code; the app gives the code and gets the
// token. Kept in memory (a restart loses codes not used yet; the page asks
// again). Shared by the I/O threads, hence the mutex.
namespace openassist::gateways {

class app_codes {
public:
  /// What a code stands for.
  struct grant {
    std::string account;
    std::string request_id;
    std::string token;
    std::string portal; ///< the portal's slug
  };

  static constexpr int64_t lifetime_ms = 10 * 60 * 1000;
  static constexpr size_t digits = 10;
  /// Codes held at most; beyond it the oldest goes.
  static constexpr size_t max_codes = 100000;
  /// Joins tried per address and minute (right or wrong).
  static constexpr size_t tries_per_min = 10;

  /// A new code for `g`, good once until `now_ms + lifetime_ms`.
  std::string mint(grant g, int64_t now_ms);

  /// The grant of `code`, once; nullopt for a code that is unknown, used or
  /// expired.
  std::optional<grant> redeem(const std::string& code, int64_t now_ms);

  /// Whether `address` may try a code now (tries_per_min); 0 when it may,
  /// else the seconds to wait.
  int64_t wait_s(const std::string& address, int64_t now_ms);

  size_t size();

private:
  struct held {
    grant g;
    int64_t expires_ms = 0;
  };
  void expire(int64_t now_ms);

  std::mutex mutex_;
  std::map<std::string, held> codes_;
  std::deque<std::string> order_; ///< oldest first (may name used codes)
  actors::rate_limiter tries_{{tries_per_min, 60000, 100000, 100000}};
};

} // namespace openassist::gateways
