#include "actors/entity_store.hpp"

#include "schema/codec.hpp"

namespace openassist::actors {

caf::expected<std::optional<schema::entity_record>>
load_entity(const storage::environment& env, const std::string& key) {
  auto bytes = env.get(storage::table::entities, key);
  if (!bytes)
    return std::move(bytes.error());
  if (!*bytes)
    return std::optional<schema::entity_record>{};
  auto record = schema::decode_entity(**bytes);
  if (!record || record->key != key)
    return storage::make_error(storage::storage_errc::corrupt_record,
                               "entity " + key + " does not decode");
  return std::optional<schema::entity_record>{std::move(*record)};
}

storage::write_batch entity_write(const schema::entity_record& record,
                                  schema::event_record event) {
  storage::write_batch batch;
  batch.ops.push_back(storage::put_op{storage::table::entities, record.key,
                                      schema::encode(record),
                                      storage::op_kind::put});
  if (event.subject.empty())
    event.subject = record.key;
  batch.events.push_back(std::move(event));
  return batch;
}

storage::write_batch entity_put(const schema::entity_record& record) {
  storage::write_batch batch;
  batch.ops.push_back(storage::put_op{storage::table::entities, record.key,
                                      schema::encode(record),
                                      storage::op_kind::put});
  return batch;
}

} // namespace openassist::actors
