#include "actors/intake/presence_model.hpp"

namespace openassist::actors::desk {

bool presence_model::valid_status(const std::string& s) {
  return s == "available" || s == "busy" || s == "away" || s == "offline";
}

bool presence_model::choose(const std::string& s) {
  if (!valid_status(s) || s == chosen_)
    return false;
  chosen_ = s;
  return true;
}

std::string presence_model::effective() const {
  return consoles_ == 0 ? std::string{"offline"} : chosen_;
}

bool presence_model::connect() {
  offline_at_ms_ = 0;
  return ++consoles_ == 1;
}

bool presence_model::disconnect(int64_t now_ms, int64_t grace_ms) {
  if (consoles_ == 0)
    return false;
  if (--consoles_ > 0)
    return false;
  offline_at_ms_ = now_ms + grace_ms;
  return true;
}

void presence_model::expect_until(int64_t deadline_ms) {
  if (consoles_ == 0)
    offline_at_ms_ = deadline_ms;
}

bool presence_model::grace_over(int64_t now_ms) {
  if (consoles_ != 0 || offline_at_ms_ == 0 || offline_at_ms_ > now_ms)
    return false;
  offline_at_ms_ = 0;
  return true;
}

bool presence_model::hold(uint64_t id, int max, int64_t now_ms) {
  if (!holds(id)) {
    if (!has_room(max))
      return false;
    held_.insert(id);
  }
  last_assigned_ms_ = now_ms;
  return true;
}

void presence_model::restore(std::string chosen, int64_t last_assigned_ms) {
  chosen_ = valid_status(chosen) ? std::move(chosen) : "available";
  last_assigned_ms_ = last_assigned_ms;
}

} // namespace openassist::actors::desk
