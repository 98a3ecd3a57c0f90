#include "storage/errc.hpp"

#include <lmdb.h>

namespace openassist::storage {

const char* to_string(storage_errc x) {
  switch (x) {
    case storage_errc::io_error:
      return "io_error";
    case storage_errc::map_full:
      return "map_full";
    case storage_errc::value_too_large:
      return "value_too_large";
    case storage_errc::corrupt_record:
      return "corrupt_record";
    case storage_errc::schema_too_new:
      return "schema_too_new";
    case storage_errc::schema_unsupported:
      return "schema_unsupported";
    case storage_errc::not_open:
      return "not_open";
    case storage_errc::conflict:
      return "conflict";
    case storage_errc::expired:
      return "expired";
    case storage_errc::fenced:
      return "fenced";
    case storage_errc::busy:
      return "busy";
  }
  return "unknown";
}

bool definite_refusal(const caf::error& err) {
  return err && err.category() == caf::atom("storage");
}

storage_errc from_lmdb(int rc) {
  switch (rc) {
    case MDB_MAP_FULL:
      return storage_errc::map_full;
    case MDB_KEYEXIST:
      return storage_errc::conflict;
    case MDB_BAD_VALSIZE:
      return storage_errc::value_too_large;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
      return storage_errc::corrupt_record;
    default:
      return storage_errc::io_error;
  }
}

write_failure describe_write_failure(const caf::error& err,
                                     const std::string& not_stored,
                                     bool known_not_stored) {
  if (definite_refusal(err)) {
    switch (static_cast<storage_errc>(err.code())) {
      case storage_errc::map_full:
        return {507, "storage_full", "storage is full; nothing was changed"};
      case storage_errc::busy:
        return {503, "busy", "storage is busy; " + not_stored};
      default:
        return {503, "storage_unavailable", not_stored};
    }
  }
  if (known_not_stored)
    return {503, "storage_unavailable", not_stored};
  return {503, "storage_unavailable",
          "storage did not answer; the change may or may not be stored"};
}

} // namespace openassist::storage
