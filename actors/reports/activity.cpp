// The technician activity report: segments of one status per technician,
// cut at the range and at the local midnights of the reader's zone.

#include "actors/reports/activity.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "actors/intake/business_hours.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

namespace {

constexpr std::array<const char*, 4> statuses = {"available", "busy", "away",
                                                 "offline"};
constexpr size_t offline = 3;

size_t status_index(const std::string& s) {
  for (size_t i = 0; i < statuses.size(); ++i)
    if (s == statuses[i])
      return i;
  return offline;
}

using durations = std::array<int64_t, 4>;

struct segment {
  uint64_t technician = 0;
  int64_t from = 0, to = 0;
  size_t status = offline;
};

struct technician_log {
  size_t status = offline; ///< since `since`
  int64_t since = 0;
  int changes = 0;
  durations total{};
};

// The local days of a zone: each instant's day ("YYYY-MM-DD") and when the
// next one begins, remembered per day (a range of 90 days has 90).
class day_cutter {
public:
  explicit day_cutter(const std::string& tz) : zone_(find_zone(tz)) {
    if (zone_ == nullptr)
      zone_ = find_zone("UTC");
  }

  // The day `at_ms` falls in and the instant (ms) the next day begins.
  std::pair<std::string, int64_t> day_of(int64_t at_ms) const {
    using namespace std::chrono;
    auto sys = date::sys_seconds{seconds{floor_div(at_ms, 1000)}};
    auto local = zone_ == nullptr ? date::local_seconds{sys.time_since_epoch()}
                                  : zone_->to_local(sys);
    auto day = date::floor<date::days>(local);
    auto name = date::format("%F", day);
    int64_t next = 0;
    if (auto start = local_day_start_unix(name, zone_name(), 1))
      next = *start * 1000;
    else
      next = (floor_div(at_ms, 86'400'000) + 1) * 86'400'000;
    if (next <= at_ms) // never stall on a zone's odd day
      next = at_ms + 1;
    return {name, next};
  }

private:
  static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
  }
  std::string zone_name() const {
    return zone_ == nullptr ? "UTC" : std::string{zone_->name()};
  }
  const date::time_zone* zone_;
};

json durations_json(json row, const durations& d) {
  for (size_t i = 0; i < statuses.size(); ++i)
    row[std::string{statuses[i]} + "_ms"] = d[i];
  return row;
}

} // namespace

struct activity_builder::impl {
  activity_request req;
  int64_t end = 0; ///< min(to, now): nothing after it is counted
  std::map<uint64_t, technician_log> logs;
  std::vector<segment> segments;
  bool started = false;

  // Closes the technician's current segment at `at` (within the range).
  void close(uint64_t tech, technician_log& log, int64_t at) {
    auto from = std::max(log.since, req.from_ms);
    auto to = std::min(at, end);
    if (to > from) {
      log.total[log.status] += to - from;
      segments.push_back({tech, from, to, log.status});
    }
    log.since = at;
  }
};

activity_builder::activity_builder(activity_request req)
  : p_(std::make_unique<impl>()) {
  p_->req = std::move(req);
  p_->end = std::min(p_->req.to_ms, p_->req.now_ms);
  for (auto& [id, name] : p_->req.technicians)
    p_->logs[id].since = p_->req.from_ms;
}

activity_builder::~activity_builder() = default;

void activity_builder::add(int64_t at_ms, uint64_t technician,
                           const std::string& status) {
  auto i = p_->logs.find(technician);
  if (i == p_->logs.end() || at_ms >= p_->end)
    return;
  auto& log = i->second;
  auto s = status_index(status);
  if (at_ms <= p_->req.from_ms) { // the status at the range's start
    log.status = s;
    log.since = p_->req.from_ms;
    return;
  }
  if (s == log.status)
    return; // the roll call repeats what is known
  p_->close(technician, log, at_ms);
  log.status = s;
  ++log.changes;
}

json activity_builder::finish() {
  auto& p = *p_;
  for (auto& [tech, log] : p.logs)
    p.close(tech, log, p.end);
  auto name = [&p](uint64_t id) { return p.req.technicians.at(id); };
  std::vector<uint64_t> order;
  for (auto& [id, log] : p.logs)
    order.push_back(id);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint64_t a, uint64_t b) { return name(a) < name(b); });

  json techs = json::array();
  for (auto id : order) {
    auto& log = p.logs.at(id);
    auto row = durations_json(
      {{"technician_id", std::to_string(id)}, {"name", name(id)}}, log.total);
    row["changes"] = log.changes;
    techs.push_back(std::move(row));
  }

  // Per local day: each segment cut at the midnights it spans.
  day_cutter cutter{p.req.time_zone};
  std::map<std::string, std::map<uint64_t, durations>> days;
  for (auto& s : p.segments)
    for (auto at = s.from; at < s.to;) {
      auto [day, next] = cutter.day_of(at);
      auto upto = std::min(next, s.to);
      days[day][s.technician][s.status] += upto - at;
      at = upto;
    }
  json day_rows = json::array();
  for (auto& [day, per] : days)
    for (auto id : order)
      if (auto d = per.find(id); d != per.end())
        day_rows.push_back(
          durations_json({{"day", day},
                          {"technician_id", std::to_string(id)},
                          {"name", name(id)}},
                         d->second));

  // The timeline: the newest segments, in time order.
  std::stable_sort(
    p.segments.begin(), p.segments.end(),
    [](const segment& a, const segment& b) { return a.from < b.from; });
  bool truncated = p.segments.size() > max_activity_segments;
  auto first =
    truncated ? p.segments.end() - max_activity_segments : p.segments.begin();
  json timeline = json::array();
  for (auto s = first; s != p.segments.end(); ++s)
    timeline.push_back({{"technician_id", std::to_string(s->technician)},
                        {"from", s->from},
                        {"to", s->to},
                        {"status", statuses[s->status]}});

  return {{"report", "activity"},
          {"from", p.req.from_ms},
          {"to", p.req.to_ms},
          {"generated_at", p.req.now_ms},
          {"time_zone", p.req.time_zone},
          {"technicians", std::move(techs)},
          {"days", std::move(day_rows)},
          {"timeline", std::move(timeline)},
          {"timeline_truncated", truncated}};
}

} // namespace openassist::actors::reports
