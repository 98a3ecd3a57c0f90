#include "actors/org/account_service.hpp"

// account_portals: one part of account_service.

#include <algorithm>
#include <sstream>

#include "actors/identity/credentials.hpp"
#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

// -- portals ------------------------------------------------------------------

op_result account_service::portals_list(const org_user& caller) {
  if (caller.r != role::company_manager)
    return forbidden();
  op_outcome out;
  out.body = {{"portals", json::array()}};
  for (auto& [id, p] : a_.portals)
    out.body["portals"].push_back(public_json(p));
  return out;
}

op_result account_service::portals_write(const org_user& caller,
                                         const json& args, bool create) {
  if (caller.r != role::company_manager)
    return fail(errc::forbidden, "forbidden",
                "only company managers change portal settings");
  portal p;
  json before = nullptr;
  if (!create) {
    OA_TRY(id, id_field(args, "id"));
    auto i = id ? a_.portals.find(*id) : a_.portals.end();
    if (i == a_.portals.end())
      return not_found("portal");
    p = i->second;
    before = public_json(p);
  }
  OA_TRY(name, text_field(args, "name", 1, 100));
  if (name)
    p.name = *name;
  else if (create)
    return fail(errc::bad_field, "bad_field", "name: is required", "name");
  OA_TRY(slug, text_field(args, "slug", 2, 40));
  if (slug) {
    if (!std::all_of(slug->begin(), slug->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        }))
      return fail(errc::bad_field, "bad_field",
                  "slug: lower-case letters, digits and -", "slug");
    p.slug = *slug;
  } else if (create) {
    return fail(errc::bad_field, "bad_field", "slug: is required", "slug");
  }
  for (auto& [id, other] : a_.portals)
    if (id != p.id && other.slug == p.slug)
      return fail(errc::bad_state, "duplicate_slug",
                  "slug: another portal uses it", "slug");
  OA_TRY(mode, text_field(args, "mode", 1, 20));
  if (mode)
    p.mode = *mode;
  OA_TRY(type, text_field(args, "type", 1, 20));
  if (type)
    p.type = *type;
  static const std::map<std::string, std::set<std::string>> types = {
    {"web", {"smartbox", "smartmatch", "smartbutton"}},
    {"phone", {"smartpin"}},
    {"queue", {"queue"}}};
  auto allowed = types.find(p.mode);
  if (allowed == types.end())
    return fail(errc::bad_field, "bad_field",
                "mode: must be web, phone or queue", "mode");
  if (!allowed->second.count(p.type))
    return fail(errc::bad_field, "bad_field",
                "type: not a type of mode " + p.mode, "type");
  if (args.contains("skills_routing")) {
    if (!args["skills_routing"].is_boolean())
      return fail(errc::bad_field, "bad_field",
                  "skills_routing: must be true or false", "skills_routing");
    p.skills_routing = args["skills_routing"].get<bool>();
  }
  for (auto [key, member, min, max] :
       {std::tuple{"alert_timeout_s", &portal::alert_timeout_s, 15, 3600},
        std::tuple{"code_ttl_min", &portal::code_ttl_min, 1, 1440},
        std::tuple{"recording_max_mb", &portal::recording_max_mb, 1, 2000},
        std::tuple{"recording_retention_days",
                   &portal::recording_retention_days, 1, 3650}}) {
    if (!args.contains(key))
      continue;
    auto& v = args[key];
    if (!v.is_number_integer() || v.get<int64_t>() < min ||
        v.get<int64_t>() > max) {
      auto e = fail(errc::bad_field, "bad_field",
                    std::string{key} + ": must be a whole number from " +
                      std::to_string(min) + " to " + std::to_string(max),
                    key);
      e.rule = "range";
      e.min = min;
      e.max = max;
      return e;
    }
    p.*member = static_cast<int>(v.get<int64_t>());
  }
  OA_TRY(tz, text_field(args, "time_zone", 1, 64));
  if (tz) {
    if (ctx_valid_tz_ && !ctx_valid_tz_(*tz))
      return fail(errc::bad_field, "bad_field", "time_zone: unknown time zone",
                  "time_zone");
    p.time_zone = *tz;
  }
  if (args.contains("hours_id")) {
    OA_TRY(hours, id_field(args, "hours_id"));
    if (hours && *hours != 0 && !a_.hours_sets.count(*hours))
      return fail(errc::bad_field, "bad_field",
                  "hours_id: no such business hours set", "hours_id");
    p.hours_id = hours.value_or(0);
  }
  OA_TRY(mail, text_field(args, "notification_email", 0, 254));
  if (mail) {
    if (!mail->empty() && !valid_email(lower(*mail)))
      return fail(errc::bad_field, "bad_field",
                  "notification_email: must be an e-mail address",
                  "notification_email");
    p.notification_email = lower(*mail);
  }
  if (args.contains("features")) {
    OA_TRY(f, merge_overrides(p.features, args["features"]));
    p.features = f;
  }
  if (args.contains("texts")) {
    auto& texts = args["texts"];
    if (!texts.is_object())
      return fail(errc::bad_field, "bad_field", "texts: must be an object",
                  "texts");
    OA_TRY(title, text_field(texts, "title", 0, 200));
    OA_TRY(welcome, text_field(texts, "welcome", 0, 2000));
    if (title)
      p.title = *title;
    if (welcome)
      p.welcome = *welcome;
  }
  if (args.contains("sub_portals")) {
    auto& subs = args["sub_portals"];
    if (!subs.is_array() || subs.size() > 50)
      return fail(errc::bad_field, "bad_field",
                  "sub_portals: a list of at most 50", "sub_portals");
    std::vector<sub_portal> out_subs;
    for (auto& s : subs) {
      if (!s.is_object())
        return fail(errc::bad_field, "bad_field",
                    "sub_portals: each must be an object", "sub_portals");
      sub_portal sp;
      OA_TRY(sid, id_field(s, "id"));
      sp.id = sid.value_or(0);
      OA_TRY(sname, text_field(s, "name", 1, 100));
      if (!sname)
        return fail(errc::bad_field, "bad_field",
                    "sub_portals.name: is required", "sub_portals");
      sp.name = *sname;
      for (auto& t : s.value("team_ids", json::array())) {
        if (!t.is_number_unsigned() || !a_.teams.count(t.get<uint64_t>()))
          return fail(errc::bad_field, "bad_field",
                      "sub_portals.team_ids: no such team", "sub_portals");
        sp.team_ids.push_back(t.get<uint64_t>());
      }
      out_subs.push_back(std::move(sp));
    }
    p.sub_portals = std::move(out_subs);
  }
  if (args.contains("fields")) {
    if (auto problem = fields_from_json(args["fields"], p.fields);
        !problem.empty())
      return fail(errc::bad_field, "bad_field", problem,
                  problem.substr(0, problem.find(':')));
  }
  if (p.sub_portals.empty())
    p.sub_portals.push_back({0, "Default", {}});
  if (create)
    p.id = a_.next_id++;
  for (auto& s : p.sub_portals)
    if (s.id == 0)
      s.id = a_.next_id++;
  op_outcome out;
  out.created = create;
  out.changed = true;
  out.body = public_json(p);
  out.audit.push_back({create ? "portal.create" : "portal.update",
                       "portal/" + std::to_string(p.id), before, out.body});
  a_.portals[p.id] = std::move(p);
  return out;
}

op_result account_service::portals_delete(const org_user& caller,
                                          const json& args) {
  if (caller.r != role::company_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.portals.find(*id) : a_.portals.end();
  if (i == a_.portals.end())
    return not_found("portal");
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"portal.delete", "portal/" + std::to_string(*id),
                       public_json(i->second), nullptr});
  a_.portals.erase(i);
  return out;
}

op_result account_service::portals_open_state(const org_user& caller,
                                              const json& args,
                                              const op_context& ctx) {
  if (caller.r != role::company_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.portals.find(*id) : a_.portals.end();
  if (i == a_.portals.end())
    return not_found("portal");
  auto& p = i->second;
  op_outcome out;
  if (p.hours_id == 0 || !a_.hours_sets.count(p.hours_id)) {
    out.body = {{"open", true}, {"next_change", nullptr}, {"reason", ""}};
    return out;
  }
  auto st = compute_open_state(a_.hours_sets.at(p.hours_id).hours, p.time_zone,
                               ctx.now_unix);
  out.body = {
    {"open", st.open},
    {"next_change", st.next_change_unix ? json(*st.next_change_unix) : json()},
    {"reason", st.reason},
    {"time_zone", p.time_zone}};
  return out;
}

// -- business hours -----------------------------------------------------------

op_result account_service::hours_list(const org_user& caller) {
  if (caller.r != role::company_manager)
    return forbidden();
  op_outcome out;
  out.body = {{"business_hours", json::array()}};
  for (auto& [id, h] : a_.hours_sets)
    out.body["business_hours"].push_back(public_json(h));
  return out;
}

op_result account_service::hours_write(const org_user& caller, const json& args,
                                       bool create) {
  if (caller.r != role::company_manager)
    return fail(errc::forbidden, "forbidden",
                "only company managers change business hours");
  hours_set h;
  json before = nullptr;
  if (!create) {
    OA_TRY(id, id_field(args, "id"));
    auto i = id ? a_.hours_sets.find(*id) : a_.hours_sets.end();
    if (i == a_.hours_sets.end())
      return not_found("business hours set");
    h = i->second;
    before = public_json(h);
  }
  if (auto problem = hours_from_json(args, h.hours); !problem.empty()) {
    auto field = problem.substr(0, problem.find(':'));
    return fail(errc::bad_field, "bad_field", problem, field);
  }
  if (create)
    h.id = a_.next_id++;
  op_outcome out;
  out.created = create;
  out.changed = true;
  out.body = public_json(h);
  out.audit.push_back({create ? "hours.create" : "hours.update",
                       "hours/" + std::to_string(h.id), before, out.body});
  a_.hours_sets[h.id] = std::move(h);
  return out;
}

op_result account_service::hours_delete(const org_user& caller,
                                        const json& args) {
  if (caller.r != role::company_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.hours_sets.find(*id) : a_.hours_sets.end();
  if (i == a_.hours_sets.end())
    return not_found("business hours set");
  for (auto& [pid, p] : a_.portals)
    if (p.hours_id == *id)
      return fail(errc::bad_state, "in_use",
                  "portal '" + p.name + "' uses these hours");
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"hours.delete", "hours/" + std::to_string(*id),
                       public_json(i->second), nullptr});
  a_.hours_sets.erase(i);
  return out;
}

} // namespace openassist::actors
