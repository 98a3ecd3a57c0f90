#pragma once

#include <chrono>
#include <cstdint>

#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>

namespace openassist::monitoring {

using trim_atom = caf::atom_constant<caf::atom("trim")>;

/// What the allocator holds: from jemalloc's statistics when the node is
/// linked with jemalloc (the Release build), else from glibc's mallinfo2
/// (zeros where the allocator is neither, e.g. under AddressSanitizer).
struct heap_figures {
  uint64_t in_use = 0; ///< bytes handed out to the program
  uint64_t free = 0;   ///< resident bytes the allocator keeps, not in use
};
heap_figures heap_now();

/// "jemalloc" or "glibc": the malloc this process runs with.
const char* allocator_name();

/// True when the allocator returns freed memory by itself (jemalloc with its
/// background thread): the memory keeper then does not trim on a schedule.
bool allocator_returns_memory();

/// The node's anonymous resident memory (`RssAnon` of /proc/self/status:
/// heap and stacks, not LMDB's mapped file), in bytes; 0 if unreadable.
uint64_t anon_resident_bytes();

struct memory_keeper_config {
  /// Between trims; zero: never (the actor then only answers trim_atom).
  std::chrono::milliseconds interval{10'000};
  prometheus::Counter* trims = nullptr;
  prometheus::Counter* released_bytes = nullptr; ///< RssAnon given back
  prometheus::Histogram* trim_seconds = nullptr;
};

struct memory_keeper_state {
  memory_keeper_config cfg;
  static const char* name;
};

/// Gives memory that the program freed back to the system every `interval`
/// (glibc: malloc_trim; not on jemalloc with its background thread, see
/// allocator_returns_memory; there `(trim_atom)` purges the dirty pages). Both
/// keep freed memory for reuse: after a burst of traffic the node would stay
/// near its high-water mark although the memory is free (glibc indefinitely,
/// jemalloc for its decay time); with the trim it returns near its level
/// before the burst. `(trim_atom)` trims now and answers the bytes of
/// RssAnon released.
caf::behavior memory_keeper(caf::stateful_actor<memory_keeper_state>* self,
                            memory_keeper_config cfg);

} // namespace openassist::monitoring
