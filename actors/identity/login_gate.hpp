#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>

// Admission of password checks, so that a login flood from many addresses
// can neither take every core nor make correct logins wait behind it.
//
// A user id's login from an address where that user id signed in lately is
// *trusted* (the owner passes a key of both): it goes straight to the
// hasher. Every other login (whatever its user id: the
// gate decides before the user is looked up, so it tells nothing about
// which ids exist) takes one of a few *slots*, fewer than the hashers, so
// one core stays with the node's actors however many addresses flood.
// Beyond the slots a short queue waits; beyond the queue, or after waiting
// too long, a login is refused at once without hashing (errc::busy, try
// again in a few seconds). While failed or refused checks come at flood rate
// (at least `flood_failures` a minute), untrusted checks are also paced to
// `flood_per_second`: argon2id is memory-hard, and even one core of it
// slows the node's other work through the shared caches and memory.
// Not thread-safe: one owner (the auth actor), which calls pump() again
// after wake_in_ms() while checks wait for their pace.
namespace openassist::actors {

struct login_gate_limits {
  size_t slots = 1;                       ///< untrusted checks running at once
  size_t queue = 16;                      ///< untrusted checks waiting at most
  int64_t max_wait_ms = 10'000;           ///< a waiting check older is refused
  size_t max_trusted = 10'000;            ///< trusted addresses remembered
  int64_t trusted_ms = 30LL * 86'400'000; ///< how long a success trusts
  size_t flood_failures = 60;       ///< failed or refused a minute: a flood
  int64_t flood_interval_ms = 1000; ///< untrusted checks start this far apart
};

class login_gate {
public:
  enum class admit { now, queued, busy };

  explicit login_gate(login_gate_limits limits = {});

  /// Whether `key` (auth: address and user id) signed in lately.
  bool trusted(const std::string& key, int64_t now_ms) const;
  /// A successful login of `key`.
  void trust(const std::string& key, int64_t now_ms);

  /// An untrusted check: `start` runs now (a slot was free) or later, when
  /// one is; `refuse` answers it instead when it waited too long. Nothing
  /// runs and `busy` is returned when the queue is full.
  admit enter(std::function<void()> start, std::function<void()> refuse,
              int64_t now_ms);
  /// A check that entered has ended (answered or failed): its slot goes to
  /// the oldest waiting one that has not waited too long.
  void leave(int64_t now_ms);
  /// A check that ran found a wrong password (or an unknown user id). The
  /// gate counts its own refusals (queue full, waited too long) the same.
  void failed(int64_t now_ms);
  /// Whether failures come at flood rate now (untrusted checks are paced).
  bool flooded(int64_t now_ms);
  /// Starts (or refuses, when too old) waiting checks as slots and the pace
  /// allow.
  void pump(int64_t now_ms);
  /// Milliseconds until a waiting check may start by the pace; 0 when none
  /// waits for it.
  int64_t wake_in_ms(int64_t now_ms);

  size_t running() const { return running_; }
  size_t waiting() const { return waiting_.size(); }
  size_t trusted_count() const { return trusted_.size(); }
  const login_gate_limits& limits() const { return limits_; }

private:
  struct waiter {
    int64_t since_ms;
    std::function<void()> start;
    std::function<void()> refuse;
  };
  login_gate_limits limits_;
  bool may_start(int64_t now_ms);
  void start(std::function<void()>& run, int64_t now_ms);

  size_t running_ = 0;
  std::deque<waiter> waiting_;
  std::deque<int64_t> failures_; ///< within the last minute, oldest first
  int64_t next_start_ms_ = 0;    ///< paced: no untrusted check before
  std::unordered_map<std::string, int64_t> trusted_; ///< key -> last ms
};

} // namespace openassist::actors
