#include "actors/reports/report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "actors/reports/mean.hpp"
#include "actors/reports/request_facts.hpp"
#include "actors/reports/rollup.hpp"
#include "actors/reports/service_level.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

namespace {

constexpr std::array<std::pair<report_kind, const char*>, 6> kinds{{
  {report_kind::snapshot, "snapshot"},
  {report_kind::sessions, "sessions"},
  {report_kind::technicians, "technicians"},
  {report_kind::feedback, "feedback"},
  {report_kind::service_level, "service_level"},
  {report_kind::activity, "activity"},
}};

} // namespace

std::optional<report_kind> report_kind_from(const std::string& name) {
  for (auto& [kind, text] : kinds)
    if (name == text)
      return kind;
  return std::nullopt;
}

const char* name_of(report_kind kind) {
  for (auto& [k, text] : kinds)
    if (k == kind)
      return text;
  return "";
}

namespace {

struct outcome_counts {
  int64_t submitted = 0, answered = 0, declined = 0, no_response = 0,
          abandoned = 0, open = 0;
  void add(const request_facts& f) {
    ++submitted;
    answered += f.was_answered() ? 1 : 0;
    declined += f.decliners.empty() ? 0 : 1;
    no_response += f.no_response ? 1 : 0;
    abandoned += f.abandoned ? 1 : 0;
    open += f.ended ? 0 : 1;
  }
  void add(const rollup_cell& c) {
    submitted += c.submitted;
    answered += c.answered;
    declined += c.declined;
    no_response += c.no_response;
    abandoned += c.abandoned;
    open += c.open;
  }
  void put(json& out) const {
    out["submitted"] = submitted;
    out["answered"] = answered;
    out["declined"] = declined;
    out["no_response"] = no_response;
    out["abandoned"] = abandoned;
    out["open"] = open;
  }
};

struct technician_numbers {
  int64_t sessions = 0, declined = 0, transfers = 0;
  mean wait, handle, rating;
};

json optional_ms(const std::optional<int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

// Rows by name, then by id (ids are decimal strings: shorter is smaller).
auto by_name(const char* id) {
  return [id](const json& a, const json& b) {
    auto an = a["name"].get<std::string>(), bn = b["name"].get<std::string>();
    if (an != bn)
      return an < bn;
    auto ai = a[id].get<std::string>(), bi = b[id].get<std::string>();
    return ai.size() != bi.size() ? ai.size() < bi.size() : ai < bi;
  };
}

json positive_ms(int64_t v) {
  return v > 0 ? json(v) : json(nullptr);
}

} // namespace

struct report_builder::impl {
  report_request req;
  // snapshot
  outcome_counts totals;
  mean wait, handle, rating;
  int64_t comments = 0;
  std::array<int64_t, 5> by_score{};
  std::map<uint64_t, technician_numbers> technicians;
  std::map<uint64_t, outcome_counts> portals;
  // service level
  std::optional<service_level> levels;
  std::map<uint64_t, service_level> portal_levels;
  // session detail: the newest rows, by request id
  std::map<uint64_t, json> rows;
  bool truncated = false;

  std::string technician_name(uint64_t id) const {
    auto i = req.technicians.find(id);
    return i == req.technicians.end() ? std::string{} : i->second;
  }
  std::string portal_name(uint64_t id) const {
    auto i = req.portals.find(id);
    return i == req.portals.end() ? std::string{} : i->second;
  }

  void add_snapshot(const request_facts& f) {
    totals.add(f);
    portals[f.portal].add(f);
    if (auto w = f.wait())
      wait.add(*w);
    if (auto h = f.handle())
      handle.add(*h);
    if (f.rating > 0) {
      rating.add(f.rating);
      ++by_score[static_cast<size_t>(f.rating - 1)];
      comments += f.comment.empty() ? 0 : 1;
    }
    for (auto t : f.decliners)
      ++technicians[t].declined;
    if (f.was_answered() && f.technician != 0) {
      auto& t = technicians[f.technician];
      ++t.sessions;
      t.transfers += f.transfers;
      if (auto w = f.wait())
        t.wait.add(*w);
      if (auto h = f.handle())
        t.handle.add(*h);
      if (f.rating > 0)
        t.rating.add(f.rating);
    }
  }

  // The same numbers as add_snapshot over the cell's requests.
  void add_snapshot(const cell_key& key, const rollup_cell& c) {
    totals.add(c);
    portals[key.first].add(c);
    wait.merge(c.wait);
    handle.merge(c.handle);
    rating.merge(c.rating);
    for (size_t i = 0; i < by_score.size(); ++i)
      by_score[i] += c.by_score[i];
    comments += c.comments;
    for (auto& [t, n] : c.declines)
      technicians[t].declined += n;
    if (key.second != 0 && c.answered > 0) {
      auto& t = technicians[key.second];
      t.sessions += c.answered;
      t.transfers += c.transfers;
      t.wait.merge(c.wait);
      t.handle.merge(c.handle);
      t.rating.merge(c.rating_answered);
    }
  }

  void add_level(const cell_key& key, const rollup_cell& c) {
    if (!levels)
      levels.emplace(req.target_ms);
    levels->add(c);
    portal_levels.try_emplace(key.first, req.target_ms).first->second.add(c);
  }

  void add_row(const request_facts& f) {
    if (rows.size() == max_session_rows) {
      truncated = true;
      if (rows.begin()->first > f.id)
        return;
      rows.erase(rows.begin());
    }
    rows[f.id] =
      json{{"request_id", std::to_string(f.id)},
           {"portal_id", std::to_string(f.portal)},
           {"portal", portal_name(f.portal)},
           {"technician_id",
            f.technician == 0 ? std::string{} : std::to_string(f.technician)},
           {"technician", technician_name(f.technician)},
           {"customer", f.customer},
           {"created_ms", f.created},
           {"joined_ms", positive_ms(f.answered)},
           {"closed_ms", f.ended ? positive_ms(f.closed) : nullptr},
           {"outcome", f.outcome},
           {"resolution", f.resolution},
           {"wait_ms", optional_ms(f.wait())},
           {"handle_ms", optional_ms(f.handle())},
           {"transfers", f.transfers},
           {"rating", f.rating},
           {"comment", f.comment}};
  }

  void add_level(const request_facts& f) {
    if (!levels)
      levels.emplace(req.target_ms);
    levels->add(f);
    portal_levels.try_emplace(f.portal, req.target_ms).first->second.add(f);
  }

  json service_levels() const {
    json ports = json::array();
    for (auto& [id, n] : portal_levels) {
      json row = n.to_json();
      row["portal_id"] = std::to_string(id);
      row["name"] = portal_name(id);
      ports.push_back(std::move(row));
    }
    std::sort(ports.begin(), ports.end(), by_name("portal_id"));
    return {
      {"target_ms", req.target_ms},
      {"totals", (levels ? *levels : service_level{req.target_ms}).to_json()},
      {"portals", std::move(ports)}};
  }

  json snapshot() const {
    json t = json::object();
    totals.put(t);
    t["average_wait_ms"] = wait.average();
    t["longest_wait_ms"] = wait.largest();
    t["average_handle_ms"] = handle.average();
    json techs = json::array();
    for (auto& [id, n] : technicians)
      techs.push_back({{"technician_id", std::to_string(id)},
                       {"name", technician_name(id)},
                       {"sessions", n.sessions},
                       {"declined", n.declined},
                       {"transfers", n.transfers},
                       {"average_wait_ms", n.wait.average()},
                       {"average_handle_ms", n.handle.average()},
                       {"ratings", n.rating.count},
                       {"average_rating", n.rating.average_2()}});
    json ports = json::array();
    for (auto& [id, n] : portals) {
      json row = {{"portal_id", std::to_string(id)}, {"name", portal_name(id)}};
      n.put(row);
      ports.push_back(std::move(row));
    }
    std::sort(techs.begin(), techs.end(), by_name("technician_id"));
    std::sort(ports.begin(), ports.end(), by_name("portal_id"));
    return {{"totals", t},
            {"technicians", techs},
            {"portals", ports},
            {"survey",
             {{"ratings", rating.count},
              {"average_rating", rating.average_2()},
              {"by_score", by_score},
              {"comments", comments}}}};
  }
};

report_builder::report_builder(report_request req)
  : p_(std::make_unique<impl>()) {
  p_->req = std::move(req);
}

report_builder::~report_builder() = default;

void report_builder::add(const json& doc) {
  if (auto f = facts_of(doc))
    add(*f);
}

void report_builder::add(const request_facts& f) {
  switch (p_->req.kind) {
    case report_kind::snapshot:
    case report_kind::technicians:
      p_->add_snapshot(f);
      break;
    case report_kind::sessions:
      p_->add_row(f);
      break;
    case report_kind::feedback:
      p_->add_snapshot(f);
      if (f.rating > 0)
        p_->add_row(f);
      break;
    case report_kind::service_level:
      p_->add_level(f);
      break;
    case report_kind::activity: // read from the presence log (activity.hpp)
      break;
  }
}

void report_builder::add(const cell_key& key, const rollup_cell& c) {
  switch (p_->req.kind) {
    case report_kind::snapshot:
    case report_kind::technicians:
      p_->add_snapshot(key, c);
      break;
    case report_kind::service_level:
      p_->add_level(key, c);
      break;
    case report_kind::sessions: // rows are read from the facts only
    case report_kind::feedback:
    case report_kind::activity:
      break;
  }
}

json report_builder::finish() {
  auto& req = p_->req;
  json out = {{"report", name_of(req.kind)},
              {"from", req.from_ms},
              {"to", req.to_ms},
              {"generated_at", req.now_ms}};
  auto rows = [this, &out] {
    json list = json::array();
    for (auto& [id, row] : p_->rows)
      list.push_back(std::move(row));
    out["truncated"] = p_->truncated;
    out["rows"] = std::move(list);
  };
  switch (req.kind) {
    case report_kind::snapshot:
      out.update(p_->snapshot());
      break;
    case report_kind::technicians:
      out["technicians"] = p_->snapshot()["technicians"];
      break;
    case report_kind::sessions:
      rows();
      break;
    case report_kind::feedback:
      out["survey"] = p_->snapshot()["survey"];
      rows();
      break;
    case report_kind::service_level:
      out.update(p_->service_levels());
      break;
    case report_kind::activity:
      break;
  }
  return out;
}

} // namespace openassist::actors::reports
