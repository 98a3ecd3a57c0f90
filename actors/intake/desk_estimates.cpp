#include "actors/intake/desk_model.hpp"

#include <algorithm>

// desk_estimates: queue places and wait estimates (docs/intake.md, "Wait
// estimates"). A queue moves when a session of one of the portal's available
// technicians ends and frees a place. With s sessions in progress there and a
// handle time of h seconds, places free about every h / s seconds (each
// session ends at rate 1/h, as in the Erlang-C queue), so the request at
// place k waits about k * h / s. Nobody available: no estimate.
namespace openassist::actors::desk {

size_t model::waiting_count(uint64_t portal) const {
  auto q = waiting_.find(portal);
  return q == waiting_.end() ? 0 : q->second.size();
}

size_t model::position(const request& r) const {
  if (r.st != status::waiting)
    return 0;
  // Places matter in queue mode only; counting costs O(place).
  auto* p = portal_by_id(r.portal_id);
  if (p == nullptr || p->mode != "queue")
    return 0;
  auto q = waiting_.find(r.portal_id);
  if (q == waiting_.end())
    return 0;
  size_t pos = 1;
  for (auto& [order, id] : q->second) {
    if (id == r.id)
      return pos;
    ++pos;
  }
  return 0;
}

int model::servers(const portal& p) const {
  int n = 0;
  for (auto& [uid, u] : org_.users)
    if (serves(p, uid) && available(uid))
      n += std::max(1, load(uid));
  return n;
}

int64_t model::handle_s(uint64_t portal) const {
  auto i = handle_avg_s_.find(portal);
  return i == handle_avg_s_.end() || i->second <= 0
           ? cfg_.default_handle_s
           : std::max<int64_t>(1, static_cast<int64_t>(i->second + 0.5));
}

void model::record_handle(uint64_t portal, double seconds) {
  // The mean of the first ten sessions, then a moving average that follows
  // the portal's recent sessions (each new one weighs a tenth). The default
  // only stands in until the first session of the portal has ended.
  auto& avg = handle_avg_s_[portal];
  auto& n = handle_n_[portal];
  if (n == 0 && avg > 0)
    n = 10; // an average stored without its count
  ++n;
  double weight = std::max(1.0 / static_cast<double>(n), 0.1);
  avg += weight * (std::max(0.0, seconds) - avg);
}

std::optional<int64_t> model::wait_estimate_s(const portal& p,
                                              size_t place) const {
  auto n = servers(p);
  if (n <= 0)
    return std::nullopt;
  auto k = static_cast<int64_t>(place);
  return (k * handle_s(p.id) + n - 1) / n;
}

} // namespace openassist::actors::desk
