#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/records.hpp"
#include "storage/tables.hpp"

namespace openassist::storage {

/// What a put_op does with its key.
enum class op_kind : uint8_t {
  put = 0,     ///< insert or overwrite
  erase = 1,   ///< remove (absent is fine)
  insert = 2,  ///< insert only if absent, else the whole batch fails (conflict)
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
struct write_batch {
  std::vector<put_op> ops;
  std::vector<schema::event_record> events;
};

/// The answer once a batch is durable.
struct write_receipt {
  uint64_t commit = 0;                 ///< number of the durable transaction
  std::vector<uint64_t> event_seqs;    ///< one per event, in order
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, put_op& x) {
  return f(x.tbl, x.key, x.value, x.kind);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_batch& x) {
  return f(x.ops, x.events);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_receipt& x) {
  return f(x.commit, x.event_seqs);
}

} // namespace openassist::storage
