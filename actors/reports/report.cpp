#include "actors/reports/report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "actors/json_fields.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

namespace {

constexpr std::array<std::pair<report_kind, const char*>, 4> kinds{{
  {report_kind::snapshot, "snapshot"},
  {report_kind::sessions, "sessions"},
  {report_kind::technicians, "technicians"},
  {report_kind::feedback, "feedback"},
}};

} // namespace

const std::set<std::string>& document_fields() {
  static const std::set<std::string> fields{
    "id",           "portal_id",   "technician_id", "created_ms", "closed_ms",
    "session",      "answered_ms", "joined_ms",     "status",     "outcome",
    "alert_rounds", "decliners",   "declined",      "rating",     "resolution",
    "comment",      "transfers",   "customer"};
  return fields;
}

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

// What a report reads of one stored request.
struct request_facts {
  uint64_t id = 0, portal = 0, technician = 0;
  int64_t created = 0, answered = 0, closed = 0;
  bool ended = false, abandoned = false, no_response = false;
  std::set<uint64_t> decliners;
  int rating = 0;
  std::string outcome, resolution, comment, customer;
  int transfers = 0;

  bool was_answered() const { return answered > 0; }
  std::optional<int64_t> wait() const {
    return was_answered() ? std::optional<int64_t>{answered - created}
                          : std::nullopt;
  }
  std::optional<int64_t> handle() const {
    return was_answered() && ended
             ? std::optional<int64_t>{std::max<int64_t>(closed - answered, 0)}
             : std::nullopt;
  }
};

std::optional<request_facts> facts_of(const json& doc) {
  if (!doc.is_object())
    return std::nullopt;
  request_facts f;
  f.id = value_or<uint64_t>(doc, "id", 0);
  if (f.id == 0)
    return std::nullopt;
  f.portal = value_or<uint64_t>(doc, "portal_id", 0);
  f.technician = value_or<uint64_t>(doc, "technician_id", 0);
  f.created = value_or<int64_t>(doc, "created_ms", 0);
  f.closed = value_or<int64_t>(doc, "closed_ms", 0);
  bool session = value_or<bool>(doc, "session", false);
  // Documents stored before reports knew the first join: the last one.
  f.answered = value_or<int64_t>(doc, "answered_ms", 0);
  if (f.answered == 0 && session)
    f.answered = value_or<int64_t>(doc, "joined_ms", 0);
  auto status = value_or<std::string>(doc, "status", "");
  f.ended = status == "closed" || status == "abandoned";
  f.outcome = f.ended ? value_or<std::string>(doc, "outcome", "") : "open";
  f.abandoned = f.ended && !session && f.outcome == "cancelled";
  f.no_response = value_or<int>(doc, "alert_rounds", 0) > 0;
  auto decl = doc.find("decliners");
  if (decl == doc.end())
    decl = doc.find("declined");
  if (decl != doc.end() && decl->is_array())
    for (auto& t : *decl)
      if (t.is_number_integer() && t.get<int64_t>() > 0)
        f.decliners.insert(t.get<uint64_t>());
  f.rating = std::clamp(value_or<int>(doc, "rating", 0), 0, 5);
  f.resolution = value_or<std::string>(doc, "resolution", "");
  f.comment = value_or<std::string>(doc, "comment", "");
  f.transfers = value_or<int>(doc, "transfers", 0);
  if (auto c = doc.find("customer"); c != doc.end() && c->is_object())
    f.customer = value_or<std::string>(*c, "name", "");
  return f;
}

// A sum and a count, and the largest value seen.
struct mean {
  int64_t sum = 0, count = 0, max = 0;
  void add(int64_t v) {
    sum += v;
    ++count;
    max = std::max(max, v);
  }
  json average() const {
    if (count == 0)
      return nullptr;
    return static_cast<int64_t>(
      std::llround(static_cast<double>(sum) / static_cast<double>(count)));
  }
  json largest() const { return count == 0 ? json(nullptr) : json(max); }
  json average_2() const { // two decimals
    if (count == 0)
      return nullptr;
    return std::round(static_cast<double>(sum) * 100.0 /
                      static_cast<double>(count)) /
           100.0;
  }
};

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
    // By name, then by id (ids are decimal strings: shorter is smaller).
    auto by_name = [](const char* id) {
      return [id](const json& a, const json& b) {
        auto an = a["name"].get<std::string>(),
             bn = b["name"].get<std::string>();
        if (an != bn)
          return an < bn;
        auto ai = a[id].get<std::string>(), bi = b[id].get<std::string>();
        return ai.size() != bi.size() ? ai.size() < bi.size() : ai < bi;
      };
    };
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
  auto f = facts_of(doc);
  if (!f)
    return;
  switch (p_->req.kind) {
    case report_kind::snapshot:
    case report_kind::technicians:
      p_->add_snapshot(*f);
      break;
    case report_kind::sessions:
      p_->add_row(*f);
      break;
    case report_kind::feedback:
      p_->add_snapshot(*f);
      if (f->rating > 0)
        p_->add_row(*f);
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
  }
  return out;
}

} // namespace openassist::actors::reports
