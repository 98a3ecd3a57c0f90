// A report as CSV (RFC 4180, CRLF line ends): the tables of its JSON, in
// the same order and with the same numbers.

#include <ctime>
#include <string>
#include <vector>

#include "actors/reports/activity.hpp"
#include "actors/reports/report.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  // A spreadsheet runs a cell starting with these as a formula.
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' ||
                        cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(0, 1, '\'');
  if (cell.find_first_of(",\"\r\n") == std::string::npos)
    return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + '"';
}

namespace {

// Milliseconds as seconds ("41", "41.5", "0.005"); empty for null.
std::string seconds(const json& ms) {
  if (!ms.is_number_integer())
    return {};
  auto v = ms.get<int64_t>();
  auto text = std::to_string(v / 1000);
  if (auto frac = v % 1000; frac != 0) {
    auto digits = std::to_string(1000 + frac).substr(1);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

// Unix milliseconds as ISO 8601 in UTC, to the second; empty for null.
std::string iso_time(const json& ms) {
  if (!ms.is_number_integer())
    return {};
  auto t = static_cast<std::time_t>(ms.get<int64_t>() / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A number, a text, or nothing.
std::string plain(const json& v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_null())
    return {};
  if (v.is_number_float()) {
    auto text = std::to_string(v.get<double>());
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.')
      text.pop_back();
    return text;
  }
  return v.dump();
}

void line(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0)
      out += ',';
    out += csv_cell(cells[i]);
  }
  out += "\r\n";
}

void survey_lines(std::string& out, const json& s) {
  line(out, {"ratings", plain(s["ratings"])});
  line(out, {"average_rating", plain(s["average_rating"])});
  for (size_t i = 0; i < 5; ++i)
    line(out, {"rated_" + std::to_string(i + 1), plain(s["by_score"][i])});
  line(out, {"comments", plain(s["comments"])});
}

void technicians_table(std::string& out, const json& r) {
  line(out, {"technician_id", "technician", "sessions", "declined", "transfers",
             "average_wait_seconds", "average_handle_seconds", "ratings",
             "average_rating"});
  for (auto& x : r["technicians"])
    line(out,
         {plain(x["technician_id"]), plain(x["name"]), plain(x["sessions"]),
          plain(x["declined"]), plain(x["transfers"]),
          seconds(x["average_wait_ms"]), seconds(x["average_handle_ms"]),
          plain(x["ratings"]), plain(x["average_rating"])});
}

std::string snapshot_csv(const json& r) {
  std::string out;
  auto& t = r["totals"];
  line(out, {"measure", "value"});
  for (auto key : {"submitted", "answered", "declined", "no_response",
                   "abandoned", "open"})
    line(out, {key, plain(t[key])});
  line(out, {"average_wait_seconds", seconds(t["average_wait_ms"])});
  line(out, {"longest_wait_seconds", seconds(t["longest_wait_ms"])});
  line(out, {"average_handle_seconds", seconds(t["average_handle_ms"])});
  survey_lines(out, r["survey"]);
  out += "\r\n";
  technicians_table(out, r);
  out += "\r\n";
  line(out, {"portal_id", "portal", "submitted", "answered", "declined",
             "no_response", "abandoned", "open"});
  for (auto& x : r["portals"])
    line(out,
         {plain(x["portal_id"]), plain(x["name"]), plain(x["submitted"]),
          plain(x["answered"]), plain(x["declined"]), plain(x["no_response"]),
          plain(x["abandoned"]), plain(x["open"])});
  return out;
}

std::string technicians_csv(const json& r) {
  std::string out;
  technicians_table(out, r);
  return out;
}

std::string feedback_csv(const json& r) {
  std::string out;
  line(out, {"measure", "value"});
  survey_lines(out, r["survey"]);
  out += "\r\n";
  line(out, {"request_id", "closed", "portal", "technician", "customer",
             "rating", "comment"});
  for (auto& x : r["rows"])
    line(out, {plain(x["request_id"]), iso_time(x["closed_ms"]),
               plain(x["portal"]), plain(x["technician"]), plain(x["customer"]),
               plain(x["rating"]), plain(x["comment"])});
  return out;
}

std::string sessions_csv(const json& r) {
  std::string out;
  line(out,
       {"request_id", "portal_id", "portal", "technician_id", "technician",
        "customer", "created", "joined", "closed", "outcome", "resolution",
        "wait_seconds", "handle_seconds", "transfers", "rating", "comment"});
  for (auto& x : r["rows"])
    line(out,
         {plain(x["request_id"]), plain(x["portal_id"]), plain(x["portal"]),
          plain(x["technician_id"]), plain(x["technician"]),
          plain(x["customer"]), iso_time(x["created_ms"]),
          iso_time(x["joined_ms"]), iso_time(x["closed_ms"]),
          plain(x["outcome"]), plain(x["resolution"]), seconds(x["wait_ms"]),
          seconds(x["handle_ms"]), plain(x["transfers"]), plain(x["rating"]),
          plain(x["comment"])});
  return out;
}

// The measures of one service level (totals or a portal), as cells.
std::vector<std::string> level_cells(const json& x) {
  return {plain(x["submitted"]),          plain(x["answered"]),
          plain(x["within_target"]),      plain(x["within_target_percent"]),
          plain(x["declined"]),           plain(x["no_response"]),
          plain(x["abandoned"]),          plain(x["open"]),
          seconds(x["average_wait_ms"]),  seconds(x["longest_wait_ms"]),
          seconds(x["average_handle_ms"])};
}

std::string service_level_csv(const json& r) {
  static const std::vector<std::string> measures{"submitted",
                                                 "answered",
                                                 "within_target",
                                                 "within_target_percent",
                                                 "declined",
                                                 "no_response",
                                                 "abandoned",
                                                 "open",
                                                 "average_wait_seconds",
                                                 "longest_wait_seconds",
                                                 "average_handle_seconds"};
  std::string out;
  line(out, {"measure", "value"});
  line(out, {"target_seconds", seconds(r["target_ms"])});
  auto totals = level_cells(r["totals"]);
  for (size_t i = 0; i < measures.size(); ++i)
    line(out, {measures[i], totals[i]});
  out += "\r\n";
  line(out, {"wait_up_to_seconds", "answered"});
  for (auto& w : r["totals"]["waits"])
    line(out, {w["up_to_ms"].is_null() ? std::string{"more"}
                                       : seconds(w["up_to_ms"]),
               plain(w["count"])});
  out += "\r\n";
  std::vector<std::string> head{"portal_id", "portal"};
  head.insert(head.end(), measures.begin(), measures.end());
  line(out, head);
  for (auto& x : r["portals"]) {
    std::vector<std::string> cells{plain(x["portal_id"]), plain(x["name"])};
    auto more = level_cells(x);
    cells.insert(cells.end(), more.begin(), more.end());
    line(out, cells);
  }
  return out;
}

// A monthly report: its months, then the tables of its kind.
std::string monthly_csv(const json& r) {
  std::string out;
  line(out, {"month", "submitted", "answered", "declined", "no_response",
             "abandoned", "open", "average_wait_seconds",
             "average_handle_seconds", "ratings", "average_rating"});
  for (auto& x : r["months"])
    line(out, {plain(x["month"]), plain(x["submitted"]), plain(x["answered"]),
               plain(x["declined"]), plain(x["no_response"]),
               plain(x["abandoned"]), plain(x["open"]),
               seconds(x["average_wait_ms"]), seconds(x["average_handle_ms"]),
               plain(x["ratings"]), plain(x["average_rating"])});
  out += "\r\n";
  json inner = r;
  inner["report"] = r["kind"];
  return out + to_csv(inner);
}

} // namespace

std::string to_csv(const json& report) {
  if (report.value("report", std::string{}) == "monthly")
    return monthly_csv(report);
  auto kind = report_kind_from(report.value("report", std::string{}));
  switch (kind.value_or(report_kind::sessions)) {
    case report_kind::snapshot:
      return snapshot_csv(report);
    case report_kind::technicians:
      return technicians_csv(report);
    case report_kind::feedback:
      return feedback_csv(report);
    case report_kind::service_level:
      return service_level_csv(report);
    case report_kind::activity:
      return activity_csv(report);
    case report_kind::sessions:
      break;
  }
  return sessions_csv(report);
}

std::string activity_csv(const json& r) {
  std::string out;
  line(out, {"technician_id", "technician", "available_s", "busy_s", "away_s",
             "offline_s", "changes"});
  for (auto& x : r["technicians"])
    line(out, {plain(x["technician_id"]), plain(x["name"]),
               seconds(x["available_ms"]), seconds(x["busy_ms"]),
               seconds(x["away_ms"]), seconds(x["offline_ms"]),
               plain(x["changes"])});
  out += "\r\n";
  line(out, {"day", "technician_id", "technician", "available_s", "busy_s",
             "away_s", "offline_s"});
  for (auto& x : r["days"])
    line(out, {plain(x["day"]), plain(x["technician_id"]), plain(x["name"]),
               seconds(x["available_ms"]), seconds(x["busy_ms"]),
               seconds(x["away_ms"]), seconds(x["offline_ms"])});
  return out;
}

} // namespace openassist::actors::reports
