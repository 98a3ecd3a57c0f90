#include "actors/org/account_service.hpp"

// account_teams: one part of account_service.

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "actors/identity/credentials.hpp"
#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

// -- teams --------------------------------------------------------------------

op_result account_service::teams_list(const org_user& caller) {
  op_outcome out;
  out.body = {{"teams", json::array()}};
  // The portals each team serves: named on a sub-portal itself or through a
  // parent team (sub-teams serve their parent's portals). A team with none
  // reaches no customer.
  std::map<uint64_t, json> serving;
  for (auto& [pid, p] : a_.portals) {
    std::set<uint64_t> named;
    for (auto& sp : p.sub_portals)
      named.insert(sp.team_ids.begin(), sp.team_ids.end());
    for (auto tid : with_sub_teams(a_, std::move(named)))
      serving[tid].push_back({{"id", pid}, {"name", p.name}});
  }
  for (auto id : scope_of(caller)) {
    auto team = public_json(a_.teams.at(id), technicians_in(id));
    auto s = serving.find(id);
    team["portals"] = s == serving.end() ? json::array() : s->second;
    out.body["teams"].push_back(std::move(team));
  }
  return out;
}

op_result account_service::teams_create(const org_user& caller,
                                        const json& args) {
  OA_TRY(name, text_field(args, "name", 1, 100));
  OA_TRY(parent, id_field(args, "parent_id"));
  if (!name)
    return fail(errc::bad_field, "bad_field", "name: is required", "name");
  uint64_t parent_id = parent.value_or(0);
  auto scope = scope_of(caller);
  if (parent_id == 0 && caller.r == role::team_manager)
    return fail(errc::forbidden, "forbidden",
                "team managers create sub-teams of their teams", "parent_id");
  if (parent_id != 0 && !scope.count(parent_id))
    return fail(errc::bad_field, "bad_field", "parent_id: no such team",
                "parent_id");
  for (auto& [id, t] : a_.teams)
    if (t.parent_id == parent_id && lower(t.name) == lower(*name))
      return fail(errc::bad_state, "duplicate_team",
                  "name: a team of that name exists here", "name");
  team t{a_.next_id++, *name, parent_id, {}};
  op_outcome out;
  out.created = true;
  out.changed = true;
  out.body = public_json(t, 0);
  out.audit.push_back(
    {"team.create", "team/" + std::to_string(t.id), nullptr, out.body});
  a_.teams.emplace(t.id, std::move(t));
  return out;
}

op_result account_service::teams_update(const org_user& caller,
                                        const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto scope = scope_of(caller);
  if (!id || !scope.count(*id))
    return not_found("team");
  auto& t = a_.teams.at(*id);
  auto before = public_json(t, technicians_in(t.id));
  auto updated = t;
  OA_TRY(name, text_field(args, "name", 1, 100));
  if (name)
    updated.name = *name;
  if (args.contains("parent_id")) {
    OA_TRY(parent, id_field(args, "parent_id"));
    uint64_t p = parent.value_or(0);
    bool manages_directly = std::count(caller.managed_team_ids.begin(),
                                       caller.managed_team_ids.end(), *id) > 0;
    if (p != t.parent_id && caller.r == role::team_manager &&
        (manages_directly || p == 0 || !scope.count(p)))
      return fail(errc::forbidden, "forbidden",
                  "parent_id: team managers move teams only within their teams",
                  "parent_id");
    if (p != 0 && !a_.teams.count(p))
      return fail(errc::bad_field, "bad_field", "parent_id: no such team",
                  "parent_id");
    if (p != 0 && in_subtree(p, *id))
      return fail(errc::bad_field, "cycle",
                  "parent_id: a team cannot be placed below itself",
                  "parent_id");
    updated.parent_id = p;
  }
  if (args.contains("features")) {
    OA_TRY(f, merge_overrides(t.features, args["features"]));
    updated.features = f;
  }
  for (auto& [other_id, other] : a_.teams)
    if (other_id != t.id && other.parent_id == updated.parent_id &&
        lower(other.name) == lower(updated.name))
      return fail(errc::bad_state, "duplicate_team",
                  "name: a team of that name exists here", "name");
  t = updated;
  op_outcome out;
  out.changed = true;
  out.body = public_json(t, technicians_in(t.id));
  out.audit.push_back(
    {"team.update", "team/" + std::to_string(t.id), before, out.body});
  return out;
}

op_result account_service::teams_delete(const org_user& caller,
                                        const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto scope = scope_of(caller);
  if (!id || !scope.count(*id))
    return not_found("team");
  if (caller.r == role::team_manager &&
      std::count(caller.managed_team_ids.begin(), caller.managed_team_ids.end(),
                 *id))
    return fail(errc::forbidden, "forbidden",
                "a team manager cannot delete a team they manage");
  auto t = a_.teams.at(*id);
  if (t.parent_id == 0 && technicians_in(t.id) > 0)
    return fail(errc::bad_state, "team_not_empty",
                "move the technicians of this root team to another team first");
  // Technicians and sub-teams move up to the parent; nobody is deleted.
  for (auto& [uid, u] : a_.users)
    if (u.r == role::technician && u.team_id == t.id)
      u.team_id = t.parent_id;
  for (auto& [tid, other] : a_.teams)
    if (other.parent_id == t.id)
      other.parent_id = t.parent_id;
  for (auto& [uid, u] : a_.users)
    std::erase(u.managed_team_ids, t.id);
  for (auto& [pid, p] : a_.portals)
    for (auto& s : p.sub_portals)
      std::erase(s.team_ids, t.id);
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"team.delete", "team/" + std::to_string(t.id),
                       public_json(t, 0), nullptr});
  a_.teams.erase(t.id);
  return out;
}

} // namespace openassist::actors
