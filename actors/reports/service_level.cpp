#include "actors/reports/service_level.hpp"

#include <algorithm>
#include <cmath>

#include "actors/reports/rollup.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

level_facts level_facts_of(const request_facts& f) {
  return {f.created,     f.answered,          f.closed, f.ended, f.abandoned,
          f.no_response, !f.decliners.empty()};
}

// As request_facts says them.
std::optional<int64_t> level_facts::wait() const {
  return answered > 0 ? std::optional<int64_t>{answered - created}
                      : std::nullopt;
}

std::optional<int64_t> level_facts::handle() const {
  return answered > 0 && ended
           ? std::optional<int64_t>{std::max<int64_t>(closed - answered, 0)}
           : std::nullopt;
}

void service_level::add(const level_facts& f) {
  ++submitted_;
  open_ += f.ended ? 0 : 1;
  declined_ += f.declined ? 1 : 0;
  no_response_ += f.no_response ? 1 : 0;
  abandoned_ += f.abandoned ? 1 : 0;
  if (auto h = f.handle())
    handle_.add(*h);
  auto w = f.wait();
  if (!w)
    return;
  ++answered_;
  wait_.add(*w);
  within_ += *w <= target_ms_ ? 1 : 0;
  size_t bucket = 0;
  while (bucket < wait_bounds_ms.size() && *w > wait_bounds_ms[bucket])
    ++bucket;
  ++waits_[bucket];
}

bool bucket_target(int64_t target_ms) {
  return std::find(wait_bounds_ms.begin(), wait_bounds_ms.end(), target_ms) !=
         wait_bounds_ms.end();
}

void service_level::add(const rollup_cell& c) {
  submitted_ += c.submitted;
  answered_ += c.wait.count;
  declined_ += c.declined;
  no_response_ += c.no_response;
  abandoned_ += c.abandoned;
  open_ += c.open;
  wait_.merge(c.wait);
  handle_.merge(c.handle);
  for (size_t i = 0; i < waits_.size(); ++i) {
    waits_[i] += c.waits[i];
    if (i < wait_bounds_ms.size() && wait_bounds_ms[i] <= target_ms_)
      within_ += c.waits[i];
  }
}

json service_level::to_json() const {
  // Of the requests whose fate is known (the open ones may still be
  // answered in time), the share answered within the target.
  auto known = submitted_ - open_;
  json percent = nullptr;
  if (known > 0)
    percent = std::round(static_cast<double>(within_) * 1000.0 /
                         static_cast<double>(known)) /
              10.0;
  json waits = json::array();
  for (size_t i = 0; i < waits_.size(); ++i)
    waits.push_back(
      {{"up_to_ms",
        i < wait_bounds_ms.size() ? json(wait_bounds_ms[i]) : json(nullptr)},
       {"count", waits_[i]}});
  return {{"submitted", submitted_},
          {"answered", answered_},
          {"within_target", within_},
          {"within_target_percent", percent},
          {"declined", declined_},
          {"no_response", no_response_},
          {"abandoned", abandoned_},
          {"open", open_},
          {"average_wait_ms", wait_.average()},
          {"longest_wait_ms", wait_.largest()},
          {"average_handle_ms", handle_.average()},
          {"waits", std::move(waits)}};
}

} // namespace openassist::actors::reports
