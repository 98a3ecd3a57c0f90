#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

// What the reports read of one stored request document: one definition of
// "answered", "declined", "abandoned" and the waits, for every report.
namespace openassist::actors::reports {

struct request_facts {
  uint64_t id = 0, portal = 0, technician = 0;
  int64_t created = 0, answered = 0, closed = 0;
  bool ended = false, abandoned = false, no_response = false;
  std::set<uint64_t> decliners;
  int rating = 0;
  std::string outcome, resolution, comment, customer;
  int transfers = 0;

  bool operator==(const request_facts&) const = default;
  bool was_answered() const { return answered > 0; }
  /// From the request to its first answer.
  std::optional<int64_t> wait() const;
  /// From the first answer to the end.
  std::optional<int64_t> handle() const;
};

/// The facts of a stored request document; nullopt for anything else.
std::optional<request_facts> facts_of(const nlohmann::json& doc);

} // namespace openassist::actors::reports
