#include "actors/reports/service_level.hpp"

#include <cmath>

namespace openassist::actors::reports {

using json = nlohmann::json;

void service_level::add(const request_facts& f) {
  ++submitted_;
  open_ += f.ended ? 0 : 1;
  declined_ += f.decliners.empty() ? 0 : 1;
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
