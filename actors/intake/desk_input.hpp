#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/intake/failure.hpp"

// Small readers shared by the desk model's files: a text member of stored
// JSON (never throws), the length of text as people count it, and the
// bad_field failure of a rule.
namespace openassist::actors::desk {

using json = nlohmann::json;

// A string member, "" when absent or of another type (never throws).
inline std::string text_of(const json& j, const char* key) {
  auto i = j.find(key);
  return i != j.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

// Characters (code points) of UTF-8 text, as people count them.
inline size_t chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

inline failure bad(const std::string& field, const char* rule,
                   std::string message) {
  failure f{errc::bad_field, "bad_field", std::move(message), field};
  f.rule = rule;
  return f;
}

} // namespace openassist::actors::desk
