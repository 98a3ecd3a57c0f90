#pragma once

#include <optional>
#include <string>

#include <caf/expected.hpp>

#include "schema/records.hpp"
#include "storage/environment.hpp"
#include "storage/write_batch.hpp"

// How every entity actor (portal, queue, presence, session, monitor) keeps its
// state: one schema::entity_record per entity in the `entities` table, read
// once when the directory spawns it (rehydration), rewritten through the
// persistence actor with the event that describes the change.
namespace openassist::actors {

/// The stored snapshot of `key`, nullopt for a new entity; corrupt bytes are
/// an error, never a silently fresh entity.
caf::expected<std::optional<schema::entity_record>>
load_entity(const storage::environment& env, const std::string& key);

/// A write batch that stores `record` and appends `event` to the log, so the
/// change and its event are durable together.
storage::write_batch entity_write(const schema::entity_record& record,
                                  schema::event_record event);

/// A write batch that stores `record` alone (an entity whose changes are
/// not events of the log: a presence's slots, a queue's holders).
storage::write_batch entity_put(const schema::entity_record& record);

} // namespace openassist::actors
