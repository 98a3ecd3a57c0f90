#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace openassist::loadgen {

unsigned histogram::index_of(uint64_t ns) {
  if (ns < linear)
    return static_cast<unsigned>(ns);
  // The top sub_bits + 1 bits of the value pick the bucket.
  const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(ns));
  const unsigned shift = msb - sub_bits;
  const auto sub = static_cast<unsigned>(ns >> shift) - (1u << sub_bits);
  return linear + (msb - (sub_bits + 1)) * (1u << sub_bits) + sub;
}

uint64_t histogram::upper_bound(unsigned index) {
  if (index < linear)
    return index;
  const unsigned rest = index - linear;
  const unsigned msb = rest / (1u << sub_bits) + sub_bits + 1;
  const unsigned sub = rest % (1u << sub_bits);
  const unsigned shift = msb - sub_bits;
  const uint64_t low = (uint64_t{(1u << sub_bits) + sub}) << shift;
  return low + ((uint64_t{1} << shift) - 1);
}

void histogram::record(uint64_t ns) {
  ++counts_[index_of(ns)];
  ++count_;
  max_ = std::max(max_, ns);
  sum_ += static_cast<long double>(ns);
}

void histogram::merge(const histogram& other) {
  for (unsigned i = 0; i < buckets; ++i)
    counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

uint64_t histogram::percentile(double p) const {
  if (count_ == 0)
    return 0;
  // The rank of the value asked for, 1-based: p = 50 of 4 values is the 2nd.
  const auto rank = std::max<uint64_t>(
    1,
    static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (unsigned i = 0; i < buckets; ++i) {
    seen += counts_[i];
    if (seen >= rank)
      return std::min(upper_bound(i), max_);
  }
  return max_;
}

double histogram::mean() const {
  return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_))
                : 0.0;
}

} // namespace openassist::loadgen
