// The accept protocol (actors/intake/accept_protocol.hpp) under schedules the
// fuzzer picks: which message arrives next, presences and queues restarting
// (their mailboxes lost), answers lost to timeouts, timers, technicians
// giving requests back, customers cancelling. After every step no technician
// uses more slots than their maximum, a request is held by at most one
// technician, and every request a queue gave away is counted by its
// technician's slots; once every message is delivered and every timer has
// run, the queues and presences agree (tests/unit/actors/accept_sim.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/unit/actors/accept_sim.hpp"

using namespace openassist;

namespace {

[[noreturn]] void broken(const accept_sim::world& w, const std::string& what) {
  for (auto& line : w.trace())
    std::fprintf(stderr, "  %s\n", line.c_str());
  std::fprintf(stderr, "broken: %s\n", what.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  accept_sim::config cfg;
  cfg.technicians = 2 + data[0] % 2;
  cfg.queues = 2;
  cfg.requests = 2;
  cfg.max = 1 + (data[0] >> 1) % 2;
  accept_sim::world w{cfg};
  for (size_t i = 1; i + 1 < size && i < 400; i += 2) {
    uint8_t op = data[i];
    uint8_t arg = data[i + 1];
    int t = 1 + arg % cfg.technicians;
    uint64_t r = (arg >> 2) % 2 * 100 + 1 + (arg >> 3) % 2;
    switch (op % 10) {
      case 0:
        w.accept(t, r);
        break;
      case 1:
        w.finish(t, r, (arg >> 4) % 4 != 0);
        break;
      case 2:
        w.cancel(r);
        break;
      case 3:
        w.timer(t);
        break;
      case 4:
        if ((arg >> 4) % 2 == 0)
          w.restart_presence(t);
        else
          w.restart_queue(static_cast<int>(r / 100));
        break;
      case 5:
        w.time_out(op >> 4);
        break;
      default:
        w.deliver(static_cast<size_t>(op >> 4) * 7 + arg);
    }
    w.tick();
    if (auto what = w.check(); !what.empty())
      broken(w, what);
  }
  w.settle();
  if (auto what = w.check(); !what.empty())
    broken(w, what);
  if (auto what = w.check_quiet(); !what.empty())
    broken(w, what);
  return 0;
}
