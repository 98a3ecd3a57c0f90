#include "actors/org/account_service.hpp"

// account_monitors: one part of account_service. The live dashboards'
// configurations (docs/dashboards.md): every manager of the account sees
// them; what each shows is filtered per viewer by the monitor actor.

#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

namespace {

int64_t now_ms(const op_context& ctx) {
  return ctx.now_unix * 1000;
}

bool manager(const org_user& u) {
  return u.r != role::technician;
}

bool may_see(const org_user& u, const std::string& kind) {
  return may_see_monitor(u, kind);
}

} // namespace

std::variant<dashboard_monitor*, op_error>
account_service::monitor_in_scope(const org_user& caller, const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.monitors.find(*id) : a_.monitors.end();
  if (i == a_.monitors.end() || !may_see(caller, i->second.kind))
    return not_found("monitor");
  return &i->second;
}

op_result account_service::monitors_list(const org_user& caller,
                                         const op_context& ctx) {
  if (!manager(caller))
    return forbidden();
  op_outcome out;
  out.body = monitor_list_json(a_, caller, now_ms(ctx));
  return out;
}

op_result account_service::monitors_write(const org_user& caller,
                                          const json& args,
                                          const op_context& ctx, bool create) {
  if (!manager(caller))
    return forbidden();
  dashboard_monitor m;
  json before = nullptr;
  if (!create) {
    OA_TRY(found, monitor_in_scope(caller, args));
    m = *found;
    before = public_json(m, now_ms(ctx));
  } else if (a_.monitors.size() >= max_monitors) {
    return fail(errc::bad_state, "limit",
                "an account has at most " + std::to_string(max_monitors) +
                  " monitors; remove one first");
  }
  OA_TRY(name, text_field(args, "name", 1, 100));
  if (name)
    m.name = *name;
  else if (create)
    return fail(errc::bad_field, "bad_field", "name: is required", "name");
  if (create) {
    OA_TRY(kind, text_field(args, "kind", 1, 20));
    if (!kind || !monitor_kind(*kind)) {
      auto e = fail(errc::bad_field, "bad_field",
                    "kind: must be technicians, waiting, active, managers or "
                    "service_level",
                    "kind");
      e.rule = "choice";
      return e;
    }
    if (!may_see(caller, *kind))
      return fail(errc::forbidden, "forbidden",
                  "only company managers see who watches sessions");
    m.kind = *kind;
    m.id = a_.next_id++;
    m.created_by = caller.id;
    m.started_ms = now_ms(ctx);
    m.run_ms = ctx.monitor_run_ms;
  } else if (args.contains("kind") && args["kind"] != json(m.kind)) {
    return fail(errc::bad_field, "bad_field", "kind: a monitor keeps its kind",
                "kind");
  }
  if (auto target = args.find("target_s"); target != args.end()) {
    if (m.kind != "service_level")
      return fail(errc::bad_field, "bad_field",
                  "target_s: only a service level monitor has a target",
                  "target_s");
    if (!target->is_number_integer() || target->get<int64_t>() < 1 ||
        target->get<int64_t>() > 3600)
      return fail(errc::bad_field, "bad_field",
                  "target_s: from 1 to 3600 seconds", "target_s");
    m.target_s = target->get<int>();
  }
  op_outcome out;
  out.created = create;
  out.changed = true;
  out.body = public_json(m, now_ms(ctx));
  out.audit.push_back({create ? "monitor.create" : "monitor.update",
                       "monitor/" + std::to_string(m.id), before, out.body});
  a_.monitors[m.id] = std::move(m);
  return out;
}

op_result account_service::monitors_restart(const org_user& caller,
                                            const json& args,
                                            const op_context& ctx) {
  if (!manager(caller))
    return forbidden();
  OA_TRY(m, monitor_in_scope(caller, args));
  auto before = public_json(*m, now_ms(ctx));
  m->started_ms = now_ms(ctx);
  m->run_ms = ctx.monitor_run_ms;
  op_outcome out;
  out.changed = true;
  out.body = public_json(*m, now_ms(ctx));
  out.audit.push_back(
    {"monitor.restart", "monitor/" + std::to_string(m->id), before, out.body});
  return out;
}

op_result account_service::monitors_delete(const org_user& caller,
                                           const json& args) {
  if (!manager(caller))
    return forbidden();
  OA_TRY(m, monitor_in_scope(caller, args));
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"monitor.delete", "monitor/" + std::to_string(m->id),
                       public_json(*m, m->started_ms), nullptr});
  a_.monitors.erase(m->id);
  return out;
}

} // namespace openassist::actors
