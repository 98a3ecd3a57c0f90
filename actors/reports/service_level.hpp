#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json.hpp>

#include "actors/reports/mean.hpp"
#include "actors/reports/request_facts.hpp"

// How fast requests were answered against a target wait (docs/reports.md,
// "Service level"): the numbers of one portal, or of all, from the facts of
// their requests.
namespace openassist::actors::reports {

/// The target wait when a manager names none, and its bounds.
inline constexpr int64_t default_target_ms = 60'000;
inline constexpr int64_t max_target_ms = 3'600'000;

/// The upper bounds of the wait distribution's buckets (the last bucket,
/// beyond the last bound, is "more than 10 minutes").
inline constexpr std::array<int64_t, 6> wait_bounds_ms{
  15'000, 30'000, 60'000, 120'000, 300'000, 600'000};

/// What the service level reads of one request (of request_facts, or of
/// a live request as the desk feeds dashboards).
struct level_facts {
  int64_t created = 0, answered = 0, closed = 0; ///< Unix ms; 0: not (yet)
  bool ended = false, abandoned = false, no_response = false, declined = false;

  std::optional<int64_t> wait() const;
  std::optional<int64_t> handle() const;
};

level_facts level_facts_of(const request_facts& f);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, level_facts& x) {
  return f(caf::meta::type_name("level_facts"), x.created, x.answered, x.closed,
           x.ended, x.abandoned, x.no_response, x.declined);
}

struct rollup_cell;

/// Whether a target wait can be read from the distribution alone (one of
/// wait_bounds_ms): the only targets of reports over roll-ups.
bool bucket_target(int64_t target_ms);

class service_level {
public:
  explicit service_level(int64_t target_ms = default_target_ms)
    : target_ms_(target_ms) {}

  void add(const level_facts& f);
  void add(const request_facts& f) { add(level_facts_of(f)); }
  /// A roll-up's requests (rollup.hpp); those within the target are
  /// counted from its distribution, so the target is a bucket_target.
  void add(const rollup_cell& c);

  /// submitted, answered, within_target, within_target_percent, declined,
  /// no_response, abandoned, open, the waits and the distribution.
  nlohmann::json to_json() const;

private:
  int64_t target_ms_;
  int64_t submitted_ = 0, answered_ = 0, within_ = 0, declined_ = 0,
          no_response_ = 0, abandoned_ = 0, open_ = 0;
  mean wait_, handle_;
  std::array<int64_t, wait_bounds_ms.size() + 1> waits_{};
};

} // namespace openassist::actors::reports
