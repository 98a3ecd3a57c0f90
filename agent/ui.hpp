#pragma once

#include <functional>
#include <string>

// What the customer sees of the support app and what they may do in it: a
// window (window.hpp) or, without a display for one, the terminal
// (headless.hpp). Calls come from any thread; an implementation hands them
// to its own.
namespace openassist::agent {

/// What the customer does, answered by the app.
struct ui_actions {
  std::function<void(std::string)> send_chat;
  std::function<void(bool)> share; ///< share the screen again, or stop
  std::function<void()> stop_control;
  std::function<void(bool)> consent; ///< the answer to ask_control
  std::function<void()> quit;
};

class ui {
public:
  virtual ~ui() = default;
  virtual void set_actions(ui_actions a) = 0;
  virtual void status(const std::string& text) = 0;
  virtual void chat_line(const std::string& who, const std::string& text) = 0;
  virtual void sharing(bool on) = 0;
  virtual void controlling(bool on, const std::string& technician) = 0;
  /// Asks whether `technician` may control mouse and keyboard; the answer
  /// goes to `consent`.
  virtual void ask_control(const std::string& technician) = 0;
  /// Withdraws an open question (the technician gave up, control ended).
  virtual void cancel_ask() = 0;
  /// Shows why the app ends, and makes run() return soon.
  virtual void ended(const std::string& why) = 0;
  /// The main loop; returns when the app is to end.
  virtual int run() = 0;
};

} // namespace openassist::agent
