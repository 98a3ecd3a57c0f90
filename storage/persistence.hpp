#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "monitoring/mailbox_probe.hpp"
#include "monitoring/metrics.hpp"
#include "storage/environment.hpp"
#include "storage/write_batch.hpp"

namespace openassist::storage {

using write_atom = caf::atom_constant<caf::atom("write")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using sync_atom = caf::atom_constant<caf::atom("sync")>;
using fence_atom = caf::atom_constant<caf::atom("fence")>;
using unfence_atom = caf::atom_constant<caf::atom("unfence")>;

/// The single writer of a node's LMDB environment.
///
/// Any actor sends `(write_atom, write_batch)`; the answer is always
/// definitive: a write_receipt once the batch is durable (fsync'd), with the
/// commit number and the sequence numbers given to its events, or a
/// storage_errc error with nothing of the batch written:
/// - `expired`: its deadline passed before its commit began;
/// - `fenced`: its epoch is not the current one of its fence (a newer
///   incarnation fenced it), or an earlier batch of the same epoch was
///   refused (batches of one epoch commit as a prefix);
/// - `busy`: more than storage.max-queue batches were waiting;
/// - `map_full`: the map is above storage.map-refuse-ratio (or LMDB's own
///   MDB_MAP_FULL); erase-only batches and those that may use the reserve
///   still pass;
/// - `conflict`, `value_too_large`, `io_error`: the commit failed.
/// Writes that arrive while a commit is in flight are committed together in
/// the next transaction (group commit). `flush_atom` is the actor's own
/// wake-up to commit what is pending.
///
/// `sync_atom` is a barrier: it commits whatever is pending (so every batch
/// sent before it is decided) and answers the number of commits so far.
/// `(fence_atom, domain)` is a barrier too, and then starts a new epoch of
/// the domain: batches of older epochs are refused from now on. A
/// rehydrating actor fences before it reads storage, so nothing of a dead
/// incarnation can land after its read.
/// `(unfence_atom, domain, epoch)` is sent by an incarnation that ends with
/// nothing in flight (a session gone idle): what is pending is decided, then
/// the domain is forgotten if `epoch` is still its current one. A forgotten
/// domain refuses every batch until its next fence, as one forgotten beyond
/// max_fences does; the map of fences stays as small as the live entities.
using persistence_actor = caf::typed_actor<
  caf::replies_to<write_atom, write_batch>::with<write_receipt>,
  caf::reacts_to<flush_atom>, caf::replies_to<sync_atom>::with<uint64_t>,
  caf::replies_to<fence_atom, std::string>::with<fence_receipt>,
  caf::reacts_to<unfence_atom, std::string, uint64_t>>;

/// Microseconds of the monotonic clock: the clock of batch deadlines.
int64_t steady_now_us();

/// The time a batch may wait for its commit to begin, unless the caller
/// says otherwise.
inline constexpr std::chrono::milliseconds default_write_deadline{10'000};

/// A caller waits this much longer than its batch's deadline for the answer
/// (the commit itself comes after the deadline check), so that a request
/// timeout means the writer is stuck, not that the batch may still commit.
inline constexpr std::chrono::milliseconds write_answer_grace{20'000};

/// The request timeout to use with a batch deadline of `deadline`.
constexpr std::chrono::milliseconds
write_timeout(std::chrono::milliseconds deadline = default_write_deadline) {
  return deadline + write_answer_grace;
}

/// An incarnation's right to write for a fencing domain: the epoch from its
/// fence and the number of its last batch.
struct writer_fence {
  std::string domain;
  uint64_t epoch = 0;
  uint64_t last_seq = 0;
  uint64_t previous_epoch = 0;     ///< the epoch before the last fence
  uint64_t previous_committed = 0; ///< its highest committed seq

  /// Sets a new epoch from a fence receipt (numbering starts again).
  void reset(const fence_receipt& r) {
    previous_epoch = epoch;
    previous_committed = r.committed;
    epoch = r.epoch;
    last_seq = 0;
  }

  /// Whether batch `seq` of `e`, an epoch ended by the last fence, was
  /// committed (the answers of that epoch may arrive after the fence's).
  bool was_stored(uint64_t e, uint64_t seq) const {
    return e != 0 && e == previous_epoch && seq <= previous_committed;
  }

  /// Stamps `b` with this fence, the next seq and a deadline `d` from now;
  /// returns the seq.
  uint64_t stamp(write_batch& b,
                 std::chrono::milliseconds d = default_write_deadline) {
    b.fence = domain;
    b.epoch = epoch;
    b.seq = ++last_seq;
    b.sent_us = steady_now_us();
    b.deadline_us =
      b.sent_us +
      std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return b.seq;
  }
};

/// Shared with the metrics scrape: what is waiting in the writer.
struct writer_status {
  std::atomic<uint64_t> depth{0};         ///< batches waiting (last seen)
  std::atomic<int64_t> oldest_sent_us{0}; ///< 0: none waiting
};

/// Sets the queue gauges from `s` (called when /metrics is scraped).
void publish_queue(const writer_status& s, const monitoring::storage_metrics& m,
                   int64_t now_us = steady_now_us());

struct persistence_config {
  std::shared_ptr<environment> env;
  monitoring::storage_metrics metrics;
  /// Most write batches in one transaction; bounds commit latency.
  size_t max_batches_per_commit = 4096;
  /// Least time from the end of one commit to the start of the next while
  /// writes keep coming: each commit is an fsync, and under load a short wait
  /// gathers more batches into it (fewer fsyncs, less CPU, at most this much
  /// more latency). A write after a quiet spell commits at once. 0: off.
  std::chrono::microseconds commit_interval{0};
  /// Most batches waiting (mailbox and pending); beyond it `busy`.
  size_t max_queue = 10000;
  /// Deadline of batches that carry none, from their arrival.
  std::chrono::milliseconds default_deadline = default_write_deadline;
  /// Map use at which the node warns (metric, log at most once a minute).
  double map_alert_ratio = 0.8;
  /// Map use above which growing batches are refused with map_full; the
  /// rest is the reserve for deletions and bookkeeping. Once refusing, the
  /// writer goes on refusing until use is back under map_alert_ratio (or
  /// this one, whichever is lower), so a map at the edge does not flap
  /// between accepting and refusing as deletions come and go.
  double map_refuse_ratio = 0.95;
  /// Domains remembered with their epoch; the least recently used are
  /// forgotten beyond it (their next batch is refused `fenced`).
  size_t max_fences = 200'000;
  std::shared_ptr<writer_status> status = std::make_shared<writer_status>();
  /// Server time for event records (injected in tests).
  std::function<int64_t()> now_us = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
  };
  /// The deadline clock (tests move it forward to make the disk "slow").
  std::function<int64_t()> steady_now_us = [] {
    return storage::steady_now_us();
  };
  /// Test hooks, never set in production: called (and slept) after the
  /// deadline checks and before each commit, i.e. a slow disk.
  std::function<void()> before_commit;
  std::chrono::milliseconds commit_delay{0};
  /// Time between two map-use warnings in the log.
  std::chrono::seconds map_alert_every{60};
};

struct persistence_state {
  struct pending_write {
    write_batch batch;
    caf::typed_response_promise<write_receipt> promise;
  };
  struct fence_state {
    uint64_t epoch = 0;
    uint64_t committed = 0; ///< highest seq committed in this epoch
    bool refused = false;   ///< a batch of this epoch was refused
    int64_t last_used_us = 0;
  };
  persistence_config cfg;
  std::vector<pending_write> pending;
  std::unordered_map<std::string, fence_state> fences;
  uint64_t next_epoch = 1;
  bool flush_scheduled = false;
  int64_t last_commit_end_us = 0; ///< steady clock, for commit_interval
  environment::map_usage usage;
  bool map_full = false; ///< refusing new data (see map_refuse_ratio)
  int64_t last_usage_us = 0;
  int64_t last_alert_us = 0;
  monitoring::mailbox_probe mailbox;
  static const char* name;
};

/// Spawn detached: a commit blocks on fsync and must not hold a scheduler
/// thread, e.g. `sys.spawn<caf::detached>(persistence, cfg)`.
persistence_actor::behavior_type
persistence(persistence_actor::stateful_pointer<persistence_state> self,
            persistence_config cfg);

} // namespace openassist::storage
