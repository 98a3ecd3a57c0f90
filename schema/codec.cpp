#include "schema/codec.hpp"

#include <cstring>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include "records.capnp.h"

namespace openassist::schema {

namespace {

std::string to_bytes(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return {reinterpret_cast<const char*>(bytes.begin()), bytes.size()};
}

// Explicit length: strings may hold NUL bytes, which a C string would cut.
capnp::Text::Reader text_of(const std::string& s) {
  return capnp::Text::Reader(s.data(), s.size());
}

std::string to_string(capnp::Text::Reader text) {
  return {text.cStr(), text.size()};
}

// Runs `read` on the root of type T in `bytes`, or returns nullopt when the
// bytes are not a valid message (bad framing, out-of-bounds pointers, too
// deep).
template <class T, class F>
auto read_root(std::string_view bytes, F read)
  -> std::optional<decltype(read(std::declval<typename T::Reader>()))> {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0)
    return std::nullopt;
  // LMDB values are not guaranteed to be word-aligned: copy into words.
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  try {
    capnp::ReaderOptions options;
    options.traversalLimitInWords = 8 * 1024 * 1024;
    options.nestingLimit = 32;
    capnp::FlatArrayMessageReader reader(words.asPtr(), options);
    return read(reader.getRoot<T>());
  } catch (const kj::Exception&) {
    return std::nullopt;
  }
}

} // namespace

std::string encode(const schema_info& x) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<wire::SchemaInfo>();
  root.setVersion(x.version);
  root.setCreatedUs(x.created_us);
  root.setNodeId(text_of(x.node_id));
  return to_bytes(message);
}

std::string encode(const event_record& x) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<wire::Event>();
  root.setSeq(x.seq);
  root.setTimeUs(x.time_us);
  root.setKind(text_of(x.kind));
  root.setAccount(text_of(x.account));
  root.setSubject(text_of(x.subject));
  root.setPayload(text_of(x.payload));
  return to_bytes(message);
}

std::string encode(const entity_record& x) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<wire::Entity>();
  root.setKey(text_of(x.key));
  root.setRevision(x.revision);
  root.setEpoch(x.epoch);
  root.setBody(kj::arrayPtr(reinterpret_cast<const kj::byte*>(x.body.data()),
                            x.body.size()));
  return to_bytes(message);
}

std::optional<schema_info> decode_schema_info(std::string_view bytes) {
  return read_root<wire::SchemaInfo>(bytes, [](wire::SchemaInfo::Reader r) {
    return schema_info{r.getVersion(), r.getCreatedUs(),
                       to_string(r.getNodeId())};
  });
}

std::optional<event_record> decode_event(std::string_view bytes) {
  return read_root<wire::Event>(bytes, [](wire::Event::Reader r) {
    return event_record{r.getSeq(),
                        r.getTimeUs(),
                        to_string(r.getKind()),
                        to_string(r.getAccount()),
                        to_string(r.getSubject()),
                        to_string(r.getPayload())};
  });
}

std::optional<entity_record> decode_entity(std::string_view bytes) {
  return read_root<wire::Entity>(bytes, [](wire::Entity::Reader r) {
    auto body = r.getBody();
    return entity_record{
      to_string(r.getKey()), r.getRevision(), r.getEpoch(),
      std::string(reinterpret_cast<const char*>(body.begin()), body.size())};
  });
}

} // namespace openassist::schema
