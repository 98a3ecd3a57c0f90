#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "agent/ui.hpp"

// The support app's window (FLTK): who helps, the chat, "Stop sharing" and
// "Stop control", visible for the whole session; and the question whether
// the technician may use mouse and keyboard, in a window of its own named
// "Allow remote control?" with Allow and Deny.
namespace openassist::agent {

class window_ui : public ui {
public:
  /// On the X display `display_name` ("": $DISPLAY).
  explicit window_ui(const std::string& display_name);
  ~window_ui() override;

  void set_actions(ui_actions a) override;
  void status(const std::string& text) override;
  void chat_line(const std::string& who, const std::string& text) override;
  void sharing(bool on) override;
  void controlling(bool on, const std::string& technician) override;
  void ask_control(const std::string& technician) override;
  void cancel_ask() override;
  void ended(const std::string& why) override;
  int run() override;

  struct widgets; ///< the FLTK widgets (window.cpp)

  /// What the widgets' callbacks report.
  void send_chat(const std::string& text);
  void share_clicked(bool on);
  void stop_control_clicked();
  void consent_given(bool allow);
  void quit_clicked();

private:
  /// Runs `fn` on the window's thread.
  void post(std::function<void()> fn);
  static void drain(void* self);

  std::unique_ptr<widgets> w_;
  ui_actions actions_;
  std::mutex mutex_;
  std::vector<std::function<void()>> queue_;
};

} // namespace openassist::agent
