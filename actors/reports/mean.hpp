#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace openassist::actors::reports {

/// A sum and a count, and the largest value seen; JSON null when empty.
struct mean {
  int64_t sum = 0, count = 0, max = 0;
  void add(int64_t v) {
    sum += v;
    ++count;
    max = std::max(max, v);
  }
  bool operator==(const mean&) const = default;
  void merge(const mean& o) {
    sum += o.sum;
    count += o.count;
    max = std::max(max, o.max);
  }
  nlohmann::json average() const {
    if (count == 0)
      return nullptr;
    return static_cast<int64_t>(
      std::llround(static_cast<double>(sum) / static_cast<double>(count)));
  }
  nlohmann::json largest() const {
    return count == 0 ? nlohmann::json(nullptr) : nlohmann::json(max);
  }
  nlohmann::json average_2() const { // two decimals
    if (count == 0)
      return nullptr;
    return std::round(static_cast<double>(sum) * 100.0 /
                      static_cast<double>(count)) /
           100.0;
  }
};

} // namespace openassist::actors::reports
