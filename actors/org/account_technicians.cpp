#include "actors/org/account_service.hpp"

// account_technicians: one part of account_service.

#include <algorithm>
#include <sstream>

#include "actors/identity/credentials.hpp"
#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

// -- technicians --------------------------------------------------------------

op_result account_service::technicians_list(const org_user& caller) {
  auto scope = scope_of(caller);
  op_outcome out;
  out.body = {{"technicians", json::array()}};
  for (auto& [id, u] : a_.users)
    if (u.r == role::technician && !u.deleted && scope.count(u.team_id))
      out.body["technicians"].push_back(public_json(u));
  return out;
}

op_result account_service::technicians_create(const org_user& caller,
                                              const json& args,
                                              const op_context& ctx) {
  org_user u;
  u.r = role::technician;
  if (auto e = read_person(u, args, true, ctx))
    return *e;
  OA_TRY(team_id, id_field(args, "team_id"));
  auto scope = scope_of(caller);
  if (!team_id || !scope.count(*team_id))
    return fail(errc::bad_field, "bad_field", "team_id: no such team",
                "team_id");
  u.team_id = *team_id;
  if (args.contains("skills")) {
    OA_TRY(skills, read_skills(args["skills"]));
    u.skills = skills;
  }
  if (args.contains("features")) {
    OA_TRY(f, merge_overrides({}, args["features"]));
    u.features = f;
  }
  return add_user(std::move(u), ctx);
}

op_result account_service::technicians_update(const org_user& caller,
                                              const json& args,
                                              const op_context& ctx) {
  OA_TRY(tech, technician_in_scope(caller, args));
  auto scope = scope_of(caller);
  auto i = a_.users.find(tech->id);
  auto before = public_json(i->second);
  auto u = i->second;
  if (auto e = read_person(u, args, false, ctx))
    return *e;
  if (args.contains("team_id")) {
    OA_TRY(team_id, id_field(args, "team_id"));
    if (!team_id || !scope.count(*team_id))
      return fail(errc::bad_field, "bad_field", "team_id: no such team",
                  "team_id");
    u.team_id = *team_id;
  }
  if (args.contains("skills")) {
    OA_TRY(skills, read_skills(args["skills"]));
    u.skills = skills;
  }
  if (args.contains("features")) {
    OA_TRY(f, merge_overrides(u.features, args["features"]));
    u.features = f;
  }
  op_outcome out;
  if (auto e = login_change(i->second, u, ctx, out))
    return *e;
  i->second = u;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back({"technician.update",
                       "technician/" + std::to_string(u.id), before, out.body});
  return out;
}

op_result account_service::technicians_delete(const org_user& caller,
                                              const json& args) {
  OA_TRY(tech, technician_in_scope(caller, args));
  auto i = a_.users.find(tech->id);
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"technician.delete",
                       "technician/" + std::to_string(tech->id),
                       public_json(i->second), nullptr});
  // Kept (deleted) so that past sessions still name their technician; the
  // login is freed.
  out.index_ops.push_back({storage::table::logins,
                           login_key("technician", i->second.email), "",
                           storage::op_kind::erase});
  i->second.deleted = true;
  i->second.password_hash.clear();
  return out;
}

op_result account_service::technicians_move(const org_user& caller,
                                            const json& args) {
  OA_TRY(tech, technician_in_scope(caller, args));
  OA_TRY(team_id, id_field(args, "team_id"));
  auto scope = scope_of(caller);
  auto i = a_.users.find(tech->id);
  auto id = std::optional<uint64_t>{tech->id};
  if (!team_id || !scope.count(*team_id))
    return fail(errc::bad_field, "bad_field",
                "team_id: no such team among yours", "team_id");
  auto before = public_json(i->second);
  i->second.team_id = *team_id;
  op_outcome out;
  out.changed = true;
  out.body = public_json(i->second);
  out.audit.push_back(
    {"technician.move", "technician/" + std::to_string(*id), before, out.body});
  return out;
}

op_result account_service::technicians_features(const org_user& caller,
                                                const json& args) {
  OA_TRY(tech, technician_in_scope(caller, args));
  OA_TRY(portal_id, id_field(args, "portal_id"));
  auto i = a_.users.find(tech->id);
  auto& u = i->second;
  auto chain = team_chain(u.team_id);
  chain.push_back(&u.features);
  auto values = resolve(chain);
  // Where each value comes from: the innermost level that sets it.
  json sources = json::object();
  std::vector<std::pair<std::string, const feature_overrides*>> levels;
  for (uint64_t t = u.team_id, depth = 0; t != 0 && depth < 64; ++depth) {
    auto& tm = a_.teams.at(t);
    levels.insert(levels.begin(), {"team:" + tm.name, &tm.features});
    t = tm.parent_id;
  }
  levels.emplace_back("technician", &u.features);
  for (size_t f = 0; f < feature_count; ++f) {
    std::string src = "default";
    for (auto& [name, level] : levels)
      if (level->flags.count(static_cast<feature>(f)))
        src = name;
    sources[std::string{feature_names[f]}] = src;
  }
  std::string ms_src = "default";
  for (auto& [name, level] : levels)
    if (level->max_sessions)
      ms_src = name;
  sources["max_sessions"] = ms_src;
  if (portal_id) {
    auto p = a_.portals.find(*portal_id);
    if (p == a_.portals.end())
      return fail(errc::bad_field, "bad_field", "portal_id: no such portal",
                  "portal_id");
    auto on_portal = effective_on_portal(values, p->second.features);
    // The portal turned it off, or (recording) the portal's policy decides.
    for (size_t f = 0; f < feature_count; ++f)
      if (values.flags[f] != on_portal.flags[f])
        sources[std::string{feature_names[f]}] = "portal";
    values = on_portal;
  }
  op_outcome out;
  out.body = {{"values", values_json(values)}, {"sources", sources}};
  return out;
}

op_result account_service::technicians_bulk(const org_user& caller,
                                            const json& args,
                                            const op_context& ctx) {
  auto text = args.find("text");
  if (text == args.end() || !text->is_string())
    return fail(errc::bad_field, "bad_field", "text: must be a string", "text");
  if (text->get<std::string>().size() > 256 * 1024)
    return fail(errc::too_large, "too_large", "text: at most 256 KiB", "text");
  std::istringstream in(text->get<std::string>());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  if (lines.size() > 1000)
    return fail(errc::too_large, "too_large", "text: at most 1000 lines",
                "text");
  auto scope = scope_of(caller);
  op_outcome out;
  out.body = {{"results", json::array()}, {"added", 0}, {"rejected", 0}};
  std::set<std::string> emails_in_batch;
  auto reject = [&](size_t n, const std::string& reason) {
    out.body["results"].push_back(
      {{"line", n}, {"status", "rejected"}, {"reason", reason}});
    out.body["rejected"] = out.body["rejected"].get<int>() + 1;
  };
  auto find_team = [&](const std::string& name, uint64_t parent) -> uint64_t {
    for (auto& [id, t] : a_.teams)
      if (t.parent_id == parent && lower(t.name) == lower(name))
        return id;
    return 0;
  };
  for (size_t n = 1; n <= lines.size(); ++n) {
    auto line = trim(lines[n - 1]);
    if (line.empty())
      continue;
    std::vector<std::string> cols;
    std::istringstream row(line);
    for (std::string col; std::getline(row, col, ',');)
      cols.push_back(trim(col));
    if (!line.empty() && line.back() == ',')
      cols.emplace_back();
    if (cols.size() < 6 || cols.size() > 8) {
      reject(n,
             "expected 8 fields: parent team, team, user id, first name, last "
             "name, password, screen name, custom");
      continue;
    }
    cols.resize(8);
    // The line is checked whole before anything is added: nothing is
    // half-added (a team created for a rejected line would be).
    uint64_t parent_id = 0;
    if (!cols[0].empty()) {
      parent_id = find_team(cols[0], 0);
      if (parent_id == 0 || !scope.count(parent_id)) {
        reject(n, "parent team '" + cols[0] + "' does not exist");
        continue;
      }
    }
    if (cols[1].empty() || cols[1].size() > 100 || !printable(cols[1])) {
      reject(n, "team: 1 to 100 characters");
      continue;
    }
    uint64_t team_id = find_team(cols[1], parent_id);
    if (team_id != 0 && !scope.count(team_id)) {
      reject(n, "team '" + cols[1] + "' is not one of yours");
      continue;
    }
    if (team_id == 0 && parent_id == 0 && caller.r == role::team_manager) {
      reject(n, "team '" + cols[1] + "' does not exist");
      continue;
    }
    json person = {{"email", cols[2]},       {"first_name", cols[3]},
                   {"last_name", cols[4]},   {"password", cols[5]},
                   {"screen_name", cols[6]}, {"custom", cols[7]}};
    org_user u;
    u.r = role::technician;
    if (auto e = read_person(u, person, true, ctx)) {
      reject(n, e->message);
      continue;
    }
    if (emails_in_batch.count(u.email) ||
        (ctx.login_taken && ctx.login_taken("technician", u.email))) {
      reject(n, "user id " + u.email + " is already taken");
      continue;
    }
    if (team_id == 0) {
      team t{a_.next_id++, cols[1], parent_id, {}};
      team_id = t.id;
      out.audit.push_back({"team.create", "team/" + std::to_string(t.id),
                           nullptr, public_json(t, 0)});
      a_.teams.emplace(t.id, std::move(t));
      scope.insert(team_id);
    }
    u.team_id = team_id;
    u.id = a_.next_id++;
    emails_in_batch.insert(u.email);
    out.index_ops.push_back(
      {storage::table::logins, login_key("technician", u.email),
       a_.id + "/" + std::to_string(u.id), storage::op_kind::insert});
    out.audit.push_back({"technician.create",
                         "technician/" + std::to_string(u.id), nullptr,
                         public_json(u)});
    out.body["results"].push_back(
      {{"line", n}, {"status", "added"}, {"id", u.id}});
    out.body["added"] = out.body["added"].get<int>() + 1;
    a_.users.emplace(u.id, std::move(u));
  }
  out.changed = out.body["added"].get<int>() > 0;
  return out;
}

} // namespace openassist::actors
