#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/intake/failure.hpp"

// Reading console commands: lenient accessors that never throw on outside
// input, shared by the desk model's command files.
namespace openassist::actors::desk {

using json = nlohmann::json;

// A string member, "" when absent or of another type (never throws).
inline std::string text_of(const json& j, const char* key) {
  auto i = j.find(key);
  return i != j.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

// A non-negative integer member, 0 when absent or not one.
inline uint64_t id_of(const json& j, const char* key) {
  auto i = j.find(key);
  if (i == j.end())
    return 0;
  if (i->is_number_unsigned())
    return i->get<uint64_t>();
  if (i->is_number_integer() && i->get<int64_t>() > 0)
    return static_cast<uint64_t>(i->get<int64_t>());
  return 0;
}

// The request a command names, as a digit string or a number; 0 if none.
inline uint64_t id_of_request(const json& cmd) {
  auto i = cmd.find("request_id");
  if (i != cmd.end() && i->is_string()) {
    auto s = i->get<std::string>();
    if (!s.empty() && s.size() < 19 &&
        s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoull(s);
    return 0;
  }
  return id_of(cmd, "request_id");
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
