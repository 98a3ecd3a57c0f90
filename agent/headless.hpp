#pragma once

#include <condition_variable>
#include <mutex>

#include "agent/ui.hpp"

// The app without a window (`--no-window`): what happens is written to
// standard error, and remote control is declined (no one could allow it).
namespace openassist::agent {

class headless_ui : public ui {
public:
  void set_actions(ui_actions a) override;
  void status(const std::string& text) override;
  void chat_line(const std::string& who, const std::string& text) override;
  void sharing(bool on) override;
  void controlling(bool on, const std::string& technician) override;
  void ask_control(const std::string& technician) override;
  void cancel_ask() override {}
  void ended(const std::string& why) override;
  int run() override;

private:
  ui_actions actions_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool ended_ = false;
};

} // namespace openassist::agent
