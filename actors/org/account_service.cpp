#include "actors/org/account_service.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include "actors/identity/credentials.hpp"
#include "actors/org/account_rules.hpp"

namespace openassist::actors {

using namespace rules;

caf::error to_error(const op_error& e) {
  error_details d;
  d.code = e.code;
  d.field = e.field;
  d.rule = e.rule;
  d.min = e.min;
  d.max = e.max;
  return make_error(e.kind, e.message, std::move(d));
}

std::string login_key(const std::string& kind, const std::string& email) {
  return kind + ":" + email;
}

std::set<uint64_t> account_service::scope_of(const org_user& caller) const {
  std::set<uint64_t> out;
  if (caller.r == role::company_manager || caller.r == role::api_manager) {
    for (auto& [id, t] : a_.teams)
      out.insert(id);
  } else if (caller.r == role::team_manager) {
    for (auto& [id, t] : a_.teams)
      for (auto root : caller.managed_team_ids)
        if (in_subtree(id, root))
          out.insert(id);
  }
  return out;
}

bool account_service::in_subtree(uint64_t team_id, uint64_t root) const {
  // Walks up; the depth bound also stops a (never stored) cycle.
  for (int depth = 0; team_id != 0 && depth < 64; ++depth) {
    if (team_id == root)
      return true;
    auto i = a_.teams.find(team_id);
    if (i == a_.teams.end())
      return false;
    team_id = i->second.parent_id;
  }
  return false;
}

std::vector<const feature_overrides*>
account_service::team_chain(uint64_t team_id) const {
  return actors::team_chain(a_, team_id);
}

size_t account_service::technicians_in(uint64_t team_id) const {
  return static_cast<size_t>(
    std::count_if(a_.users.begin(), a_.users.end(), [&](auto& kv) {
      return kv.second.r == role::technician && !kv.second.deleted &&
             kv.second.team_id == team_id;
    }));
}

std::variant<org_user*, op_error>
account_service::technician_in_scope(const org_user& caller, const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto scope = scope_of(caller);
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r != role::technician ||
      i->second.deleted || !scope.count(i->second.team_id))
    return not_found("technician");
  return &i->second;
}

op_result account_service::add_user(org_user u, const op_context& ctx) {
  if (ctx.login_taken && ctx.login_taken(u.kind(), u.email))
    return fail(errc::bad_state, "duplicate_user",
                std::string{"email: this "} + u.kind() + " user id is taken",
                "email");
  u.id = a_.next_id++;
  op_outcome out;
  out.created = true;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back({std::string{u.kind()} + ".create",
                       std::string{u.kind()} + "/" + std::to_string(u.id),
                       nullptr, out.body});
  out.index_ops.push_back({storage::table::logins, login_key(u.kind(), u.email),
                           a_.id + "/" + std::to_string(u.id),
                           storage::op_kind::insert});
  a_.users.emplace(u.id, std::move(u));
  return out;
}

std::optional<op_error> account_service::login_change(const org_user& before,
                                                      const org_user& after,
                                                      const op_context& ctx,
                                                      op_outcome& out) {
  if (after.email == before.email)
    return std::nullopt;
  if (ctx.login_taken && ctx.login_taken(after.kind(), after.email))
    return fail(errc::bad_state, "duplicate_user",
                std::string{"email: this "} + after.kind() +
                  " user id is taken",
                "email");
  out.index_ops.push_back(
    {storage::table::logins, login_key(after.kind(), after.email),
     a_.id + "/" + std::to_string(after.id), storage::op_kind::insert});
  out.index_ops.push_back({storage::table::logins,
                           login_key(before.kind(), before.email), "",
                           storage::op_kind::erase});
  return std::nullopt;
}

std::vector<std::string> account_service::passwords_in(const std::string& op,
                                                       const json& args) {
  std::vector<std::string> out;
  auto take = [&](const char* key) {
    if (auto i = args.find(key);
        i != args.end() && i->is_string() &&
        check_password_rules(i->get<std::string>()).empty())
      out.push_back(i->get<std::string>());
  };
  if (op == "technicians.create" || op == "technicians.update" ||
      op == "managers.create" || op == "managers.update" ||
      op == "password.reset")
    take("password");
  else if (op == "me.settings")
    take("new_password");
  else if (op == "technicians.bulk" && args.contains("text") &&
           args["text"].is_string()) {
    std::istringstream in(args["text"].get<std::string>());
    std::string line;
    // An import over the line limit is refused before anything is hashed.
    for (size_t n = 0; std::getline(in, line) && ++n <= 1000;) {
      std::vector<std::string> cols;
      std::istringstream row(line);
      std::string col;
      while (std::getline(row, col, ','))
        cols.push_back(trim(col));
      if (cols.size() >= 6 && check_password_rules(cols[5]).empty())
        out.push_back(cols[5]);
    }
  }
  return out;
}

op_result account_service::apply(const std::string& op, const json& args,
                                 const op_context& ctx) {
  auto c = a_.users.find(ctx.caller_id);
  if (c == a_.users.end() || c->second.deleted)
    return fail(errc::unauthenticated, "unauthenticated",
                "your login no longer exists");
  auto& caller = c->second;
  if (op == "me.get") {
    op_outcome out;
    out.body = me_json(a_, caller);
    return out;
  }
  if (op == "me.settings")
    return me_settings(caller, args, ctx);
  if (op == "password.reset") {
    // Only the auth actor sends this, after checking a single-use e-mailed
    // token of this user; no route maps to it.
    json pw = {
      {"password", args.is_object() ? args.value("password", json{}) : json{}}};
    auto before = public_json(caller);
    auto u = caller;
    if (!pw["password"].is_string())
      return fail(errc::bad_field, "bad_field", "password: is required",
                  "password");
    if (auto e = read_person(u, pw, false, ctx))
      return *e;
    caller = u;
    op_outcome out;
    out.changed = true;
    out.audit.push_back({"password.reset",
                         std::string{u.kind()} + "/" + std::to_string(u.id),
                         nullptr, nullptr});
    return out;
  }
  if (op == "session.audit")
    return session_audit(caller, args);
  // Saved reports: managers, and technicians allowed their own reports.
  if (op == "reports.list")
    return saved_reports_list(caller);
  if (op == "reports.create")
    return saved_reports_write(caller, args, ctx, true);
  if (op == "reports.update")
    return saved_reports_write(caller, args, ctx, false);
  if (op == "reports.delete")
    return saved_reports_delete(caller, args);
  if (op == "reports.delivered")
    return saved_reports_delivered(caller, args);
  if (caller.r == role::technician)
    return forbidden();
  if (op == "teams.list")
    return teams_list(caller);
  if (op == "teams.create")
    return teams_create(caller, args);
  if (op == "teams.update")
    return teams_update(caller, args);
  if (op == "teams.delete")
    return teams_delete(caller, args);
  if (op == "technicians.list")
    return technicians_list(caller);
  if (op == "technicians.create")
    return technicians_create(caller, args, ctx);
  if (op == "technicians.update")
    return technicians_update(caller, args, ctx);
  if (op == "technicians.delete")
    return technicians_delete(caller, args);
  if (op == "technicians.move")
    return technicians_move(caller, args);
  if (op == "technicians.bulk")
    return technicians_bulk(caller, args, ctx);
  if (op == "technicians.features")
    return technicians_features(caller, args);
  if (op == "managers.list")
    return managers_list(caller);
  if (op == "managers.create")
    return managers_create(caller, args, ctx);
  if (op == "managers.update")
    return managers_update(caller, args, ctx);
  if (op == "managers.delete")
    return managers_delete(caller, args);
  if (op == "portals.list")
    return portals_list(caller);
  ctx_valid_tz_ = ctx.valid_time_zone;
  if (op == "portals.create")
    return portals_write(caller, args, true);
  if (op == "portals.update")
    return portals_write(caller, args, false);
  if (op == "portals.delete")
    return portals_delete(caller, args);
  if (op == "portals.open_state")
    return portals_open_state(caller, args, ctx);
  if (op == "account.get")
    return account_get(caller);
  if (op == "account.update")
    return account_update(caller, args);
  if (op == "monitors.list")
    return monitors_list(caller, ctx);
  if (op == "monitors.create")
    return monitors_write(caller, args, ctx, true);
  if (op == "monitors.update")
    return monitors_write(caller, args, ctx, false);
  if (op == "monitors.restart")
    return monitors_restart(caller, args, ctx);
  if (op == "monitors.delete")
    return monitors_delete(caller, args);
  if (op == "hours.list")
    return hours_list(caller);
  if (op == "hours.create")
    return hours_write(caller, args, true);
  if (op == "hours.update")
    return hours_write(caller, args, false);
  if (op == "hours.delete")
    return hours_delete(caller, args);
  return fail(errc::not_found, "not_found", "unknown operation " + op);
}

// What a technician did in a session that the account keeps in its audit
// log: remote control granted, used, declined, ended (docs/remote-control.md).
// Only a session actor sends this, as the technician; no route maps to it.
op_result account_service::session_audit(const org_user& caller,
                                         const json& args) {
  static const std::set<std::string> actions = {
    "control.granted", "control.used", "control.declined", "control.ended"};
  auto action = args.is_object() ? args.value("action", std::string{}) : "";
  auto target = args.is_object() ? args.value("target", std::string{}) : "";
  if (!actions.count(action) || target.rfind("request/", 0) != 0)
    return fail(errc::bad_field, "bad_field",
                "action: a remote-control step of a request", "action");
  if (caller.r != role::technician)
    return forbidden();
  op_outcome out;
  out.changed = true;
  out.audit.push_back({action, target, nullptr, args.value("detail", json{})});
  return out;
}

// -- account settings
// ----------------------------------------------------------

namespace {
json account_json(const org_account& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"file_limit_mb", a.file_limit_mb},
          {"retention_days", a.retention_days},
          {"report_days", a.report_days},
          {"time_zone", a.time_zone}};
}

// A whole number from `lo` to `hi`, or the refusal naming the field.
std::optional<op_error> whole_in(const json& v, const char* field, int lo,
                                 int hi) {
  if (v.is_number_integer() && v.get<int64_t>() >= lo && v.get<int64_t>() <= hi)
    return std::nullopt;
  auto e = fail(errc::bad_field, "bad_field",
                std::string{field} + ": must be a whole number from " +
                  std::to_string(lo) + " to " + std::to_string(hi),
                field);
  e.rule = "range";
  e.min = lo;
  e.max = hi;
  return e;
}
} // namespace

op_result account_service::account_get(const org_user&) {
  op_outcome out;
  out.body = account_json(a_);
  return out;
}

op_result account_service::account_update(const org_user& caller,
                                          const json& args) {
  if (caller.r != role::company_manager)
    return forbidden();
  auto before = account_json(a_);
  auto next = a_;
  if (args.contains("file_limit_mb")) {
    if (auto e = whole_in(args["file_limit_mb"], "file_limit_mb", 1, 100))
      return *e;
    next.file_limit_mb = static_cast<int>(args["file_limit_mb"].get<int64_t>());
  }
  if (args.contains("retention_days")) {
    if (auto e = whole_in(args["retention_days"], "retention_days", 1, 3650))
      return *e;
    next.retention_days =
      static_cast<int>(args["retention_days"].get<int64_t>());
    // Reports cannot read further back than sessions are kept.
    next.report_days = std::min(next.report_days, next.retention_days);
  }
  if (args.contains("report_days")) {
    if (auto e =
          whole_in(args["report_days"], "report_days", 1, next.retention_days))
      return *e;
    next.report_days = static_cast<int>(args["report_days"].get<int64_t>());
  }
  if (args.contains("time_zone")) {
    auto& tz = args["time_zone"];
    if (!tz.is_string() || !ctx_valid_tz_ ||
        !ctx_valid_tz_(tz.get<std::string>()))
      return fail(errc::bad_field, "bad_field",
                  "time_zone: an IANA time zone name", "time_zone");
    next.time_zone = tz.get<std::string>();
  }
  a_.file_limit_mb = next.file_limit_mb;
  a_.retention_days = next.retention_days;
  a_.report_days = next.report_days;
  a_.time_zone = next.time_zone;
  op_outcome out;
  out.changed = true;
  out.body = account_json(a_);
  out.audit.push_back({"account.update", "account/" + a_.id, before, out.body});
  return out;
}

// -- my settings --------------------------------------------------------------

op_result account_service::me_settings(org_user& caller, const json& args,
                                       const op_context& ctx) {
  auto before = public_json(caller);
  auto u = caller;
  json person = json::object();
  for (auto key : {"email", "language", "time_zone"})
    if (args.contains(key))
      person[key] = args[key];
  if (auto e = read_person(u, person, false, ctx))
    return *e;
  if (args.contains("new_password")) {
    auto cur = args.find("current_password");
    if (cur == args.end() || !cur->is_string() ||
        !verify_password(caller.password_hash, cur->get<std::string>()))
      return fail(errc::forbidden, "wrong_password",
                  "current_password: is not correct", "current_password");
    json pw = {{"password", args["new_password"]}};
    if (auto e = read_person(u, pw, false, ctx)) {
      e->field = "new_password";
      e->message = "new_" + e->message;
      return *e;
    }
  }
  op_outcome out;
  if (auto e = login_change(caller, u, ctx, out))
    return *e;
  caller = u;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back({"settings.update",
                       std::string{u.kind()} + "/" + std::to_string(u.id),
                       before, out.body});
  return out;
}

} // namespace openassist::actors
