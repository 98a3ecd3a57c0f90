#include "actors/session/blobs.hpp"

#include <caf/all.hpp>

#include "monitoring/logging.hpp"

namespace openassist::actors {

caf::behavior blobs_actor(caf::event_based_actor* self,
                          std::shared_ptr<storage::blob_store> store) {
  auto logged = [self](const char* what, const std::string& path,
                       std::string err) {
    if (!err.empty())
      monitoring::component_logger("blobs")->error("[blobs] {} {}: {}", what,
                                                   path, err);
    (void)self;
    return err;
  };
  return {
    [store, logged](blob_put_atom, const std::string& path,
                    const std::string& bytes) {
      return logged("put", path, store->put(path, bytes));
    },
    [store](blob_get_atom, const std::string& path) {
      auto bytes = store->read(path);
      return std::make_tuple(bytes.has_value(),
                             bytes ? std::move(*bytes) : std::string{});
    },
    [store, logged](blob_append_atom, const std::string& path,
                    const std::string& bytes) {
      return logged("append", path, store->append(path, bytes));
    },
    [store, logged](blob_sync_atom, const std::string& path) {
      return logged("sync", path, store->sync(path));
    },
    [store](blob_remove_atom, const std::string& path) {
      return store->remove(path);
    },
  };
}

} // namespace openassist::actors
