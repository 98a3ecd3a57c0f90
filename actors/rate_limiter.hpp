#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

// One throttle for every "at most N per window" rule of the node: failed
// logins per user and address, SmartPin guesses, intakes and public reads per
// address. Its table is bounded without ever being wiped: keys expire by
// time, the least recently used go first when it is full, and a global
// ceiling over all keys keeps live keys below the table's size, so an
// attacker who rotates addresses cannot push a throttled key out.
// Not thread-safe: one owner (an actor, or a mutex in a gateway).
namespace openassist::actors {

struct rate_limit {
  size_t per_key = 5;        ///< events per key within the window
  int64_t window_ms = 60000; ///< sliding window
  size_t max_keys = 100000;  ///< keys tracked at most
  /// Events of all keys within the window; beyond it every key waits. At
  /// most max_keys (clamped): then live keys always fit in the table.
  size_t global = 50000;
};

class rate_limiter {
public:
  explicit rate_limiter(rate_limit limit = {});

  /// Whether `key` may act now: below its own limit and the global one.
  bool allowed(const std::string& key, int64_t now_ms);
  /// Milliseconds until `key` may act (0: now).
  int64_t retry_after_ms(const std::string& key, int64_t now_ms);
  /// Records one event of `key` (callers check allowed() first).
  void hit(const std::string& key, int64_t now_ms);
  /// allowed() and, if so, hit(): whether the event was admitted.
  bool try_hit(const std::string& key, int64_t now_ms);
  /// Forgets `key`'s events (its global share stays counted).
  void forget(const std::string& key);

  size_t keys() const { return entries_.size(); }
  /// Live keys dropped because the table was full; stays 0 while callers
  /// check allowed() before hit().
  size_t evicted() const { return evicted_; }
  const rate_limit& limit() const { return limit_; }

private:
  struct entry {
    std::deque<int64_t> times; ///< the last per_key events, oldest first
    std::list<std::string>::iterator lru;
  };
  void expire(int64_t now_ms);
  int64_t key_retry_ms(entry& e, int64_t now_ms) const;
  int64_t global_retry_ms(int64_t now_ms);

  rate_limit limit_;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> lru_; ///< most recently hit first
  std::deque<int64_t> all_;    ///< event times of all keys, oldest first
  size_t evicted_ = 0;
};

/// The key an address is counted under: IPv4 as it is, IPv6 by its /64
/// (one subscriber gets a whole /64 for free), IPv4-mapped IPv6 as IPv4;
/// anything that is not an address is returned unchanged.
std::string address_key(std::string_view address);

} // namespace openassist::actors
