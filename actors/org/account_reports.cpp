#include "actors/org/account_service.hpp"

// account_reports: one part of account_service. The reports a manager saved
// ("my reports", docs/reports.md): each manager sees, runs, edits and
// deletes only their own; what a report holds is narrowed again when it
// runs, to what the manager may read then.

#include "actors/org/account_rules.hpp"
#include "actors/reports/report.hpp"
#include "actors/reports/schedule.hpp"

namespace openassist::actors {

using namespace rules;

namespace {

// A narrowing id: absent, null, "" or 0 is any (0).
std::variant<uint64_t, op_error> narrowing(const json& args, const char* name) {
  auto i = args.find(name);
  if (i == args.end() || i->is_null() ||
      (i->is_string() && i->get_ref<const std::string&>().empty()) ||
      (i->is_number_unsigned() && i->get<uint64_t>() == 0))
    return uint64_t{0};
  OA_TRY(id, id_field(args, name));
  return id.value_or(0);
}

op_error bad(const char* field, const std::string& message) {
  return fail(errc::bad_field, "bad_field", std::string{field} + ": " + message,
              field);
}

} // namespace

std::variant<saved_report*, op_error>
account_service::saved_report_of(const org_user& caller, const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.saved_reports.find(*id) : a_.saved_reports.end();
  if (i == a_.saved_reports.end() || i->second.owner != caller.id)
    return not_found("saved report");
  return &i->second;
}

op_result account_service::saved_reports_list(const org_user& caller) {
  if (!may_run_reports(a_, caller))
    return forbidden();
  op_outcome out;
  out.body = {{"saved_reports", json::array()}};
  for (auto& [id, r] : a_.saved_reports)
    if (r.owner == caller.id)
      out.body["saved_reports"].push_back(public_json(r));
  return out;
}

op_result account_service::saved_reports_write(const org_user& caller,
                                               const json& args,
                                               const op_context& ctx,
                                               bool create) {
  if (!may_run_reports(a_, caller))
    return forbidden();
  saved_report r;
  json before = nullptr;
  if (!create) {
    OA_TRY(found, saved_report_of(caller, args));
    r = *found;
    before = public_json(r);
  } else {
    size_t mine = 0;
    for (auto& [id, x] : a_.saved_reports)
      mine += x.owner == caller.id ? 1 : 0;
    if (mine >= max_saved_reports)
      return fail(errc::bad_state, "limit",
                  "a manager has at most " + std::to_string(max_saved_reports) +
                    " saved reports; delete one first");
  }
  OA_TRY(name, text_field(args, "name", 1, 100));
  if (name)
    r.name = trim(*name);
  if (r.name.empty())
    return bad("name", "is required");
  OA_TRY(kind, text_field(args, "kind", 1, 20));
  if (kind) {
    if (!reports::report_kind_from(*kind))
      return bad("kind", "must be snapshot, sessions, technicians, feedback, "
                         "service_level or activity");
    r.kind = *kind;
  } else if (create) {
    return bad("kind", "is required");
  }
  OA_TRY(period, text_field(args, "period", 1, 20));
  if (period) {
    if (!report_period(*period))
      return bad("period", "must be today, yesterday, last_7_days, "
                           "last_30_days, this_month, last_month or days");
    r.period = *period;
  } else if (create) {
    return bad("period", "is required");
  }
  OA_TRY(from, text_field(args, "from", 0, 10));
  OA_TRY(to, text_field(args, "to", 0, 10));
  if (r.period == "days") {
    if (from)
      r.from_day = *from;
    if (to)
      r.to_day = *to;
    if (!reports::valid_day(r.from_day))
      return bad("from", "the first day, as YYYY-MM-DD");
    if (!reports::valid_day(r.to_day))
      return bad("to", "the last day, as YYYY-MM-DD");
    if (r.to_day < r.from_day)
      return bad("to", "the last day may not be before the first");
  } else {
    r.from_day.clear();
    r.to_day.clear();
  }
  OA_TRY(portal, narrowing(args, "portal_id"));
  OA_TRY(team, narrowing(args, "team_id"));
  OA_TRY(technician, narrowing(args, "technician_id"));
  if (args.contains("portal_id")) {
    if (portal != 0 && !a_.portals.count(portal))
      return bad("portal_id", "no such portal");
    r.portal_id = portal;
  }
  if (args.contains("team_id")) {
    if (team != 0 && !a_.teams.count(team))
      return bad("team_id", "no such team");
    r.team_id = team;
  }
  if (args.contains("technician_id")) {
    auto t = a_.users.find(technician);
    if (technician != 0 &&
        (t == a_.users.end() || t->second.r != role::technician))
      return bad("technician_id", "no such technician");
    r.technician_id = technician;
  }
  if (auto target = args.find("target_s"); target != args.end()) {
    if (!target->is_number_integer() || target->get<int64_t>() < 1 ||
        target->get<int64_t>() > 3600)
      return bad("target_s", "the target wait, 1 to 3600 seconds");
    r.target_s = target->get<int>();
  }
  OA_TRY(schedule, text_field(args, "schedule", 0, 10));
  bool rescheduled = create;
  if (schedule) {
    if (!schedule->empty() && *schedule != "daily" && *schedule != "weekly" &&
        *schedule != "monthly")
      return bad("schedule", "must be daily, weekly, monthly or \"\" (none)");
    rescheduled = rescheduled || *schedule != r.schedule;
    r.schedule = *schedule;
  }
  if (auto at = args.find("send_at"); at != args.end()) {
    if (!at->is_number_integer() || at->get<int64_t>() < 0 ||
        at->get<int64_t>() >= 24 * 60)
      return bad("send_at", "minutes after midnight, 0 to 1439");
    rescheduled = rescheduled || at->get<int>() != r.send_at;
    r.send_at = at->get<int>();
  }
  OA_TRY(email, text_field(args, "email", 0, 254));
  if (email) {
    auto e = lower(trim(*email));
    if (!e.empty() && !valid_email(e))
      return bad("email", "not an e-mail address");
    r.email = e;
  }
  if (create) {
    r.id = a_.next_id++;
    r.owner = caller.id;
  }
  r.updated_ms = ctx.now_unix * 1000;
  // A schedule set or changed starts from now: the next time it names is
  // the first delivery (none is made up for times before).
  if (rescheduled)
    r.delivered_ms = r.updated_ms;
  op_outcome out;
  out.created = create;
  out.changed = true;
  out.body = public_json(r);
  out.audit.push_back({create ? "report.save" : "report.update",
                       "report/" + std::to_string(r.id), before, out.body});
  a_.saved_reports[r.id] = std::move(r);
  return out;
}

op_result account_service::saved_reports_delivered(const org_user& caller,
                                                   const json& args) {
  OA_TRY(r, saved_report_of(caller, args));
  auto slot = args.find("slot_ms");
  if (slot == args.end() || !slot->is_number_integer())
    return bad("slot_ms", "the delivery's time, Unix ms");
  op_outcome out;
  if (slot->get<int64_t>() > r->delivered_ms) {
    r->delivered_ms = slot->get<int64_t>();
    out.changed = true;
  }
  out.body = public_json(*r);
  return out;
}

op_result account_service::saved_reports_delete(const org_user& caller,
                                                const json& args) {
  if (!may_run_reports(a_, caller))
    return forbidden();
  OA_TRY(r, saved_report_of(caller, args));
  op_outcome out;
  out.changed = true;
  out.audit.push_back({"report.delete", "report/" + std::to_string(r->id),
                       public_json(*r), nullptr});
  a_.saved_reports.erase(r->id);
  return out;
}

} // namespace openassist::actors
