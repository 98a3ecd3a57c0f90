#include "monitoring/memory_keeper.hpp"

#include <fstream>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "monitoring/metrics.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define OA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OA_ASAN 1
#endif
#endif
#if defined(OA_ASAN)
// From the sanitizer runtime (sanitizer/allocator_interface.h, which GCC 12
// does not install).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
extern "C" size_t __sanitizer_get_free_bytes();
#endif

// jemalloc's control interface, present when the node is linked with
// jemalloc (the Release build, see CMakeLists.txt); null otherwise (the
// sanitizer build, tests), and glibc's malloc is asked instead.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp,
                       void* newp, size_t newlen) __attribute__((weak));

namespace openassist::monitoring {

namespace {

bool jemalloc() {
  return mallctl != nullptr;
}

uint64_t jemalloc_stat(const char* name) {
  size_t value = 0;
  size_t len = sizeof value;
  return mallctl(name, &value, &len, nullptr, 0) == 0 ? value : 0;
}

} // namespace

const char* allocator_name() {
#if defined(OA_ASAN)
  return "asan";
#else
  return jemalloc() ? "jemalloc" : "glibc";
#endif
}

bool allocator_returns_memory() {
  if (!jemalloc())
    return false;
  bool on = false;
  size_t len = sizeof on;
  return mallctl("background_thread", &on, &len, nullptr, 0) == 0 && on;
}

const char* memory_keeper_state::name = "memory_keeper";

heap_figures heap_now() {
  heap_figures out;
  if (jemalloc()) {
    // Statistics are a snapshot taken at the last "epoch" write.
    uint64_t epoch = 1;
    size_t len = sizeof epoch;
    mallctl("epoch", &epoch, &len, &epoch, len);
    out.in_use = jemalloc_stat("stats.allocated");
    auto resident = jemalloc_stat("stats.resident");
    out.free = resident > out.in_use ? resident - out.in_use : 0;
    return out;
  }
#if defined(OA_ASAN)
  // The sanitizer's allocator replaces malloc (the test build): its own
  // count of live bytes, which memory_soak measures leaks with.
  out.in_use = __sanitizer_get_current_allocated_bytes();
  out.free = __sanitizer_get_free_bytes();
  return out;
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  auto mi = mallinfo2();
  out.in_use = mi.uordblks + mi.hblkhd;
  out.free = mi.fordblks;
#endif
  return out;
}

uint64_t anon_resident_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("RssAnon:", 0) == 0)
      return std::stoull(line.substr(8)) * 1024; // "RssAnon:   1234 kB"
  return 0;
}

namespace {

uint64_t trim(memory_keeper_state& st) {
  auto before = anon_resident_bytes();
  auto started = std::chrono::steady_clock::now();
  if (jemalloc()) {
    // All arenas (MALLCTL_ARENAS_ALL): their unused dirty pages go back.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
  } else {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
  }
  observe(st.cfg.trim_seconds, std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - started)
                                 .count());
  auto after = anon_resident_bytes();
  auto released = before > after ? before - after : 0;
  inc(st.cfg.trims);
  inc(st.cfg.released_bytes, static_cast<double>(released));
  return released;
}

} // namespace

caf::behavior memory_keeper(caf::stateful_actor<memory_keeper_state>* self,
                            memory_keeper_config cfg) {
  self->state.cfg = cfg;
  // jemalloc with its background thread gives pages back by itself, smoothly;
  // a purge on top would only make RssAnon a sawtooth.
  if (cfg.interval.count() > 0 && !allocator_returns_memory())
    self->delayed_send(self, cfg.interval, trim_atom::value, true);
  return {
    [self](trim_atom, bool scheduled) {
      trim(self->state);
      if (scheduled)
        self->delayed_send(self, self->state.cfg.interval, trim_atom::value,
                           true);
    },
    [self](trim_atom) -> uint64_t { return trim(self->state); },
  };
}

} // namespace openassist::monitoring
