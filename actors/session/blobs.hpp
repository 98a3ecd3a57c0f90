#pragma once

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>

#include "storage/blob_store.hpp"

namespace openassist::actors {

using blob_put_atom = caf::atom_constant<caf::atom("blob_put")>;
using blob_get_atom = caf::atom_constant<caf::atom("blob_get")>;
using blob_append_atom = caf::atom_constant<caf::atom("blob_app")>;
using blob_sync_atom = caf::atom_constant<caf::atom("blob_sync")>;
using blob_remove_atom = caf::atom_constant<caf::atom("blob_rm")>;

/// The node's store of large payloads (files, recordings) outside the LMDB
/// tables: plain files under `<data-dir>/blobs`. Spawn detached: every call
/// does file I/O. Paths are relative and made of [a-z0-9._-] segments.
///
/// - `(blob_put_atom, path, bytes)` -> error text ("" once durable).
/// - `(blob_get_atom, path)` -> (found, bytes).
/// - `(blob_append_atom, path, bytes)` -> error text ("" once written; durable
///   after a sync).
/// - `(blob_sync_atom, path)` -> error text.
/// - `(blob_remove_atom, path)` -> whether it is gone.
caf::behavior blobs_actor(caf::event_based_actor* self,
                          std::shared_ptr<storage::blob_store> store);

} // namespace openassist::actors
