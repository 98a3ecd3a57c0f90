#include "actors/intake/claim_book.hpp"

namespace openassist::actors::intake {

void claim_book::open(uint64_t request) {
  open_.try_emplace(request, entry{request, 0, 0});
}

claim_outcome claim_book::claim(const claim_msg& m) {
  auto i = open_.find(m.request);
  if (i == open_.end())
    return claim_outcome::not_open;
  auto& e = i->second;
  if (e.technician == m.technician && e.no == m.no && m.no != 0)
    return claim_outcome::claimed; // the same claim again
  if (m.no <= fence(m.technician))
    return claim_outcome::stale;
  if (e.technician != 0)
    return claim_outcome::taken;
  e.technician = m.technician;
  e.no = m.no;
  return claim_outcome::claimed;
}

std::pair<holder_info, bool> claim_book::who_has(const who_has_msg& m) {
  bool moved = false;
  auto& f = fences_[m.technician];
  if (m.no > f) {
    f = m.no;
    moved = true;
  }
  return {holder(m.request), moved};
}

bool claim_book::release(const release_msg& m) {
  auto i = open_.find(m.request);
  if (i == open_.end() || i->second.technician != m.technician ||
      i->second.no != m.no)
    return false;
  if (m.front) {
    i->second.technician = 0;
    i->second.no = 0;
  } else {
    open_.erase(i);
  }
  return true;
}

std::optional<holder_info> claim_book::close(uint64_t request) {
  auto i = open_.find(request);
  if (i == open_.end())
    return std::nullopt;
  auto e = i->second;
  open_.erase(i);
  if (e.technician == 0)
    return std::nullopt;
  return holder_info{e.technician, e.no, false};
}

holder_info claim_book::holder(uint64_t request) const {
  auto i = open_.find(request);
  if (i == open_.end())
    return {};
  return {i->second.technician, i->second.no, true};
}

bool claim_book::waiting(uint64_t request) const {
  auto i = open_.find(request);
  return i != open_.end() && i->second.technician == 0;
}

reservation_no claim_book::fence(uint64_t technician) const {
  auto i = fences_.find(technician);
  return i == fences_.end() ? 0 : i->second;
}

std::vector<uint64_t> claim_book::held_by(uint64_t technician) const {
  std::vector<uint64_t> out;
  for (auto& [id, e] : open_)
    if (e.technician == technician && technician != 0)
      out.push_back(id);
  return out;
}

std::vector<claim_book::entry> claim_book::entries() const {
  std::vector<entry> out;
  out.reserve(open_.size());
  for (auto& [id, e] : open_)
    out.push_back(e);
  return out;
}

void claim_book::restore(const std::vector<entry>& entries,
                         std::map<uint64_t, reservation_no> fences) {
  open_.clear();
  for (auto& e : entries)
    open_[e.request] = e;
  fences_ = std::move(fences);
}

} // namespace openassist::actors::intake
