#include "agent/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace openassist::agent {

namespace {
volatile std::sig_atomic_t flag = 0;
extern "C" void on_signal(int) {
  flag = 1;
}
} // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

bool interrupted() {
  return flag != 0;
}

} // namespace openassist::agent
