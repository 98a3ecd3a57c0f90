#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace openassist::storage {

/// Why a storage operation failed. LMDB return codes become these at the
/// storage boundary; they cross actor (and node) boundaries as caf::error
/// with the category atom "storage".
enum class storage_errc : uint8_t {
  io_error = 1,       ///< the disk or the OS refused (EIO, EACCES, ENOSPC ...)
  map_full,           ///< the environment reached storage.map-size
  value_too_large,    ///< a key or value above LMDB's or our limits
  corrupt_record,     ///< stored bytes did not decode
  schema_too_new,     ///< data directory written by a newer binary
  schema_unsupported, ///< no migration path from the stored version
  not_open,           ///< environment not open or already closed
  conflict,           ///< an insert-only key exists already
  expired,            ///< the batch waited past its deadline; not written
  fenced,             ///< a stale incarnation's batch (or one after a refusal)
  busy,               ///< the writer's queue is full (storage.max-write-queue)
};

/// True for errors that the writer answered itself: the batch is definitely
/// not written. False for anything else (a request timeout, a dead writer):
/// the batch may still commit.
bool definite_refusal(const caf::error& err);

const char* to_string(storage_errc x);

/// What a client is told when its change could not be stored: HTTP status,
/// error code and message. `not_stored` is the message when the change is
/// known not to be stored for a passing reason (the client may send it
/// again). A full map is 507 `storage_full`, a full writer queue 503
/// `busy`, an error the writer did not answer 503 `storage_unavailable`
/// with "may or may not be stored" unless `known_not_stored`.
struct write_failure {
  unsigned status;
  std::string code;
  std::string message;
};
write_failure describe_write_failure(const caf::error& err,
                                     const std::string& not_stored,
                                     bool known_not_stored = false);

inline caf::error make_error(storage_errc x, std::string context = {}) {
  if (context.empty())
    return {static_cast<uint8_t>(x), caf::atom("storage")};
  return {static_cast<uint8_t>(x), caf::atom("storage"),
          caf::make_message(std::move(context))};
}

/// Maps an LMDB return code (or errno) to storage_errc.
storage_errc from_lmdb(int rc);

} // namespace openassist::storage
