#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "schema/records.hpp"
#include "storage/errc.hpp"
#include "storage/tables.hpp"
#include "storage/write_batch.hpp"

struct MDB_env;

namespace openassist::storage {

struct environment_options {
  std::string path;               ///< data directory (created if missing)
  uint64_t map_size = 4ull << 30; ///< bytes; storage.map-size
  unsigned max_readers = 512;
};

/// A node's LMDB environment with its named tables. Read methods are safe from
/// any thread (each uses its own read transaction). `commit` must be called by
/// one thread at a time: the persistence actor is the only writer.
class environment {
public:
  /// Opens (or creates) the environment, its tables and checks the schema
  /// version; a data directory from a newer binary is refused.
  static caf::expected<std::shared_ptr<environment>>
  open(const environment_options& options);

  ~environment();
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;

  const schema::schema_info& info() const { return info_; }
  const std::string& path() const { return path_; }

  /// Writes all batches in one durable transaction; fills one receipt per
  /// batch. On error nothing of any batch is written.
  caf::error commit(std::vector<write_batch*>& batches,
                    std::vector<write_receipt>& receipts, int64_t now_us);

  /// The value stored under `key`, nullopt if absent.
  caf::expected<std::optional<std::string>> get(table t,
                                                std::string_view key) const;

  /// Calls `fn(key, value)` for records with key >= `from`, in key order,
  /// until it returns false or `limit` records were visited.
  caf::error
  scan(table t, std::string_view from, size_t limit,
       const std::function<bool(std::string_view, std::string_view)>& fn) const;

  /// Calls `fn(key, value)` for the records with `from` <= key < `end`, in
  /// key order, until it returns false; reads `page` records per read
  /// transaction, so a long range never holds one open for long.
  caf::error scan_range(
    table t, std::string from, std::string_view end, size_t page,
    const std::function<bool(std::string_view, std::string_view)>& fn) const;

  /// Number of records in a table.
  caf::expected<uint64_t> count(table t) const;

  /// Events with seq >= first_seq would need a seq index; the log is keyed by
  /// time: this returns the last committed event sequence number.
  uint64_t last_event_seq() const { return next_event_seq_ - 1; }

  uint64_t commits() const { return commits_; }

  /// How much of the map is in use: pages up to LMDB's high-water mark less
  /// the free pages it will reuse, in bytes, against storage.map-size.
  struct map_usage {
    uint64_t used_bytes = 0;
    uint64_t map_bytes = 0;
    double ratio() const {
      return map_bytes == 0 ? 0.0
                            : static_cast<double>(used_bytes) /
                                static_cast<double>(map_bytes);
    }
  };
  caf::expected<map_usage> usage() const;

  /// Online compacting copy for backups (mdb_env_copy2).
  caf::error backup_to(const std::string& directory) const;

private:
  environment() = default;
  caf::error init_schema();

  MDB_env* env_ = nullptr;
  std::array<unsigned, table_names.size()> dbis_{};
  std::string path_;
  schema::schema_info info_;
  uint64_t next_event_seq_ = 1;
  uint64_t commits_ = 0;
};

/// Event log key: big-endian time then sequence, so keys sort by time.
std::string event_key(int64_t time_us, uint64_t seq);

} // namespace openassist::storage
