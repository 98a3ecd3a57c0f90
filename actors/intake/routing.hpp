#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Routing decisions of a portal queue (spec 2, queue mode and skills
// routing), as pure functions the queue actor calls: who gets the next
// request, and what a waiting customer is told.
namespace openassist::actors {

/// What the queue knows of one technician when it routes.
struct routing_candidate {
  uint64_t technician_id = 0;
  bool available = false; ///< status "available" and a console connected
  int active_sessions = 0;
  int max_sessions = 1;
  /// Skills with rank 1 (best) .. 10.
  std::vector<std::pair<std::string, int>> skills;
  /// When the technician last got a request (for round-robin), any clock.
  int64_t last_assigned = 0;
};

/// Round-robin among free technicians: the one who got a request longest
/// ago, never above a technician's maximum of concurrent sessions. Ties go to
/// the lower id, so the choice is deterministic.
std::optional<uint64_t>
pick_round_robin(const std::vector<routing_candidate>& techs);

/// Skills routing: among free technicians that have all `wanted` skills,
/// the best-skilled (lowest sum of ranks) and then least busy, then
/// round-robin. When nobody has them all, the lowest-ranked wanted skills
/// (the last in the list) are dropped one by one until someone matches; with
/// no skills left, plain round-robin. `dropped` tells how many were dropped.
std::optional<uint64_t>
pick_by_skills(const std::vector<routing_candidate>& techs,
               const std::vector<std::string>& wanted,
               size_t* dropped = nullptr);

/// The wait a customer at `position` (1 = next) can expect, in seconds: the
/// requests ahead of them (position - 1, plus their own) share the free
/// capacity `servers` (at least 1), each taking `average_handle_s`; nullopt
/// when nobody could ever take it (no technician logged in).
std::optional<int64_t> estimate_wait(size_t position, int servers,
                                     int64_t average_handle_s);

} // namespace openassist::actors
