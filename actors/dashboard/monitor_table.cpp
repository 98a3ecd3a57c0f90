#include "actors/dashboard/monitor_table.hpp"

#include <algorithm>

namespace openassist::actors::dashboard {

namespace {

bool in(const dashboard_scope& scope, uint64_t team) {
  return team != 0 && std::find(scope.teams.begin(), scope.teams.end(), team) !=
                        scope.teams.end();
}

// A key: "t<technician>" or "r<request>".
std::pair<char, uint64_t> parse_key(const std::string& key) {
  if (key.size() < 2 || key.size() > 21 ||
      key.find_first_not_of("0123456789", 1) != std::string::npos)
    return {'\0', 0};
  return {key[0], std::stoull(key.substr(1))};
}

} // namespace

bool monitor_table::shows(const dashboard_request& r) const {
  if (kind_ == "waiting")
    return r.status == "waiting";
  if (kind_ == "active")
    return r.status == "assigned" || r.status == "active";
  return false;
}

void monitor_table::put_technician(const dashboard_technician& t, change& c) {
  if (kind_ != "technicians")
    return;
  auto key = "t" + std::to_string(t.id);
  technicians_[t.id] = t;
  c.changed.insert(key);
  c.gone.erase(key);
}

void monitor_table::count_request(const dashboard_request& r, bool replace,
                                  change& c) {
  if (day_start_ == 0 || r.created_ms < day_start_)
    return;
  auto& p = portals_[r.portal_id];
  if (!r.portal_name.empty())
    p.name = r.portal_name;
  p.teams = r.portal_team_ids;
  auto [at, fresh] = p.requests.try_emplace(r.id, r.facts);
  if (!fresh && !replace)
    return;
  at->second = r.facts;
  auto key = "p" + std::to_string(r.portal_id);
  c.changed.insert(key);
  c.gone.erase(key);
}

monitor_table::change monitor_table::set_day(int64_t start_ms) {
  change c;
  if (start_ms == day_start_)
    return c;
  day_start_ = start_ms;
  for (auto p = portals_.begin(); p != portals_.end();) {
    auto key = "p" + std::to_string(p->first);
    std::erase_if(p->second.requests,
                  [&](auto& r) { return r.second.created < start_ms; });
    if (p->second.requests.empty()) {
      c.gone.insert(key);
      p = portals_.erase(p);
    } else {
      c.changed.insert(key);
      ++p;
    }
  }
  return c;
}

monitor_table::change monitor_table::set_target(int64_t target_ms) {
  change c;
  if (target_ms == target_ms_)
    return c;
  target_ms_ = target_ms;
  for (auto& [id, p] : portals_)
    c.changed.insert("p" + std::to_string(id));
  return c;
}

monitor_table::change
monitor_table::add_history(const std::vector<dashboard_request>& requests) {
  change c;
  if (kind_ == "service_level")
    for (auto& r : requests)
      count_request(r, false, c);
  return c;
}

void monitor_table::put_request(const dashboard_request& r, change& c) {
  if (kind_ == "service_level")
    return count_request(r, true, c);
  auto key = "r" + std::to_string(r.id);
  if (!shows(r)) {
    if (requests_.erase(r.id) > 0) {
      c.gone.insert(key);
      c.changed.erase(key);
    }
    return;
  }
  requests_[r.id] = r;
  c.changed.insert(key);
  c.gone.erase(key);
}

monitor_table::change monitor_table::apply(const dashboard_feed& feed) {
  change c;
  if (feed.full) {
    for (auto& [id, t] : technicians_)
      c.gone.insert("t" + std::to_string(id));
    for (auto& [id, r] : requests_)
      c.gone.insert("r" + std::to_string(id));
    for (auto& [id, p] : portals_)
      c.gone.insert("p" + std::to_string(id));
    technicians_.clear();
    requests_.clear();
    portals_.clear();
  } else if (feed.whole_roster && kind_ == "technicians") {
    // Technicians no longer in the roster (deleted) are gone.
    std::set<uint64_t> now;
    for (auto& t : feed.technicians)
      now.insert(t.id);
    for (auto i = technicians_.begin(); i != technicians_.end();)
      if (!now.count(i->first)) {
        c.gone.insert("t" + std::to_string(i->first));
        i = technicians_.erase(i);
      } else {
        ++i;
      }
  }
  for (auto& t : feed.technicians)
    put_technician(t, c);
  for (auto& r : feed.requests)
    put_request(r, c);
  if ((feed.watchers_changed || feed.full) && kind_ == "managers") {
    // The whole list: who is no longer in it is gone.
    std::map<std::string, dashboard_watcher> now;
    for (auto& w : feed.watchers)
      now.emplace("w" + std::to_string(w.manager_id) + "-" +
                    std::to_string(w.request_id),
                  w);
    for (auto& [key, w] : watchers_)
      if (!now.count(key))
        c.gone.insert(key);
    for (auto& [key, w] : now) {
      auto old = watchers_.find(key);
      if (old == watchers_.end() || old->second.since_ms != w.since_ms ||
          old->second.technician_name != w.technician_name)
        c.changed.insert(key);
    }
    watchers_ = std::move(now);
  }
  return c;
}

void monitor_table::clear() {
  technicians_.clear();
  requests_.clear();
  watchers_.clear();
  portals_.clear();
}

bool monitor_table::visible(const std::string& key,
                            const dashboard_scope& scope) const {
  // Who watches which session is for company managers only.
  if (!key.empty() && key[0] == 'w')
    return scope.all && watchers_.count(key) > 0;
  auto [kind, id] = parse_key(key);
  if (kind == 't') {
    auto t = technicians_.find(id);
    return t != technicians_.end() &&
           (scope.all || in(scope, t->second.team_id));
  }
  if (kind == 'p') { // team managers: the portals that serve their teams
    auto p = portals_.find(id);
    return p != portals_.end() &&
           (scope.all ||
            std::any_of(p->second.teams.begin(), p->second.teams.end(),
                        [&](uint64_t t) { return in(scope, t); }));
  }
  if (kind != 'r')
    return false;
  auto i = requests_.find(id);
  if (i == requests_.end())
    return false;
  if (scope.all)
    return true;
  auto& r = i->second;
  if (in(scope, r.team_id) || in(scope, r.technician_team_id))
    return true;
  // A waiting request no team was chosen for: the managers of the teams
  // that serve its portal.
  return r.status == "waiting" && r.team_id == 0 &&
         std::any_of(r.portal_team_ids.begin(), r.portal_team_ids.end(),
                     [&](uint64_t t) { return in(scope, t); });
}

json monitor_table::row(const std::string& key) const {
  if (auto w = watchers_.find(key); w != watchers_.end())
    return {{"key", key},
            {"manager_id", w->second.manager_id},
            {"manager_name", w->second.manager_name},
            {"request_id", std::to_string(w->second.request_id)},
            {"customer_name", w->second.customer_name},
            {"technician_name", w->second.technician_name},
            {"since", w->second.since_ms}};
  auto [kind, id] = parse_key(key);
  if (kind == 'p')
    return level_row(key, id);
  if (kind == 't') {
    auto i = technicians_.find(id);
    if (i == technicians_.end())
      return nullptr;
    auto& t = i->second;
    return {{"key", key},
            {"technician_id", t.id},
            {"name", t.name},
            {"team_id", t.team_id},
            {"team_name", t.team_name},
            {"status", t.status},
            {"status_since", t.since_ms},
            {"active_sessions", t.active},
            {"max_sessions", t.max}};
  }
  auto i = kind == 'r' ? requests_.find(id) : requests_.end();
  if (i == requests_.end())
    return nullptr;
  auto& r = i->second;
  json out = {{"key", key},
              {"request_id", std::to_string(r.id)},
              {"portal_id", r.portal_id},
              {"portal_name", r.portal_name},
              {"customer_name", r.customer_name},
              {"created_at", r.created_ms},
              {"team_id", r.team_id}};
  if (kind_ == "active") {
    out["status"] = r.status;
    out["technician_id"] = r.technician_id;
    out["technician_name"] = r.technician_name;
    out["started_at"] = r.updated_ms;
  }
  return out;
}

json monitor_table::level_row(const std::string& key, uint64_t portal) const {
  auto p = portals_.find(portal);
  if (p == portals_.end())
    return nullptr;
  reports::service_level level{target_ms_};
  for (auto& [id, facts] : p->second.requests)
    level.add(facts);
  auto out = level.to_json();
  out["key"] = key;
  out["portal_id"] = std::to_string(portal);
  out["portal_name"] = p->second.name;
  out["day_start"] = day_start_;
  out["target_ms"] = target_ms_;
  return out;
}

json monitor_table::rows(const dashboard_scope& scope,
                         std::set<std::string>& keys) const {
  json out = json::array();
  auto add = [&](const std::string& key) {
    if (!visible(key, scope))
      return;
    keys.insert(key);
    out.push_back(row(key));
  };
  for (auto& [id, t] : technicians_)
    add("t" + std::to_string(id));
  for (auto& [id, r] : requests_)
    add("r" + std::to_string(id));
  for (auto& [key, w] : watchers_)
    add(key);
  for (auto& [id, p] : portals_)
    add("p" + std::to_string(id));
  return out;
}

} // namespace openassist::actors::dashboard
