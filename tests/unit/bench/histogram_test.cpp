#define CAF_SUITE bench.histogram

#include "histogram.hpp"

#include <caf/test/unit_test.hpp>
#include <cstdint>

using openassist::loadgen::histogram;

CAF_TEST(small values are counted exactly) {
  histogram h;
  for (uint64_t v = 1; v <= 100; ++v)
    h.record(v);
  CAF_CHECK_EQUAL(h.count(), 100u);
  CAF_CHECK_EQUAL(h.percentile(50), 50u);
  CAF_CHECK_EQUAL(h.percentile(99), 99u);
  CAF_CHECK_EQUAL(h.percentile(100), 100u);
  CAF_CHECK_EQUAL(h.max(), 100u);
  CAF_CHECK_EQUAL(h.mean(), 50.5);
}

CAF_TEST(every value falls into a bucket whose bound is within one percent) {
  // Walk the whole range in growing steps: the bucket of v holds v, the
  // next bucket starts above it, and the bound is at most 0.8 % above v.
  for (uint64_t v = 1; v < (uint64_t{1} << 62); v += v / 37 + 1) {
    const unsigned i = histogram::index_of(v);
    if (i >= histogram::buckets)
      CAF_FAIL("index out of range for " << v);
    const uint64_t bound = histogram::upper_bound(i);
    if (bound < v)
      CAF_FAIL("bound " << bound << " below " << v);
    if (i > 0 && histogram::upper_bound(i - 1) >= v)
      CAF_FAIL("the bucket before holds " << v);
    if (static_cast<double>(bound - v) > 0.008 * static_cast<double>(v))
      CAF_FAIL("bound " << bound << " too far above " << v);
  }
  CAF_CHECK_EQUAL(histogram::index_of(UINT64_MAX), histogram::buckets - 1);
  CAF_CHECK_EQUAL(histogram::upper_bound(histogram::buckets - 1), UINT64_MAX);
}

CAF_TEST(percentiles of milliseconds keep their precision) {
  histogram h;
  // 990 fast values of 1 ms and 10 slow ones of 50 ms: p99 is fast, p99.9 slow.
  for (int i = 0; i < 990; ++i)
    h.record(1'000'000);
  for (int i = 0; i < 10; ++i)
    h.record(50'000'000);
  const auto p99 = h.percentile(99);
  const auto p999 = h.percentile(99.9);
  CAF_CHECK(p99 >= 1'000'000 && p99 < 1'008'000);
  CAF_CHECK(p999 >= 50'000'000 && p999 <= 50'000'000);
}

CAF_TEST(merged histograms count both) {
  histogram a;
  histogram b;
  a.record(10);
  b.record(1'000'000);
  b.record(3);
  a.merge(b);
  CAF_CHECK_EQUAL(a.count(), 3u);
  CAF_CHECK_EQUAL(a.max(), 1'000'000u);
  CAF_CHECK_EQUAL(a.percentile(0), 3u);
  CAF_CHECK_EQUAL(histogram().percentile(50), 0u);
}
