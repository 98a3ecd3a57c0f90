#pragma once

#include <cstdint>
#include <string>

#include "actors/rate_limiter.hpp"

// Phone mode (SmartPin): 9-digit connection codes a technician reads to a
// customer. Random (never sequential), single-use, expiring; guessing is
// rate-limited per address. The presence actor of the technician owns the
// codes; the limiter sits with the portal intake.
namespace openassist::actors {

inline constexpr size_t connection_code_digits = 9;

/// A uniformly random 9-digit code (leading zeros kept), from libsodium's
/// CSPRNG.
std::string new_connection_code();

/// True for exactly 9 ASCII digits (what a customer may type, after spaces
/// and dashes are removed by the caller).
bool well_formed_connection_code(const std::string& code);

/// Counts wrong guesses per address (IPv6 by /64) in a sliding window, with
/// a ceiling over all addresses: a rate_limiter, so a flood of addresses
/// never resets the count of one that is throttled.
class guess_limiter {
public:
  guess_limiter(size_t max_wrong, int64_t window_s,
                size_t max_addresses = 20000, size_t global_wrong = 10000)
    : limiter_({max_wrong, window_s * 1000, max_addresses, global_wrong}) {}

  /// Whether `address` may try a code now.
  bool allowed(const std::string& address, int64_t now_s);
  /// Records a wrong code from `address`.
  void wrong(const std::string& address, int64_t now_s);
  /// Seconds until `address` may try again (0 if allowed).
  int64_t retry_after(const std::string& address, int64_t now_s);
  const rate_limiter& limiter() const { return limiter_; }

private:
  rate_limiter limiter_;
};

} // namespace openassist::actors
