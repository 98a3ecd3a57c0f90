#include "actors/org/org_model.hpp"

#include <algorithm>

#include "actors/json_fields.hpp"

namespace openassist::actors {

const char* to_string(role r) {
  switch (r) {
    case role::company_manager:
      return "company_manager";
    case role::team_manager:
      return "team_manager";
    case role::api_manager:
      return "api_manager";
    case role::technician:
      return "technician";
  }
  return "technician";
}

std::optional<role> role_from_string(const std::string& s) {
  for (auto r : {role::company_manager, role::team_manager, role::api_manager,
                 role::technician})
    if (s == to_string(r))
      return r;
  return std::nullopt;
}

const char* org_user::kind() const {
  return r == role::technician ? "technician" : "manager";
}

json overrides_json(const feature_overrides& o) {
  json j = json::object();
  for (auto [f, on] : o.flags)
    j[std::string{feature_names[static_cast<size_t>(f)]}] = on;
  if (o.max_sessions)
    j["max_sessions"] = *o.max_sessions;
  return j;
}

json values_json(const feature_values& v) {
  json j = json::object();
  for (size_t i = 0; i < feature_count; ++i)
    j[std::string{feature_names[i]}] = v.flags[i];
  j["max_sessions"] = v.max_sessions;
  return j;
}

namespace {

// Stored overrides were validated when written; unknown keys are skipped.
feature_overrides overrides_from(const json& j) {
  feature_overrides o;
  if (!j.is_object())
    return o;
  for (auto& [k, v] : j.items()) {
    if (k == "max_sessions" && v.is_number_integer())
      o.max_sessions = v.get<int>();
    else if (auto f = feature_from_name(k); f && v.is_boolean())
      o.flags[*f] = v.get<bool>();
  }
  return o;
}

json user_json(const org_user& u, bool with_secret) {
  json skills = json::array();
  for (auto& s : u.skills)
    skills.push_back({{"name", s.name}, {"rank", s.rank}});
  json j = {{"id", u.id},
            {"kind", u.kind()},
            {"role", to_string(u.r)},
            {"email", u.email},
            {"first_name", u.first_name},
            {"last_name", u.last_name},
            {"screen_name", u.screen_name},
            {"custom", u.custom},
            {"language", u.language},
            {"time_zone", u.time_zone},
            {"team_id", u.team_id},
            {"managed_team_ids", u.managed_team_ids},
            {"skills", skills},
            {"features", overrides_json(u.features)}};
  if (with_secret) {
    j["password_hash"] = u.password_hash;
    j["deleted"] = u.deleted;
  }
  return j;
}

json fields_json(const std::vector<portal_field>& fields) {
  json out = json::array();
  for (auto& f : fields) {
    json j = {{"key", f.key},
              {"label", f.label},
              {"type", f.type},
              {"required", f.required}};
    if (f.type == "skill") {
      j["choices"] = f.choices;
      // Only where a label was given (the plain list stays as it was).
      if (!f.choice_labels.empty())
        j["choice_labels"] = f.labels();
    }
    if (!f.translations.empty())
      j["translations"] = translations_json(f);
    out.push_back(std::move(j));
  }
  return out;
}

json portal_json(const portal& p) {
  json subs = json::array();
  for (auto& s : p.sub_portals)
    subs.push_back({{"id", s.id}, {"name", s.name}, {"team_ids", s.team_ids}});
  return {{"id", p.id},
          {"hours_id", p.hours_id},
          {"name", p.name},
          {"slug", p.slug},
          {"mode", p.mode},
          {"type", p.type},
          {"skills_routing", p.skills_routing},
          {"alert_timeout_s", p.alert_timeout_s},
          {"code_ttl_min", p.code_ttl_min},
          {"recording_max_mb", p.recording_max_mb},
          {"recording_retention_days", p.recording_retention_days},
          {"time_zone", p.time_zone},
          {"notification_email", p.notification_email},
          {"features", overrides_json(p.features)},
          {"texts", {{"title", p.title}, {"welcome", p.welcome}}},
          {"sub_portals", subs},
          {"fields", fields_json(p.fields)}};
}

} // namespace

namespace {

std::string hhmm(int minutes) {
  minutes = std::clamp(minutes, 0, 1440);
  std::string out = std::to_string(minutes / 60) + ":" +
                    std::to_string(minutes % 60 / 10) +
                    std::to_string(minutes % 10);
  return out.size() == 4 ? "0" + out : out;
}

} // namespace

json public_json(const hours_set& h) {
  json weekly = json::array(), days = json::array();
  for (auto& w : h.hours.weekly)
    weekly.push_back({{"day", w.weekday},
                      {"open", hhmm(w.open_minute)},
                      {"close", hhmm(w.close_minute)}});
  for (auto& d : h.hours.special_days) {
    json hours = json::array();
    for (auto& [o, c] : d.hours)
      hours.push_back({{"open", hhmm(o)}, {"close", hhmm(c)}});
    days.push_back({{"date", d.date},
                    {"name", d.name},
                    {"closed", d.closed},
                    {"hours", hours}});
  }
  return {{"id", h.id},
          {"name", h.hours.name},
          {"weekly", weekly},
          {"special_days", days}};
}

std::string hours_from_json(const json& j, business_hours& out) {
  if (!j.is_object())
    return "body: must be an object";
  if (!j.contains("name") || !j["name"].is_string())
    return "name: is required";
  out.name = j["name"].get<std::string>();
  out.weekly.clear();
  out.special_days.clear();
  auto minutes = [](const json& v, int& m) {
    if (!v.is_string())
      return false;
    auto parsed = parse_hhmm(v.get<std::string>());
    if (!parsed)
      return false;
    m = *parsed;
    return true;
  };
  auto weekly = j.value("weekly", json::array());
  if (!weekly.is_array())
    return "weekly: must be a list";
  for (size_t i = 0; i < weekly.size(); ++i) {
    auto& w = weekly[i];
    auto where = "weekly[" + std::to_string(i) + "]";
    weekly_interval x;
    if (!w.is_object() || !w.contains("day") || !w["day"].is_number_integer())
      return where + ".day: must be 0 (Sunday) to 6";
    x.weekday = w["day"].get<int>();
    if (!minutes(w.value("open", json{}), x.open_minute))
      return where + ".open: must be HH:MM";
    if (!minutes(w.value("close", json{}), x.close_minute))
      return where + ".close: must be HH:MM";
    out.weekly.push_back(x);
  }
  auto days = j.value("special_days", json::array());
  if (!days.is_array())
    return "special_days: must be a list";
  for (size_t i = 0; i < days.size(); ++i) {
    auto& d = days[i];
    auto where = "special_days[" + std::to_string(i) + "]";
    if (!d.is_object())
      return where + ": must be an object";
    special_day x;
    x.date =
      d.value("date", json{}).is_string() ? d["date"].get<std::string>() : "";
    x.name =
      d.value("name", json{}).is_string() ? d["name"].get<std::string>() : "";
    x.closed = d.value("closed", true);
    for (auto& h : d.value("hours", json::array())) {
      int o = 0, c = 0;
      if (!h.is_object() || !minutes(h.value("open", json{}), o) ||
          !minutes(h.value("close", json{}), c))
        return where + ".hours: each needs open and close as HH:MM";
      x.hours.emplace_back(o, c);
    }
    out.special_days.push_back(std::move(x));
  }
  return validate(out);
}

json public_json(const org_user& u) {
  return user_json(u, false);
}

json public_json(const team& t, size_t technician_count) {
  return {{"id", t.id},
          {"name", t.name},
          {"parent_id", t.parent_id},
          {"features", overrides_json(t.features)},
          {"technician_count", technician_count}};
}

json public_json(const portal& p) {
  return portal_json(p);
}

std::set<uint64_t> with_sub_teams(const org_account& a,
                                  std::set<uint64_t> teams) {
  for (bool grew = true; grew;) {
    grew = false;
    for (auto& [tid, t] : a.teams)
      if (t.parent_id != 0 && teams.count(t.parent_id) &&
          teams.insert(tid).second)
        grew = true;
  }
  return teams;
}

std::vector<const feature_overrides*> team_chain(const org_account& a,
                                                 uint64_t team_id) {
  std::vector<const feature_overrides*> chain;
  for (int depth = 0; team_id != 0 && depth < 64; ++depth) {
    auto i = a.teams.find(team_id);
    if (i == a.teams.end())
      break;
    chain.insert(chain.begin(), &i->second.features);
    team_id = i->second.parent_id;
  }
  return chain;
}

feature_values user_features(const org_account& a, const org_user& u) {
  auto chain = team_chain(a, u.team_id);
  chain.push_back(&u.features);
  return resolve(chain);
}

bool may_run_reports(const org_account& a, const org_user& u) {
  if (u.deleted)
    return false;
  if (u.r != role::technician)
    return true;
  auto f = user_features(a, u);
  return f.on(feature::management_center) && f.on(feature::reports_self);
}

json me_json(const org_account& a, const org_user& u) {
  bool center = u.r != role::technician ||
                user_features(a, u).on(feature::management_center);
  auto j = public_json(u);
  j["may"] = {{"management_center", center},
              {"reports", may_run_reports(a, u)}};
  return j;
}

json to_storage_json(const org_account& a) {
  json users = json::array(), teams = json::array(), portals = json::array();
  for (auto& [id, u] : a.users)
    users.push_back(user_json(u, true));
  for (auto& [id, t] : a.teams)
    teams.push_back(public_json(t, 0));
  for (auto& [id, p] : a.portals)
    portals.push_back(portal_json(p));
  json hours = json::array();
  for (auto& [id, h] : a.hours_sets)
    hours.push_back(public_json(h));
  json monitors = json::array();
  for (auto& [id, m] : a.monitors)
    monitors.push_back({{"id", m.id},
                        {"name", m.name},
                        {"kind", m.kind},
                        {"created_by", m.created_by},
                        {"started_ms", m.started_ms},
                        {"run_ms", m.run_ms},
                        {"target_s", m.target_s}});
  json saved = json::array();
  for (auto& [id, r] : a.saved_reports)
    saved.push_back({{"id", r.id},
                     {"owner", r.owner},
                     {"name", r.name},
                     {"kind", r.kind},
                     {"period", r.period},
                     {"from_day", r.from_day},
                     {"to_day", r.to_day},
                     {"portal_id", r.portal_id},
                     {"team_id", r.team_id},
                     {"technician_id", r.technician_id},
                     {"target_s", r.target_s},
                     {"updated_ms", r.updated_ms},
                     {"schedule", r.schedule},
                     {"send_at", r.send_at},
                     {"email", r.email},
                     {"delivered_ms", r.delivered_ms}});
  return {{"id", a.id},
          {"name", a.name},
          {"next_id", a.next_id},
          {"next_audit", a.next_audit},
          {"file_limit_mb", a.file_limit_mb},
          {"retention_days", a.retention_days},
          {"report_days", a.report_days},
          {"time_zone", a.time_zone},
          {"users", users},
          {"teams", teams},
          {"portals", portals},
          {"hours_sets", hours},
          {"monitors", monitors},
          {"saved_reports", saved}};
}

std::optional<org_account> from_storage_json(const json& j) {
  if (!j.is_object() || !j.contains("id"))
    return std::nullopt;
  org_account a;
  a.id = value_or<std::string>(j, "id", "");
  a.name = value_or<std::string>(j, "name", "");
  a.next_id = value_or<uint64_t>(j, "next_id", 1);
  a.file_limit_mb = value_or<int>(j, "file_limit_mb", 25);
  a.retention_days = value_or<int>(j, "retention_days", 365);
  a.report_days =
    std::clamp(value_or<int>(j, "report_days", 90), 1, a.retention_days);
  a.time_zone = value_or<std::string>(j, "time_zone", "UTC");
  a.next_audit = value_or<uint64_t>(j, "next_audit", 1);
  for (auto& u : j.value("users", json::array())) {
    org_user x;
    x.id = value_or<uint64_t>(u, "id", 0);
    x.r = role_from_string(value_or<std::string>(u, "role", ""))
            .value_or(role::technician);
    x.email = value_or<std::string>(u, "email", "");
    x.first_name = value_or<std::string>(u, "first_name", "");
    x.last_name = value_or<std::string>(u, "last_name", "");
    x.screen_name = value_or<std::string>(u, "screen_name", "");
    x.custom = value_or<std::string>(u, "custom", "");
    x.password_hash = value_or<std::string>(u, "password_hash", "");
    x.language = value_or<std::string>(u, "language", "en");
    x.time_zone = value_or<std::string>(u, "time_zone", "UTC");
    x.team_id = value_or<uint64_t>(u, "team_id", 0);
    x.managed_team_ids =
      value_or<std::vector<uint64_t>>(u, "managed_team_ids", {});
    for (auto& s : u.value("skills", json::array()))
      x.skills.push_back(
        {value_or<std::string>(s, "name", ""), value_or<int>(s, "rank", 1)});
    x.features = overrides_from(u.value("features", json::object()));
    x.deleted = value_or<bool>(u, "deleted", false);
    a.users.emplace(x.id, std::move(x));
  }
  for (auto& t : j.value("teams", json::array())) {
    team x;
    x.id = value_or<uint64_t>(t, "id", 0);
    x.name = value_or<std::string>(t, "name", "");
    x.parent_id = value_or<uint64_t>(t, "parent_id", 0);
    x.features = overrides_from(t.value("features", json::object()));
    a.teams.emplace(x.id, std::move(x));
  }
  for (auto& p : j.value("portals", json::array())) {
    portal x;
    x.id = value_or<uint64_t>(p, "id", 0);
    x.name = value_or<std::string>(p, "name", "");
    x.hours_id = value_or<uint64_t>(p, "hours_id", 0);
    x.slug = value_or<std::string>(p, "slug", "");
    x.mode = value_or<std::string>(p, "mode", "web");
    x.type = value_or<std::string>(p, "type", "smartbox");
    x.skills_routing = value_or<bool>(p, "skills_routing", false);
    x.alert_timeout_s = value_or<int>(p, "alert_timeout_s", 120);
    x.code_ttl_min = value_or<int>(p, "code_ttl_min", 20);
    x.recording_max_mb = value_or<int>(p, "recording_max_mb", 200);
    x.recording_retention_days =
      value_or<int>(p, "recording_retention_days", 90);
    x.time_zone = value_or<std::string>(p, "time_zone", "UTC");
    x.notification_email = value_or<std::string>(p, "notification_email", "");
    x.features = overrides_from(p.value("features", json::object()));
    auto texts = p.value("texts", json::object());
    x.title = value_or<std::string>(texts, "title", "");
    x.welcome = value_or<std::string>(texts, "welcome", "");
    for (auto& s : p.value("sub_portals", json::array()))
      x.sub_portals.push_back(
        {value_or<uint64_t>(s, "id", 0), value_or<std::string>(s, "name", ""),
         value_or<std::vector<uint64_t>>(s, "team_ids", {})});
    if (p.contains("fields") &&
        !fields_from_json(p["fields"], x.fields).empty())
      x.fields = default_portal_fields();
    a.portals.emplace(x.id, std::move(x));
  }
  for (auto& h : j.value("hours_sets", json::array())) {
    hours_set x;
    x.id = value_or<uint64_t>(h, "id", 0);
    // Stored sets were valid when written; a damaged one becomes empty
    // (always closed) rather than wrong hours.
    if (!hours_from_json(h, x.hours).empty())
      x.hours.weekly.clear();
    a.hours_sets.emplace(x.id, std::move(x));
  }
  for (auto& m : j.value("monitors", json::array())) {
    dashboard_monitor x;
    x.id = value_or<uint64_t>(m, "id", 0);
    x.name = value_or<std::string>(m, "name", "");
    x.kind = value_or<std::string>(m, "kind", "");
    x.created_by = value_or<uint64_t>(m, "created_by", 0);
    x.started_ms = value_or<int64_t>(m, "started_ms", 0);
    x.run_ms =
      std::max<int64_t>(value_or<int64_t>(m, "run_ms", monitor_run_ms), 1000);
    x.target_s = std::clamp(value_or<int>(m, "target_s", 60), 1, 3600);
    if (monitor_kind(x.kind))
      a.monitors.emplace(x.id, std::move(x));
  }
  for (auto& r : j.value("saved_reports", json::array())) {
    saved_report x;
    x.id = value_or<uint64_t>(r, "id", 0);
    x.owner = value_or<uint64_t>(r, "owner", 0);
    x.name = value_or<std::string>(r, "name", "");
    x.kind = value_or<std::string>(r, "kind", "");
    x.period = value_or<std::string>(r, "period", "");
    x.from_day = value_or<std::string>(r, "from_day", "");
    x.to_day = value_or<std::string>(r, "to_day", "");
    x.portal_id = value_or<uint64_t>(r, "portal_id", 0);
    x.team_id = value_or<uint64_t>(r, "team_id", 0);
    x.technician_id = value_or<uint64_t>(r, "technician_id", 0);
    x.target_s = std::clamp(value_or<int>(r, "target_s", 60), 1, 3600);
    x.updated_ms = value_or<int64_t>(r, "updated_ms", 0);
    x.schedule = value_or<std::string>(r, "schedule", "");
    x.send_at = value_or<int>(r, "send_at", 360);
    x.email = value_or<std::string>(r, "email", "");
    x.delivered_ms = value_or<int64_t>(r, "delivered_ms", 0);
    if (x.id != 0 && report_period(x.period))
      a.saved_reports.emplace(x.id, std::move(x));
  }
  return a;
}

bool report_period(const std::string& period) {
  for (auto p : {"today", "yesterday", "last_7_days", "last_30_days",
                 "this_month", "last_month", "days"})
    if (period == p)
      return true;
  return false;
}

json public_json(const saved_report& r) {
  auto id = [](uint64_t x) {
    return x == 0 ? std::string{} : std::to_string(x);
  };
  return {{"id", std::to_string(r.id)},
          {"name", r.name},
          {"kind", r.kind},
          {"period", r.period},
          {"from", r.from_day},
          {"to", r.to_day},
          {"portal_id", id(r.portal_id)},
          {"team_id", id(r.team_id)},
          {"technician_id", id(r.technician_id)},
          {"target_s", r.target_s},
          {"updated_at", r.updated_ms},
          {"schedule", r.schedule},
          {"send_at", r.send_at},
          {"email", r.email},
          {"delivered_at", r.delivered_ms}};
}

bool monitor_kind(const std::string& kind) {
  return kind == "technicians" || kind == "waiting" || kind == "active" ||
         kind == "managers" || kind == "service_level";
}

json public_json(const dashboard_monitor& m, int64_t now_ms) {
  auto stops = m.stops_ms();
  json out = {{"id", std::to_string(m.id)},
              {"name", m.name},
              {"kind", m.kind},
              {"created_by", m.created_by},
              {"started_at", m.started_ms},
              {"stops_at", stops},
              {"running", now_ms < stops}};
  if (m.kind == "service_level")
    out["target_s"] = m.target_s;
  return out;
}

bool may_see_monitor(const org_user& u, const std::string& kind) {
  return kind != "managers" || u.r != role::team_manager;
}

json monitor_list_json(const org_account& a, const org_user& u,
                       int64_t now_ms) {
  json out = {{"monitors", json::array()}};
  for (auto& [id, m] : a.monitors)
    if (may_see_monitor(u, m.kind))
      out["monitors"].push_back(public_json(m, now_ms));
  return out;
}

} // namespace openassist::actors
