#include "gateways/control_events.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>

namespace openassist::gateways {

namespace {

using json = nlohmann::json;

bool fraction(const json& e, const char* key, double& out) {
  auto i = e.find(key);
  if (i == e.end() || !i->is_number())
    return false;
  out = i->get<double>();
  return std::isfinite(out) && out >= 0.0 && out <= 1.0;
}

// A whole number from `lo` to `hi` (0 <= hi). Compared as parsed: a number
// above INT64_MAX (unsigned) must not wrap into range as a negative one.
bool whole(const json& e, const char* key, int64_t lo, int64_t hi,
           int64_t& out) {
  auto i = e.find(key);
  if (i == e.end() || !i->is_number_integer())
    return false;
  if (i->is_number_unsigned()) {
    auto u = i->get<uint64_t>();
    if (u > static_cast<uint64_t>(hi))
      return false;
    out = static_cast<int64_t>(u);
    return out >= lo;
  }
  out = i->get<int64_t>();
  return out >= lo && out <= hi;
}

// KeyboardEvent.code: letters, digits and names, nothing else.
bool key_code(const std::string& code) {
  if (code.empty() || code.size() > 32)
    return false;
  for (char c : code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0))
      return false;
  return true;
}

std::optional<json> one(const json& e, std::string& problem) {
  if (!e.is_object() || !e.contains("t") || !e["t"].is_string()) {
    problem = "each event is an object with a type t";
    return std::nullopt;
  }
  auto t = e["t"].get<std::string>();
  double x = 0;
  double y = 0;
  bool at = fraction(e, "x", x) && fraction(e, "y", y);
  auto flag = [&](const char* key) {
    auto i = e.find(key);
    return i != e.end() && i->is_boolean() && i->get<bool>();
  };
  if (t == "move") {
    if (!at) {
      problem = "move: x and y are fractions of the screen (0 to 1)";
      return std::nullopt;
    }
    return json{{"t", t}, {"x", x}, {"y", y}};
  }
  if (t == "button") {
    int64_t button = 0;
    if (!at || !whole(e, "button", 0, 2, button)) {
      problem = "button: x, y and a button 0, 1 or 2";
      return std::nullopt;
    }
    return json{
      {"t", t}, {"x", x}, {"y", y}, {"button", button}, {"down", flag("down")}};
  }
  if (t == "wheel") {
    int64_t dy = 0;
    if (!at || !whole(e, "dy", -100, 100, dy)) {
      problem = "wheel: x, y and dy, -100 to 100 steps";
      return std::nullopt;
    }
    return json{{"t", t}, {"x", x}, {"y", y}, {"dy", dy}};
  }
  if (t == "key") {
    auto c = e.find("code");
    if (c == e.end() || !c->is_string() || !key_code(c->get<std::string>())) {
      problem = "key: code is a KeyboardEvent.code such as KeyA";
      return std::nullopt;
    }
    return json{
      {"t", t}, {"code", c->get<std::string>()}, {"down", flag("down")}};
  }
  problem = "an event's t is move, button, wheel or key";
  return std::nullopt;
}

} // namespace

std::optional<std::string> check_control_events(const json& events,
                                                std::string& problem) {
  if (!events.is_array() || events.empty() ||
      events.size() > max_control_events) {
    problem = "events: an array of 1 to 64 input events";
    return std::nullopt;
  }
  json out = json::array();
  for (auto& e : events) {
    auto checked = one(e, problem);
    if (!checked)
      return std::nullopt;
    out.push_back(std::move(*checked));
  }
  return out.dump();
}

} // namespace openassist::gateways
