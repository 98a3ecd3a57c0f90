#pragma once

#include <chrono>
#include <cstdint>

// The wall clock, as actors read it unless a test gives them its own.
namespace openassist::actors {

/// Now, in Unix milliseconds.
inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Now, in Unix seconds.
inline int64_t wall_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace openassist::actors
