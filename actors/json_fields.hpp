#pragma once

#include <string>

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

/// JSON text of `j` that never throws: invalid UTF-8 in a string (outside
/// bytes) is replaced by U+FFFD instead of raising type_error 316.
inline std::string dump_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace openassist::actors
