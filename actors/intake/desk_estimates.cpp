#include "actors/intake/desk_model.hpp"

#include <algorithm>

// desk_estimates: queue places and wait estimates (docs/intake.md, "Wait
// estimates"): the rules are queue_model's; here the account's view of who is
// available for a portal.
namespace openassist::actors::desk {

const queue_model& model::queue(uint64_t portal) const {
  static const queue_model none;
  auto q = queues_.find(portal);
  return q == queues_.end() ? none : q->second;
}

size_t model::waiting_count(uint64_t portal) const {
  return queue(portal).size();
}

size_t model::position(const request& r) const {
  if (r.st != status::waiting)
    return 0;
  // Places matter in queue mode only; counting costs O(place).
  auto* p = portal_by_id(r.portal_id);
  if (p == nullptr || p->mode != "queue")
    return 0;
  return queue(r.portal_id).position(r.id);
}

int model::servers(const portal& p) const {
  int n = 0;
  for (auto& [uid, u] : org_.users)
    if (serves(p, uid) && available(uid))
      n += std::max(1, load(uid));
  return n;
}

int64_t model::handle_s(uint64_t portal) const {
  return queue(portal).handle_s(cfg_.default_handle_s);
}

std::optional<int64_t> model::wait_estimate_s(const portal& p,
                                              size_t place) const {
  return queue(p.id).wait_estimate_s(place, servers(p), cfg_.default_handle_s);
}

} // namespace openassist::actors::desk
