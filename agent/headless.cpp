#include "agent/headless.hpp"

#include <chrono>
#include <cstdio>

#include "agent/interrupt.hpp"

namespace openassist::agent {

void headless_ui::set_actions(ui_actions a) {
  actions_ = std::move(a);
}

void headless_ui::status(const std::string& text) {
  std::fprintf(stderr, "openassist-agent: %s\n", text.c_str());
}

void headless_ui::chat_line(const std::string& who, const std::string& text) {
  std::fprintf(stderr, "[chat] %s: %s\n", who.c_str(), text.c_str());
}

void headless_ui::sharing(bool on) {
  status(on ? "your screen is shared" : "your screen is not shared");
}

void headless_ui::controlling(bool on, const std::string& technician) {
  status(on ? technician + " controls the mouse and keyboard"
            : "remote control is off");
}

void headless_ui::ask_control(const std::string& technician) {
  status(technician +
         " asked for remote control: declined (the app runs without a "
         "window, so nobody can allow it)");
  if (actions_.consent)
    actions_.consent(false);
}

void headless_ui::ended(const std::string& why) {
  status(why);
  std::lock_guard<std::mutex> guard{mutex_};
  ended_ = true;
  done_.notify_all();
}

int headless_ui::run() {
  std::unique_lock<std::mutex> lock{mutex_};
  while (!ended_) {
    done_.wait_for(lock, std::chrono::milliseconds(200));
    if (interrupted() && !ended_ && actions_.quit) {
      lock.unlock();
      actions_.quit();
      lock.lock();
    }
  }
  return 0;
}

} // namespace openassist::agent
