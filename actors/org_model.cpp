#include "actors/org_model.hpp"

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

json portal_json(const portal& p) {
  json subs = json::array();
  for (auto& s : p.sub_portals)
    subs.push_back({{"id", s.id}, {"name", s.name}, {"team_ids", s.team_ids}});
  return {{"id", p.id},
          {"name", p.name},
          {"slug", p.slug},
          {"mode", p.mode},
          {"type", p.type},
          {"skills_routing", p.skills_routing},
          {"time_zone", p.time_zone},
          {"notification_email", p.notification_email},
          {"features", overrides_json(p.features)},
          {"texts", {{"title", p.title}, {"welcome", p.welcome}}},
          {"sub_portals", subs}};
}

template <class T>
T value_or(const json& j, const char* key, T fallback) {
  auto i = j.find(key);
  if (i == j.end() || i->is_null())
    return fallback;
  try {
    return i->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

} // namespace

json public_json(const org_user& u) { return user_json(u, false); }

json public_json(const team& t, size_t technician_count) {
  return {{"id", t.id},
          {"name", t.name},
          {"parent_id", t.parent_id},
          {"features", overrides_json(t.features)},
          {"technician_count", technician_count}};
}

json public_json(const portal& p) { return portal_json(p); }

json to_storage_json(const org_account& a) {
  json users = json::array(), teams = json::array(), portals = json::array();
  for (auto& [id, u] : a.users)
    users.push_back(user_json(u, true));
  for (auto& [id, t] : a.teams)
    teams.push_back(public_json(t, 0));
  for (auto& [id, p] : a.portals)
    portals.push_back(portal_json(p));
  return {{"id", a.id},           {"name", a.name},   {"next_id", a.next_id},
          {"next_audit", a.next_audit}, {"users", users}, {"teams", teams},
          {"portals", portals}};
}

std::optional<org_account> from_storage_json(const json& j) {
  if (!j.is_object() || !j.contains("id"))
    return std::nullopt;
  org_account a;
  a.id = value_or<std::string>(j, "id", "");
  a.name = value_or<std::string>(j, "name", "");
  a.next_id = value_or<uint64_t>(j, "next_id", 1);
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
      x.skills.push_back({value_or<std::string>(s, "name", ""),
                          value_or<int>(s, "rank", 1)});
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
    x.slug = value_or<std::string>(p, "slug", "");
    x.mode = value_or<std::string>(p, "mode", "web");
    x.type = value_or<std::string>(p, "type", "smartbox");
    x.skills_routing = value_or<bool>(p, "skills_routing", false);
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
    a.portals.emplace(x.id, std::move(x));
  }
  return a;
}

} // namespace openassist::actors
