#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

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

/// Counts wrong guesses per address in a sliding window.
class guess_limiter {
public:
  guess_limiter(size_t max_wrong, int64_t window_s)
    : max_wrong_(max_wrong), window_s_(window_s) {}

  /// Whether `address` may try a code now.
  bool allowed(const std::string& address, int64_t now_s);
  /// Records a wrong code from `address`.
  void wrong(const std::string& address, int64_t now_s);
  /// Seconds until `address` may try again (0 if allowed).
  int64_t retry_after(const std::string& address, int64_t now_s);

private:
  void expire(std::deque<int64_t>& q, int64_t now_s) const;
  size_t max_wrong_;
  int64_t window_s_;
  std::unordered_map<std::string, std::deque<int64_t>> wrong_;
};

} // namespace openassist::actors
