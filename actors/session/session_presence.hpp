#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

// Whether the customer's page is in an active session (docs/sessions.md,
// "The customer's presence"): the customer is *here* while one of their
// pages is a member of the session, *gone* from when the last one went.
// Going and coming back are said in the chat, debounced: "The customer left
// the page" only once they stayed away for the session's grace (a reload is
// quicker), and "The customer is back" only after that line.
namespace openassist::actors {

class customer_presence {
public:
  /// A customer page became a member; true when "back" is to be said.
  bool arrived(int64_t now_ms);
  /// The last customer page went; the round whose grace check counts.
  uint64_t departed(int64_t now_ms);
  /// The grace after `departed` passed; true when "left the page" is to be
  /// said (still gone, not said yet, and no later change).
  bool grace_over(uint64_t round);
  /// The session left `active`: nothing more is said; pending checks lapse.
  void ended();
  bool here() const { return here_; }
  /// The page's screen sharing ended because the page went (until back).
  void screen_ended() { screen_ended_ = true; }
  /// `{"customer":"here"|"gone","since":ms,"screen_ended":bool}`; `since` is
  /// 0 while the customer was not seen by this session yet.
  nlohmann::json view() const;

private:
  bool seen_ = false;
  bool here_ = false;
  bool announced_ = false;
  bool screen_ended_ = false;
  int64_t since_ms_ = 0;
  uint64_t round_ = 0;
};

} // namespace openassist::actors
