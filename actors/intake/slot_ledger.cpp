#include "actors/intake/slot_ledger.hpp"

namespace openassist::actors::intake {

const char* to_string(claim_outcome x) {
  switch (x) {
    case claim_outcome::claimed:
      return "claimed";
    case claim_outcome::taken:
      return "taken";
    case claim_outcome::not_open:
      return "not_open";
    case claim_outcome::stale:
      return "stale";
  }
  return "?";
}

const char* to_string(slot_state x) {
  switch (x) {
    case slot_state::reserved:
      return "reserved";
    case slot_state::held:
      return "held";
    case slot_state::releasing:
      return "releasing";
  }
  return "?";
}

std::variant<slot, errc> slot_ledger::reserve(uint64_t request,
                                              std::string queue, int max,
                                              int64_t now_ms) {
  if (auto s = find(request)) {
    if (s->state == slot_state::held)
      return *s;
    return errc::bad_state;
  }
  if (!has_room(max))
    return errc::full;
  slot s;
  s.request = request;
  s.queue = std::move(queue);
  s.no = ++last_no_;
  s.state = slot_state::reserved;
  s.since_ms = now_ms;
  slots_[request] = s;
  return s;
}

slot_ledger::step slot_ledger::claim_answered(uint64_t request,
                                              reservation_no no,
                                              claim_outcome o, int64_t now_ms) {
  auto s = find_mut(request);
  if (s == nullptr || s->no != no || s->state != slot_state::reserved)
    return step::none;
  if (o == claim_outcome::claimed) {
    s->state = slot_state::held;
    s->unsure = false;
    s->since_ms = now_ms;
    return step::held;
  }
  slots_.erase(request);
  return step::gone;
}

slot_ledger::step slot_ledger::holder_answered(uint64_t request,
                                               reservation_no no, uint64_t me,
                                               const holder_info& h,
                                               int64_t now_ms) {
  auto s = find_mut(request);
  if (s == nullptr || s->no != no)
    return step::none;
  bool mine = h.open && h.technician == me && h.no == no;
  if (!mine) {
    slots_.erase(request);
    return step::gone;
  }
  s->unsure = false;
  if (s->state != slot_state::reserved)
    return step::none; // held stays held; releasing sends the release again
  s->state = slot_state::held;
  s->since_ms = now_ms;
  return step::held;
}

std::optional<slot> slot_ledger::release(uint64_t request, bool front,
                                         int64_t now_ms) {
  auto s = find_mut(request);
  if (s == nullptr || s->state == slot_state::reserved)
    return std::nullopt;
  if (s->state == slot_state::held) {
    s->state = slot_state::releasing;
    s->since_ms = now_ms;
    s->front = front;
  }
  return *s;
}

slot_ledger::step slot_ledger::released(uint64_t request, reservation_no no) {
  auto s = find_mut(request);
  if (s == nullptr || s->no != no || s->state != slot_state::releasing)
    return step::none;
  slots_.erase(request);
  return step::gone;
}

slot_ledger::step slot_ledger::ended(uint64_t request, reservation_no no) {
  auto s = find_mut(request);
  // The queue tells only the holder of this very number, so even a slot
  // still reserved (its `claimed` overtaken by the `ended`, say from a queue
  // that restarted in between) is free: the request it claimed is over.
  if (s == nullptr || s->no != no)
    return step::none;
  slots_.erase(request);
  return step::gone;
}

std::vector<slot> slot_ledger::overdue(int64_t now_ms,
                                       int64_t timeout_ms) const {
  std::vector<slot> out;
  for (auto& [id, s] : slots_)
    if ((s.state != slot_state::held || s.unsure) &&
        now_ms - s.since_ms >= timeout_ms)
      out.push_back(s);
  return out;
}

const slot* slot_ledger::find(uint64_t request) const {
  auto i = slots_.find(request);
  return i == slots_.end() ? nullptr : &i->second;
}

slot* slot_ledger::find_mut(uint64_t request) {
  auto i = slots_.find(request);
  return i == slots_.end() ? nullptr : &i->second;
}

std::vector<uint64_t> slot_ledger::held() const {
  std::vector<uint64_t> out;
  for (auto& [id, s] : slots_)
    if (s.state == slot_state::held)
      out.push_back(id);
  return out;
}

void slot_ledger::restore(std::vector<slot> slots, reservation_no last_no) {
  slots_.clear();
  last_no_ = last_no;
  for (auto& s : slots) {
    if (s.no > last_no_)
      last_no_ = s.no; // never reuse a number storage has seen
    s.unsure = true;
    slots_[s.request] = std::move(s);
  }
}

} // namespace openassist::actors::intake
