#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "monitoring/metrics.hpp"
#include "storage/environment.hpp"
#include "storage/write_batch.hpp"

namespace openassist::storage {

using write_atom = caf::atom_constant<caf::atom("write")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using sync_atom = caf::atom_constant<caf::atom("sync")>;

/// The single writer of a node's LMDB environment.
///
/// Any actor sends `(write_atom, write_batch)`; the answer comes once the
/// batch is durable (fsync'd): a write_receipt with the commit number and the
/// sequence numbers given to the batch's events, or a storage_errc error with
/// nothing of the batch written. Writes that arrive while a commit is in
/// flight are committed together in the next transaction (group commit).
/// `flush_atom` is the actor's own wake-up to commit what is pending.
/// `sync_atom` commits whatever is pending and answers with the number of
/// commits so far: the node's shutdown uses it before stopping the writer.
using persistence_actor = caf::typed_actor<
  caf::replies_to<write_atom, write_batch>::with<write_receipt>,
  caf::reacts_to<flush_atom>, caf::replies_to<sync_atom>::with<uint64_t>>;

struct persistence_config {
  std::shared_ptr<environment> env;
  monitoring::storage_metrics metrics;
  /// Most write batches in one transaction; bounds commit latency.
  size_t max_batches_per_commit = 4096;
  /// Server time for event records (injected in tests).
  std::function<int64_t()> now_us = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
  };
};

struct persistence_state {
  struct pending_write {
    write_batch batch;
    caf::typed_response_promise<write_receipt> promise;
  };
  persistence_config cfg;
  std::vector<pending_write> pending;
  bool flush_scheduled = false;
  static const char* name;
};

/// Spawn detached: a commit blocks on fsync and must not hold a scheduler
/// thread, e.g. `sys.spawn<caf::detached>(persistence, cfg)`.
persistence_actor::behavior_type
persistence(persistence_actor::stateful_pointer<persistence_state> self,
            persistence_config cfg);

} // namespace openassist::storage
