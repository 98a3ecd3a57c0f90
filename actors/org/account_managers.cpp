#include "actors/org/account_service.hpp"

// account_managers: one part of account_service.

#include <algorithm>
#include <sstream>

#include "actors/identity/credentials.hpp"
#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

// -- managers -----------------------------------------------------------------

op_result account_service::managers_list(const org_user& caller) {
  if (caller.r == role::team_manager)
    return forbidden();
  op_outcome out;
  out.body = {{"managers", json::array()}};
  for (auto& [id, u] : a_.users)
    if (u.r != role::technician && !u.deleted)
      out.body["managers"].push_back(public_json(u));
  return out;
}

op_result account_service::managers_create(const org_user& caller,
                                           const json& args,
                                           const op_context& ctx) {
  if (caller.r == role::team_manager)
    return fail(errc::forbidden, "forbidden",
                "team managers cannot create managers");
  org_user u;
  u.r = role::team_manager;
  if (auto e = read_person(u, args, true, ctx))
    return *e;
  if (auto e = read_manager_role(u, caller, args, true, scope_of(caller)))
    return *e;
  return add_user(std::move(u), ctx);
}

op_result account_service::managers_update(const org_user& caller,
                                           const json& args,
                                           const op_context& ctx) {
  if (caller.r == role::team_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r == role::technician ||
      i->second.deleted)
    return not_found("manager");
  if (i->second.r == role::company_manager && caller.r != role::company_manager)
    return forbidden();
  auto before = public_json(i->second);
  auto u = i->second;
  if (auto e = read_person(u, args, false, ctx))
    return *e;
  if (auto e = read_manager_role(u, caller, args, false, scope_of(caller)))
    return *e;
  if (i->second.r == role::company_manager && u.r != role::company_manager &&
      company_managers(a_) == 1)
    return fail(errc::bad_state, "last_company_manager",
                "the account needs at least one company manager", "role");
  op_outcome out;
  if (auto e = login_change(i->second, u, ctx, out))
    return *e;
  i->second = u;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back(
    {"manager.update", "manager/" + std::to_string(u.id), before, out.body});
  return out;
}

op_result account_service::managers_delete(const org_user& caller,
                                           const json& args) {
  if (caller.r == role::team_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r == role::technician ||
      i->second.deleted)
    return not_found("manager");
  if (i->second.r == role::company_manager) {
    if (caller.r != role::company_manager)
      return forbidden();
    if (company_managers(a_) == 1)
      return fail(errc::bad_state, "last_company_manager",
                  "the last company manager cannot be deleted");
  }
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"manager.delete", "manager/" + std::to_string(*id),
                       public_json(i->second), nullptr});
  out.index_ops.push_back({storage::table::logins,
                           login_key("manager", i->second.email), "",
                           storage::op_kind::erase});
  a_.users.erase(i);
  return out;
}

} // namespace openassist::actors
