#include "actors/reports/monthly.hpp"

#include <cstdio>

namespace openassist::actors::reports {

using json = nlohmann::json;

namespace {

int digits(const std::string& s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int month_index(const std::string& m) {
  return digits(m, 0, 4) * 12 + digits(m, 5, 2) - 1;
}

std::string month_text(int index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", index / 12, index % 12 + 1);
  return buf;
}

report_request inner_request(const monthly_request& m) {
  report_request r;
  r.kind = m.kind;
  r.now_ms = m.now_ms;
  r.target_ms = m.target_ms;
  r.technicians = m.technicians;
  r.portals = m.portals;
  return r;
}

} // namespace

bool valid_month(const std::string& month) {
  if (month.size() != 7 || month[4] != '-')
    return false;
  auto y = digits(month, 0, 4), m = digits(month, 5, 2);
  return y >= 1970 && m >= 1 && m <= 12;
}

std::vector<std::string> months_between(const std::string& from,
                                        const std::string& to) {
  std::vector<std::string> out;
  if (!valid_month(from) || !valid_month(to))
    return out;
  for (int i = month_index(from); i <= month_index(to); ++i)
    out.push_back(month_text(i));
  return out;
}

monthly_builder::monthly_builder(monthly_request req)
  : req_(std::move(req)), report_(inner_request(req_)) {
  for (auto& m : months_between(req_.from_month, req_.to_month))
    months_[m];
}

void monthly_builder::add(const day_rollup& day) {
  auto month = months_.find(day.day.substr(0, 7));
  if (month == months_.end())
    return;
  for (auto& [key, cell] : day.cells) {
    if (!req_.all && !req_.scope.count(key.second))
      continue;
    if (req_.portal != 0 && key.first != req_.portal)
      continue;
    report_.add(key, cell);
    month->second.merge(cell);
  }
  through_day_ = std::max(through_day_, day.day);
}

json monthly_builder::finish() {
  json out = report_.finish();
  out.erase("from");
  out.erase("to");
  out["report"] = "monthly";
  out["kind"] = name_of(req_.kind);
  out["from_month"] = req_.from_month;
  out["to_month"] = req_.to_month;
  out["time_zone"] = req_.time_zone;
  out["through_day"] =
    through_day_.empty() ? json(nullptr) : json(through_day_);
  json rows = json::array();
  for (auto& [month, c] : months_) {
    rows.push_back({{"month", month},
                    {"submitted", c.submitted},
                    {"answered", c.answered},
                    {"declined", c.declined},
                    {"no_response", c.no_response},
                    {"abandoned", c.abandoned},
                    {"open", c.open},
                    {"average_wait_ms", c.wait.average()},
                    {"average_handle_ms", c.handle.average()},
                    {"ratings", c.rating.count},
                    {"average_rating", c.rating.average_2()}});
  }
  out["months"] = std::move(rows);
  return out;
}

} // namespace openassist::actors::reports
