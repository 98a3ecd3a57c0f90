#pragma once

#include <array>
#include <cstdint>

namespace openassist::loadgen {

/// Latencies in nanoseconds, counted HDR-style: exact below 256 ns, then 128
/// buckets per power of two (under 0.8 % relative error), from 1 ns to the
/// largest uint64. Fixed size (58 KiB), no allocation when recording, so
/// every worker thread keeps its own and they are merged at the end.
class histogram {
public:
  void record(uint64_t ns);
  void merge(const histogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  /// The value below which `p` percent of the recorded values lie (upper
  /// bound of its bucket, capped at the largest value); 0 when empty.
  uint64_t percentile(double p) const;
  double mean() const;

  static constexpr unsigned sub_bits = 7;
  static constexpr unsigned linear = 2u << sub_bits; // 256 exact values
  static constexpr unsigned buckets =
    linear + (64 - (sub_bits + 1)) * (1u << sub_bits);

  static unsigned index_of(uint64_t ns);
  /// The largest value that falls into bucket `index`.
  static uint64_t upper_bound(unsigned index);

private:
  std::array<uint64_t, buckets> counts_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  long double sum_ = 0;
};

} // namespace openassist::loadgen
