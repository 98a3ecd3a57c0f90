#include "actors/intake/routing.hpp"

#include <algorithm>
#include <limits>

namespace openassist::actors {

namespace {

bool free_for_more(const routing_candidate& t) {
  return t.available && t.active_sessions < t.max_sessions;
}

// Earlier assignment first, then lower id.
bool earlier_turn(const routing_candidate& a, const routing_candidate& b) {
  if (a.last_assigned != b.last_assigned)
    return a.last_assigned < b.last_assigned;
  return a.technician_id < b.technician_id;
}

std::optional<int> rank_sum(const routing_candidate& t,
                            const std::vector<std::string>& wanted,
                            size_t count) {
  int sum = 0;
  for (size_t i = 0; i < count; ++i) {
    auto s = std::find_if(t.skills.begin(), t.skills.end(),
                          [&](auto& kv) { return kv.first == wanted[i]; });
    if (s == t.skills.end())
      return std::nullopt;
    sum += s->second;
  }
  return sum;
}

} // namespace

std::optional<uint64_t>
pick_round_robin(const std::vector<routing_candidate>& techs) {
  const routing_candidate* best = nullptr;
  for (auto& t : techs)
    if (free_for_more(t) && (best == nullptr || earlier_turn(t, *best)))
      best = &t;
  if (best == nullptr)
    return std::nullopt;
  return best->technician_id;
}

std::optional<uint64_t>
pick_by_skills(const std::vector<routing_candidate>& techs,
               const std::vector<std::string>& wanted, size_t* dropped) {
  for (size_t keep = wanted.size(); keep > 0; --keep) {
    const routing_candidate* best = nullptr;
    int best_sum = std::numeric_limits<int>::max();
    for (auto& t : techs) {
      if (!free_for_more(t))
        continue;
      auto sum = rank_sum(t, wanted, keep);
      if (!sum)
        continue;
      bool better =
        best == nullptr || *sum < best_sum ||
        (*sum == best_sum && t.active_sessions < best->active_sessions) ||
        (*sum == best_sum && t.active_sessions == best->active_sessions &&
         earlier_turn(t, *best));
      if (better) {
        best = &t;
        best_sum = *sum;
      }
    }
    if (best != nullptr) {
      if (dropped != nullptr)
        *dropped = wanted.size() - keep;
      return best->technician_id;
    }
  }
  if (dropped != nullptr)
    *dropped = wanted.size();
  return pick_round_robin(techs);
}

std::optional<int64_t> estimate_wait(size_t position, int servers,
                                     int64_t average_handle_s) {
  if (servers <= 0 || position == 0)
    return std::nullopt;
  // Requests ahead are served `servers` at a time; the customer's own turn
  // starts when the batch before theirs ends.
  auto batches_ahead =
    static_cast<int64_t>((position - 1) / static_cast<size_t>(servers));
  return batches_ahead * std::max<int64_t>(average_handle_s, 1);
}

} // namespace openassist::actors
