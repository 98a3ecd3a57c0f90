#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/records.hpp"
#include "storage/tables.hpp"

namespace openassist::storage {

/// What a put_op does with its key.
enum class op_kind : uint8_t {
  put = 0,    ///< insert or overwrite
  erase = 1,  ///< remove (absent is fine)
  insert = 2, ///< insert only if absent, else the whole batch fails (conflict)
};

/// One change of a record in a table. `value` is already encoded
/// (schema/codec.hpp).
struct put_op {
  table tbl = table::entities;
  std::string key;
  std::string value;
  op_kind kind = op_kind::put;
};

/// What one writer wants made durable atomically: record changes plus the
/// events that describe them. The persistence actor assigns event sequence
/// numbers and times.
///
/// Every batch carries a deadline and, for entity actors, the fence of the
/// actor's incarnation (docs/ARCHITECTURE.md, "Writes that are never
/// half-known"): the writer refuses an expired batch or one of a stale
/// incarnation before it commits, so its answer is always definitive.
struct write_batch {
  std::vector<put_op> ops;
  std::vector<schema::event_record> events;
  /// Fencing domain: the entity key (`desk/<account>`, ...) today, a shard
  /// id once the cluster places shards. Empty: not fenced (node services).
  std::string fence;
  /// The epoch the writer gave this incarnation for `fence` (fence_atom).
  uint64_t epoch = 0;
  /// Number of the batch within its epoch, 1, 2, ...: a fence answers the
  /// highest one committed, so an incarnation learns the fate of each.
  uint64_t seq = 0;
  /// steady_now_us() after which the batch must not be committed any more;
  /// 0: the writer's default deadline from its arrival.
  int64_t deadline_us = 0;
  /// steady_now_us() when it was sent (0: unknown); for the queue age metric.
  int64_t sent_us = 0;
  /// May use the map's reserve above storage.map-refuse-percent: small
  /// bookkeeping writes that keep an actor consistent (presence after a
  /// reload), never growth such as new requests or chat lines.
  bool may_use_reserve = false;
};

/// The answer once a batch is durable.
struct write_receipt {
  uint64_t commit = 0;              ///< number of the durable transaction
  std::vector<uint64_t> event_seqs; ///< one per event, in order
};

/// The answer to a fence: the new epoch of the domain and the highest batch
/// `seq` of the previous epoch that was committed (0: none). Batches of one
/// epoch commit as a prefix (after a refusal every later batch of that epoch
/// is refused too), so every seq up to `committed` is stored and every later
/// one is not.
struct fence_receipt {
  uint64_t epoch = 0;
  uint64_t committed = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, put_op& x) {
  return f(x.tbl, x.key, x.value, x.kind);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_batch& x) {
  return f(x.ops, x.events, x.fence, x.epoch, x.seq, x.deadline_us, x.sent_us,
           x.may_use_reserve);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_receipt& x) {
  return f(x.commit, x.event_seqs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fence_receipt& x) {
  return f(x.epoch, x.committed);
}

} // namespace openassist::storage
