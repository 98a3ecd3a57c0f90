#pragma once

#include <cstdint>
#include <string>

// Plain value types for what storage keeps. Inside the process these travel in
// actor messages; at the process edges (disk, peers) codec.hpp turns them into
// Cap'n Proto bytes. One conversion place per record kind.
namespace openassist::schema {

/// Layout version of a data directory this binary writes and understands.
inline constexpr uint32_t current_schema_version = 1;

struct schema_info {
  uint32_t version = 0;
  int64_t created_us = 0;
  std::string node_id;
  friend bool operator==(const schema_info&, const schema_info&) = default;
};

struct event_record {
  uint64_t seq = 0;
  int64_t time_us = 0;
  std::string kind;
  std::string account;
  std::string subject;
  std::string payload;
  friend bool operator==(const event_record&, const event_record&) = default;
};

struct entity_record {
  std::string key;
  uint64_t revision = 0;
  uint64_t epoch = 0;
  std::string body;
  friend bool operator==(const entity_record&, const entity_record&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_record& x) {
  return f(x.seq, x.time_us, x.kind, x.account, x.subject, x.payload);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, entity_record& x) {
  return f(x.key, x.revision, x.epoch, x.body);
}

} // namespace openassist::schema
