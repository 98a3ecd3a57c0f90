#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace openassist::storage {

/// The named LMDB databases (DBIs) of a node's environment, one per record
/// kind. Never renumber: the value is used in messages.
enum class table : uint8_t {
  meta = 0,     ///< schema info and node identity
  events = 1,   ///< append-only event log, key = be64(time_us) be64(seq)
  entities = 2, ///< entity snapshots (schema::entity_record), key = entity key
  logins = 3,   ///< "<kind>:<email>" -> "<account>/<user id>", unique
  auth_sessions = 4, ///< token digest -> session (JSON)
  audit = 5,         ///< "<account>" NUL be64(seq) -> audit entry (JSON)
  outbox = 6,        ///< "mail/" be64(id) -> mail waiting to be sent (JSON)
  reset_tokens = 7,  ///< token digest -> password reset (JSON), single use
  requests = 8, ///< "<account>" NUL be64(id) -> support request (JSON), kept
  open_requests = 9, ///< same key, "" while the request is open (restart index)
  chat = 10,  ///< "<account>" NUL be64(request) be64(seq) -> chat line (JSON)
  files = 11, ///< "<account>" NUL be64(request) <file id> -> file (JSON); bytes
              ///< in blobs
  recordings =
    12, ///< "<account>" NUL be64(request) -> recording (JSON); bytes in blobs
  portal_keys =
    13, ///< "<account>" NUL be64(portal) be64(generation) -> key pair (JSON)
  /// A user's logins: "<account>" NUL be64(user) <token digest> -> "", and
  /// under "<account>" NUL be64(user) alone the time (ms, decimal) before
  /// which all logins of the user ended (password reset or change).
  user_sessions = 14,
  /// Technicians' statuses over time (the activity report):
  /// "<account>" NUL be64(ms) be64(technician) -> status.
  presence_log = 15,
  /// Each request's report facts (actors/reports/facts_record.hpp):
  /// "<account>" NUL be64(created ms) be64(id) -> record.
  report_facts = 16,
  /// Each account day's report roll-up (actors/reports/rollup.hpp):
  /// "<account>" NUL "YYYY-MM-DD" -> record.
  rollups = 17,
};

inline constexpr std::array<std::string_view, 18> table_names = {
  "meta",          "events",        "entities",      "logins",
  "auth_sessions", "audit",         "outbox",        "reset_tokens",
  "requests",      "open_requests", "chat",          "files",
  "recordings",    "portal_keys",   "user_sessions", "presence_log",
  "report_facts",  "rollups"};

inline constexpr std::string_view name_of(table t) {
  return table_names[static_cast<uint8_t>(t)];
}

inline constexpr bool valid_table(uint8_t raw) {
  return raw < table_names.size();
}

} // namespace openassist::storage
