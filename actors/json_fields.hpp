#pragma once

#include <nlohmann/json.hpp>

// Reading stored JSON documents leniently: a missing, null or mistyped member
// gives the fallback instead of an exception (stored records outlive the code
// that wrote them).
namespace openassist::actors {

template <class T>
T value_or(const nlohmann::json& j, const char* key, T fallback) {
  if (!j.is_object())
    return fallback;
  auto i = j.find(key);
  if (i == j.end() || i->is_null())
    return fallback;
  try {
    return i->get<T>();
  } catch (const nlohmann::json::exception&) {
    return fallback;
  }
}

} // namespace openassist::actors
