#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "agent/display.hpp"
#include "agent/join.hpp"
#include "agent/link.hpp"
#include "agent/target.hpp"
#include "agent/tiles.hpp"
#include "agent/ui.hpp"

// The support app in a session (docs/remote-control.md): attaches as the
// request's app, shares the screen from the start (starting the app is the
// customer's consent to that), asks the customer before the technician may
// use mouse and keyboard and injects their input only while allowed, sends
// the computer's details when asked, and follows the chat. After a cut it
// attaches again and goes on; it ends with the session.
namespace openassist::agent {

struct app_options {
  std::string display; ///< X display ("" for $DISPLAY)
  int fps = 10;        ///< frames a second at most while the screen changes
  int quality = 70;    ///< JPEG quality to start with
};

class app {
public:
  app(app_options opts, target where, joined session, ui& face);
  ~app();

  /// Runs until the session ends or the customer quits; the exit code.
  int run();

private:
  void on_open();
  void on_text(const std::string& text);
  void on_message(const nlohmann::json& m);
  void on_closed(const std::string& why);
  void send(const nlohmann::json& m);
  void apply_input(const nlohmann::json& events);
  void screen_loop();
  void set_controlling(bool on, const std::string& technician);
  void end(const std::string& why);

  app_options opts_;
  joined session_;
  ui& ui_;
  link link_;
  std::unique_ptr<display> input_; ///< the X connection for input
  std::mutex mutex_;               ///< guards what follows
  uint64_t last_seq_ = 0;
  bool attached_ = false;
  bool want_sharing_ = true; ///< the customer has not stopped it
  std::string asked_by_;     ///< a technician waiting for consent
  std::atomic<bool> sharing_{false};
  std::atomic<bool> controlling_{false};
  std::atomic<bool> keyframe_{true};
  std::atomic<int> quality_{70};
  std::atomic<int64_t> lowered_ms_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  std::thread screen_;
  std::thread diagnostics_; ///< reading the computer's details
};

} // namespace openassist::agent
