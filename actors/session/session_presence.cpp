#include "actors/session/session_presence.hpp"

namespace openassist::actors {

bool customer_presence::arrived(int64_t now_ms) {
  ++round_;
  bool back = announced_;
  if (!here_) {
    here_ = true;
    since_ms_ = now_ms;
  }
  seen_ = true;
  announced_ = false;
  screen_ended_ = false;
  return back;
}

uint64_t customer_presence::departed(int64_t now_ms) {
  here_ = false;
  since_ms_ = now_ms;
  return ++round_;
}

bool customer_presence::grace_over(uint64_t round) {
  if (round != round_ || here_ || announced_ || !seen_)
    return false;
  announced_ = true;
  return true;
}

void customer_presence::ended() {
  ++round_;
  announced_ = false;
}

nlohmann::json customer_presence::view() const {
  return {{"customer", here_ ? "here" : "gone"},
          {"since", seen_ ? since_ms_ : 0},
          {"screen_ended", !here_ && screen_ended_}};
}

} // namespace openassist::actors
