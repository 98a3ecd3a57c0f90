#include "actors/account_service.hpp"

#include <algorithm>
#include <sstream>

#include "actors/credentials.hpp"

namespace openassist::actors {

std::string login_key(const std::string& kind, const std::string& email) {
  return kind + ":" + email;
}

namespace {

// The rule a message states; messages are written "<field>: <rule text>".
std::string rule_of(const std::string& code, const std::string& message) {
  if (code == "duplicate_user" || code == "duplicate_team" || code == "duplicate_slug")
    return "taken";
  if (code != "bad_field" && code != "cycle")
    return {};
  auto has = [&](const char* s) { return message.find(s) != std::string::npos; };
  if (has("is required") || has("must not be empty"))
    return "required";
  if (has("used twice") || has("duplicate"))
    return "taken";
  if (has("e-mail address"))
    return "email";
  if (has("no such") || has("unknown"))
    return "unknown";
  if (has("must be a string") || has("must be an id") || has("must be an object")
      || has("must be a list") || has("must be true") || has("must be an integer"))
    return "type";
  if (has("must be one of") || has("must be web") || has("not a type of")
      || has("must be en or de") || has("must be company_manager"))
    return "choice";
  if (has(" to ") && has("characters"))
    return "length";
  if (has("must be 1 to") || has("at most") || has("at least"))
    return "range";
  return "format";
}

op_error fail(unsigned status, std::string code, std::string message,
              std::string field = {}) {
  auto rule = rule_of(code, message);
  return op_error{status,          std::move(code), std::move(message),
                  std::move(field), std::move(rule), -1, -1};
}

op_error fail_length(const std::string& field, size_t min, size_t max) {
  auto e = fail(400, "bad_field",
                field + ": must be " + std::to_string(min) + " to "
                  + std::to_string(max) + " characters",
                field);
  e.rule = "length";
  e.min = static_cast<int>(min);
  e.max = static_cast<int>(max);
  return e;
}

op_error forbidden() {
  return fail(403, "forbidden", "your role does not allow this");
}

op_error not_found(const std::string& what) {
  return fail(404, "not_found", "no such " + what);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

bool valid_email(const std::string& e) {
  if (e.size() < 3 || e.size() > 254)
    return false;
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
    return false;
  auto dot = e.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot + 1 >= e.size())
    return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == ',' || c == '<' || c == '>' || c == '"')
      return false;
  return e.back() != '.';
}

bool printable(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f)
      return false;
  return true;
}

// Reads an optional string field: absent -> nullopt; wrong type or rule
// broken -> error naming the field.
std::variant<std::optional<std::string>, op_error>
text_field(const json& args, const char* name, size_t min, size_t max) {
  auto i = args.find(name);
  if (i == args.end() || i->is_null())
    return std::optional<std::string>{};
  if (!i->is_string())
    return fail(400, "bad_field", std::string{name} + ": must be a string", name);
  auto v = trim(i->get<std::string>());
  if (v.size() < min || v.size() > max)
    return fail_length(name, min, max);
  if (!printable(v))
    return fail(400, "bad_field",
                std::string{name} + ": must not contain control characters",
                name);
  return std::optional<std::string>{v};
}

std::variant<std::optional<uint64_t>, op_error> id_field(const json& args,
                                                         const char* name) {
  auto i = args.find(name);
  if (i == args.end() || i->is_null())
    return std::optional<uint64_t>{};
  if (i->is_string()) {
    auto s = i->get<std::string>();
    if (!s.empty() && s.size() < 19
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::optional<uint64_t>{std::stoull(s)};
  } else if (i->is_number_unsigned()) {
    return std::optional<uint64_t>{i->get<uint64_t>()};
  }
  return fail(400, "bad_field", std::string{name} + ": must be an id", name);
}

// Features as an API document: known keys with true/false/null (null removes
// the override), max_sessions 1..50 or null.
std::variant<feature_overrides, op_error>
merge_overrides(const feature_overrides& current, const json& j) {
  if (!j.is_object())
    return fail(400, "bad_field", "features: must be an object", "features");
  auto out = current;
  for (auto& [k, v] : j.items()) {
    if (k == "max_sessions") {
      if (v.is_null()) {
        out.max_sessions.reset();
      } else if (v.is_number_integer() && v.get<int64_t>() >= 1
                 && v.get<int64_t>() <= max_sessions_limit) {
        out.max_sessions = v.get<int>();
      } else {
        return fail(400, "bad_field",
                    "features.max_sessions: must be 1 to "
                      + std::to_string(max_sessions_limit),
                    "features.max_sessions");
      }
      continue;
    }
    auto f = feature_from_name(k);
    if (!f)
      return fail(400, "bad_field", "features." + k + ": unknown feature",
                  "features." + k);
    if (v.is_null())
      out.flags.erase(*f);
    else if (v.is_boolean())
      out.flags[*f] = v.get<bool>();
    else
      return fail(400, "bad_field", "features." + k + ": must be true, false or null",
                  "features." + k);
  }
  return out;
}

std::variant<std::vector<skill>, op_error> read_skills(const json& j) {
  if (!j.is_array() || j.size() > 20)
    return fail(400, "bad_field", "skills: must be a list of at most 20", "skills");
  std::vector<skill> out;
  for (auto& s : j) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string())
      return fail(400, "bad_field", "skills: each needs a name", "skills");
    auto name = trim(s["name"].get<std::string>());
    int rank = s.value("rank", 1);
    if (name.empty() || name.size() > 50 || !printable(name))
      return fail(400, "bad_field", "skills.name: 1 to 50 characters", "skills");
    if (rank < 1 || rank > 10)
      return fail(400, "bad_field", "skills.rank: must be 1 to 10", "skills");
    out.push_back({name, rank});
  }
  return out;
}

std::optional<op_error> read_person(org_user& u, const json& args,
                                    bool creating, const op_context& ctx);

#define OA_TRY(var, expr)                                                      \
  auto var##_result = (expr);                                                  \
  if (auto* e = std::get_if<op_error>(&var##_result))                          \
    return *e;                                                                 \
  auto var = std::move(std::get<0>(var##_result))

} // namespace

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
  std::vector<const feature_overrides*> chain;
  for (int depth = 0; team_id != 0 && depth < 64; ++depth) {
    auto i = a_.teams.find(team_id);
    if (i == a_.teams.end())
      break;
    chain.insert(chain.begin(), &i->second.features);
    team_id = i->second.parent_id;
  }
  return chain;
}

size_t account_service::technicians_in(uint64_t team_id) const {
  return static_cast<size_t>(std::count_if(
    a_.users.begin(), a_.users.end(), [&](auto& kv) {
      return kv.second.r == role::technician && !kv.second.deleted
             && kv.second.team_id == team_id;
    }));
}

std::variant<org_user*, op_error>
account_service::technician_in_scope(const org_user& caller, const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto scope = scope_of(caller);
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r != role::technician || i->second.deleted
      || !scope.count(i->second.team_id))
    return not_found("technician");
  return &i->second;
}

op_result account_service::add_user(org_user u, const op_context& ctx) {
  if (ctx.login_taken && ctx.login_taken(u.kind(), u.email))
    return fail(409, "duplicate_user",
                std::string{"email: this "} + u.kind() + " user id is taken", "email");
  u.id = a_.next_id++;
  op_outcome out;
  out.status = 201;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back({std::string{u.kind()} + ".create",
                       std::string{u.kind()} + "/" + std::to_string(u.id), nullptr,
                       out.body});
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
    return fail(409, "duplicate_user",
                std::string{"email: this "} + after.kind() + " user id is taken",
                "email");
  out.index_ops.push_back({storage::table::logins, login_key(after.kind(), after.email),
                           a_.id + "/" + std::to_string(after.id),
                           storage::op_kind::insert});
  out.index_ops.push_back({storage::table::logins,
                           login_key(before.kind(), before.email), "",
                           storage::op_kind::erase});
  return std::nullopt;
}

std::vector<std::string> account_service::passwords_in(const std::string& op,
                                                       const json& args) {
  std::vector<std::string> out;
  auto take = [&](const char* key) {
    if (auto i = args.find(key); i != args.end() && i->is_string()
                                 && check_password_rules(i->get<std::string>()).empty())
      out.push_back(i->get<std::string>());
  };
  if (op == "technicians.create" || op == "technicians.update"
      || op == "managers.create" || op == "managers.update"
      || op == "password.reset")
    take("password");
  else if (op == "me.settings")
    take("new_password");
  else if (op == "technicians.bulk" && args.contains("text")
           && args["text"].is_string()) {
    std::istringstream in(args["text"].get<std::string>());
    std::string line;
    while (std::getline(in, line)) {
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
    return fail(401, "unauthenticated", "your login no longer exists");
  auto& caller = c->second;
  if (op == "me.get") {
    op_outcome out;
    out.body = public_json(caller);
    return out;
  }
  if (op == "me.settings")
    return me_settings(caller, args, ctx);
  if (op == "password.reset") {
    // Only the auth actor sends this, after checking a single-use e-mailed
    // token of this user; no route maps to it.
    json pw = {{"password", args.value("password", json{})}};
    auto before = public_json(caller);
    auto u = caller;
    if (!pw["password"].is_string())
      return fail(400, "bad_field", "password: is required", "password");
    if (auto e = read_person(u, pw, false, ctx))
      return *e;
    caller = u;
    op_outcome out;
    out.status = 204;
    out.changed = true;
    out.audit.push_back({"password.reset", std::string{u.kind()} + "/"
                                              + std::to_string(u.id),
                         nullptr, nullptr});
    return out;
  }
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
  if (op == "hours.list")
    return hours_list(caller);
  if (op == "hours.create")
    return hours_write(caller, args, true);
  if (op == "hours.update")
    return hours_write(caller, args, false);
  if (op == "hours.delete")
    return hours_delete(caller, args);
  return fail(404, "not_found", "unknown operation " + op);
}

// -- teams --------------------------------------------------------------------

op_result account_service::teams_list(const org_user& caller) {
  op_outcome out;
  out.body = {{"teams", json::array()}};
  for (auto id : scope_of(caller))
    out.body["teams"].push_back(public_json(a_.teams.at(id), technicians_in(id)));
  return out;
}

op_result account_service::teams_create(const org_user& caller,
                                        const json& args) {
  OA_TRY(name, text_field(args, "name", 1, 100));
  OA_TRY(parent, id_field(args, "parent_id"));
  if (!name)
    return fail(400, "bad_field", "name: is required", "name");
  uint64_t parent_id = parent.value_or(0);
  auto scope = scope_of(caller);
  if (parent_id == 0 && caller.r == role::team_manager)
    return fail(403, "forbidden", "team managers create sub-teams of their teams",
                "parent_id");
  if (parent_id != 0 && !scope.count(parent_id))
    return fail(400, "bad_field", "parent_id: no such team", "parent_id");
  for (auto& [id, t] : a_.teams)
    if (t.parent_id == parent_id && lower(t.name) == lower(*name))
      return fail(409, "duplicate_team", "name: a team of that name exists here",
                  "name");
  team t{a_.next_id++, *name, parent_id, {}};
  op_outcome out;
  out.status = 201;
  out.changed = true;
  out.body = public_json(t, 0);
  out.audit.push_back({"team.create", "team/" + std::to_string(t.id), nullptr,
                       out.body});
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
    bool manages_directly =
      std::count(caller.managed_team_ids.begin(), caller.managed_team_ids.end(), *id) > 0;
    if (p != t.parent_id && caller.r == role::team_manager
        && (manages_directly || p == 0 || !scope.count(p)))
      return fail(403, "forbidden",
                  "parent_id: team managers move teams only within their teams",
                  "parent_id");
    if (p != 0 && !a_.teams.count(p))
      return fail(400, "bad_field", "parent_id: no such team", "parent_id");
    if (p != 0 && in_subtree(p, *id))
      return fail(400, "cycle", "parent_id: a team cannot be placed below itself",
                  "parent_id");
    updated.parent_id = p;
  }
  if (args.contains("features")) {
    OA_TRY(f, merge_overrides(t.features, args["features"]));
    updated.features = f;
  }
  for (auto& [other_id, other] : a_.teams)
    if (other_id != t.id && other.parent_id == updated.parent_id
        && lower(other.name) == lower(updated.name))
      return fail(409, "duplicate_team", "name: a team of that name exists here",
                  "name");
  t = updated;
  op_outcome out;
  out.changed = true;
  out.body = public_json(t, technicians_in(t.id));
  out.audit.push_back({"team.update", "team/" + std::to_string(t.id), before,
                       out.body});
  return out;
}

op_result account_service::teams_delete(const org_user& caller,
                                        const json& args) {
  OA_TRY(id, id_field(args, "id"));
  auto scope = scope_of(caller);
  if (!id || !scope.count(*id))
    return not_found("team");
  if (caller.r == role::team_manager
      && std::count(caller.managed_team_ids.begin(), caller.managed_team_ids.end(), *id))
    return fail(403, "forbidden", "a team manager cannot delete a team they manage");
  auto t = a_.teams.at(*id);
  if (t.parent_id == 0 && technicians_in(t.id) > 0)
    return fail(409, "team_not_empty",
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
  out.status = 204;
  out.changed = true;
  out.audit.push_back({"team.delete", "team/" + std::to_string(t.id),
                       public_json(t, 0), nullptr});
  a_.teams.erase(t.id);
  return out;
}

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

namespace {

// Fills the person fields of `u` from `args`; `creating` makes the required
// ones required.
std::optional<op_error> read_person(org_user& u, const json& args,
                                    bool creating, const op_context& ctx) {
  auto rd = [&](const char* name, size_t min, size_t max, std::string& target,
                bool required) -> std::optional<op_error> {
    auto r = text_field(args, name, min, max);
    if (auto* e = std::get_if<op_error>(&r))
      return *e;
    auto& v = std::get<0>(r);
    if (v)
      target = *v;
    else if (required && creating)
      return fail(400, "bad_field", std::string{name} + ": is required", name);
    return std::nullopt;
  };
  if (auto e = rd("email", 3, 254, u.email, true))
    return e;
  u.email = lower(u.email);
  if (!valid_email(u.email))
    return fail(400, "bad_field", "email: must be an e-mail address", "email");
  if (auto e = rd("first_name", 1, 100, u.first_name, true))
    return e;
  if (auto e = rd("last_name", 1, 100, u.last_name, true))
    return e;
  if (auto e = rd("screen_name", 0, 100, u.screen_name, false))
    return e;
  if (u.screen_name.empty())
    u.screen_name = u.first_name;
  if (auto e = rd("custom", 0, 500, u.custom, false))
    return e;
  if (args.contains("language")) {
    std::string lang;
    if (auto e = rd("language", 2, 2, lang, false))
      return e;
    if (lang != "en" && lang != "de")
      return fail(400, "bad_field", "language: must be en or de", "language");
    u.language = lang;
  }
  if (args.contains("time_zone")) {
    std::string tz;
    if (auto e = rd("time_zone", 1, 64, tz, false))
      return e;
    if (ctx.valid_time_zone && !ctx.valid_time_zone(tz))
      return fail(400, "bad_field", "time_zone: unknown time zone", "time_zone");
    u.time_zone = tz;
  }
  auto pw = args.find("password");
  if (pw != args.end() && !pw->is_null()) {
    if (!pw->is_string())
      return fail(400, "bad_field", "password: must be a string", "password");
    if (auto rule = check_password_rules(pw->get<std::string>()); !rule.empty())
      return fail_length("password", min_password_length, max_password_length);
    auto h = ctx.hashes.find(pw->get<std::string>());
    if (h == ctx.hashes.end())
      return fail(500, "internal", "password was not hashed");
    u.password_hash = h->second;
  } else if (creating) {
    return fail(400, "bad_field", "password: is required", "password");
  }
  return std::nullopt;
}

} // namespace

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
    return fail(400, "bad_field", "team_id: no such team", "team_id");
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
      return fail(400, "bad_field", "team_id: no such team", "team_id");
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
  out.audit.push_back({"technician.update", "technician/" + std::to_string(u.id),
                       before, out.body});
  return out;
}

op_result account_service::technicians_delete(const org_user& caller,
                                              const json& args) {
  OA_TRY(tech, technician_in_scope(caller, args));
  auto i = a_.users.find(tech->id);
  op_outcome out;
  out.status = 204;
  out.changed = true;
  out.audit.push_back({"technician.delete", "technician/" + std::to_string(tech->id),
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
    return fail(400, "bad_field", "team_id: no such team among yours", "team_id");
  auto before = public_json(i->second);
  i->second.team_id = *team_id;
  op_outcome out;
  out.changed = true;
  out.body = public_json(i->second);
  out.audit.push_back({"technician.move", "technician/" + std::to_string(*id),
                       before, out.body});
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
      return fail(400, "bad_field", "portal_id: no such portal", "portal_id");
    auto on_portal = effective_on_portal(values, p->second.features);
    for (size_t f = 0; f < feature_count; ++f)
      if (values.flags[f] && !on_portal.flags[f])
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
    return fail(400, "bad_field", "text: must be a string", "text");
  if (text->get<std::string>().size() > 256 * 1024)
    return fail(413, "too_large", "text: at most 256 KiB", "text");
  std::istringstream in(text->get<std::string>());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  if (lines.size() > 1000)
    return fail(413, "too_large", "text: at most 1000 lines", "text");
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
      reject(n, "expected 8 fields: parent team, team, user id, first name, last "
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
    json person = {{"email", cols[2]},      {"first_name", cols[3]},
                   {"last_name", cols[4]},  {"password", cols[5]},
                   {"screen_name", cols[6]}, {"custom", cols[7]}};
    org_user u;
    u.r = role::technician;
    if (auto e = read_person(u, person, true, ctx)) {
      reject(n, e->message);
      continue;
    }
    if (emails_in_batch.count(u.email)
        || (ctx.login_taken && ctx.login_taken("technician", u.email))) {
      reject(n, "user id " + u.email + " is already taken");
      continue;
    }
    if (team_id == 0) {
      team t{a_.next_id++, cols[1], parent_id, {}};
      team_id = t.id;
      out.audit.push_back({"team.create", "team/" + std::to_string(t.id), nullptr,
                           public_json(t, 0)});
      a_.teams.emplace(t.id, std::move(t));
      scope.insert(team_id);
    }
    u.team_id = team_id;
    u.id = a_.next_id++;
    emails_in_batch.insert(u.email);
    out.index_ops.push_back({storage::table::logins,
                             login_key("technician", u.email),
                             a_.id + "/" + std::to_string(u.id),
                             storage::op_kind::insert});
    out.audit.push_back({"technician.create", "technician/" + std::to_string(u.id),
                         nullptr, public_json(u)});
    out.body["results"].push_back({{"line", n}, {"status", "added"}, {"id", u.id}});
    out.body["added"] = out.body["added"].get<int>() + 1;
    a_.users.emplace(u.id, std::move(u));
  }
  out.changed = out.body["added"].get<int>() > 0;
  return out;
}

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

namespace {

std::optional<op_error> read_manager_role(org_user& u, const org_user& caller,
                                          const json& args, bool creating,
                                          const std::set<uint64_t>& teams) {
  if (args.contains("role")) {
    auto r = args["role"].is_string()
               ? role_from_string(args["role"].get<std::string>())
               : std::nullopt;
    if (!r || *r == role::technician)
      return fail(400, "bad_field",
                  "role: must be company_manager, team_manager or api_manager",
                  "role");
    if (*r == role::company_manager && caller.r != role::company_manager)
      return fail(403, "forbidden",
                  "role: only company managers create company managers", "role");
    u.r = *r;
  } else if (creating) {
    return fail(400, "bad_field", "role: is required", "role");
  }
  if (args.contains("managed_team_ids")) {
    auto& ids = args["managed_team_ids"];
    if (!ids.is_array())
      return fail(400, "bad_field", "managed_team_ids: must be a list",
                  "managed_team_ids");
    u.managed_team_ids.clear();
    for (auto& id : ids) {
      if (!id.is_number_unsigned() || !teams.count(id.get<uint64_t>()))
        return fail(400, "bad_field", "managed_team_ids: no such team",
                    "managed_team_ids");
      u.managed_team_ids.push_back(id.get<uint64_t>());
    }
  }
  if (u.r != role::team_manager)
    u.managed_team_ids.clear();
  return std::nullopt;
}

} // namespace

op_result account_service::managers_create(const org_user& caller,
                                           const json& args,
                                           const op_context& ctx) {
  if (caller.r == role::team_manager)
    return fail(403, "forbidden", "team managers cannot create managers");
  org_user u;
  u.r = role::team_manager;
  if (auto e = read_person(u, args, true, ctx))
    return *e;
  if (auto e = read_manager_role(u, caller, args, true, scope_of(caller)))
    return *e;
  return add_user(std::move(u), ctx);
}

namespace {

size_t company_managers(const org_account& a) {
  return static_cast<size_t>(std::count_if(a.users.begin(), a.users.end(), [](auto& kv) {
    return kv.second.r == role::company_manager && !kv.second.deleted;
  }));
}

} // namespace

op_result account_service::managers_update(const org_user& caller,
                                           const json& args,
                                           const op_context& ctx) {
  if (caller.r == role::team_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r == role::technician || i->second.deleted)
    return not_found("manager");
  if (i->second.r == role::company_manager && caller.r != role::company_manager)
    return forbidden();
  auto before = public_json(i->second);
  auto u = i->second;
  if (auto e = read_person(u, args, false, ctx))
    return *e;
  if (auto e = read_manager_role(u, caller, args, false, scope_of(caller)))
    return *e;
  if (i->second.r == role::company_manager && u.r != role::company_manager
      && company_managers(a_) == 1)
    return fail(409, "last_company_manager",
                "the account needs at least one company manager", "role");
  op_outcome out;
  if (auto e = login_change(i->second, u, ctx, out))
    return *e;
  i->second = u;
  out.changed = true;
  out.body = public_json(u);
  out.audit.push_back({"manager.update", "manager/" + std::to_string(u.id), before,
                       out.body});
  return out;
}

op_result account_service::managers_delete(const org_user& caller,
                                           const json& args) {
  if (caller.r == role::team_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.users.find(*id) : a_.users.end();
  if (i == a_.users.end() || i->second.r == role::technician || i->second.deleted)
    return not_found("manager");
  if (i->second.r == role::company_manager) {
    if (caller.r != role::company_manager)
      return forbidden();
    if (company_managers(a_) == 1)
      return fail(409, "last_company_manager",
                  "the last company manager cannot be deleted");
  }
  op_outcome out;
  out.status = 204;
  out.changed = true;
  out.audit.push_back({"manager.delete", "manager/" + std::to_string(*id),
                       public_json(i->second), nullptr});
  out.index_ops.push_back({storage::table::logins,
                           login_key("manager", i->second.email), "",
                           storage::op_kind::erase});
  a_.users.erase(i);
  return out;
}

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
    return fail(403, "forbidden", "only company managers change portal settings");
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
    return fail(400, "bad_field", "name: is required", "name");
  OA_TRY(slug, text_field(args, "slug", 2, 40));
  if (slug) {
    if (!std::all_of(slug->begin(), slug->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        }))
      return fail(400, "bad_field", "slug: lower-case letters, digits and -",
                  "slug");
    p.slug = *slug;
  } else if (create) {
    return fail(400, "bad_field", "slug: is required", "slug");
  }
  for (auto& [id, other] : a_.portals)
    if (id != p.id && other.slug == p.slug)
      return fail(409, "duplicate_slug", "slug: another portal uses it", "slug");
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
    return fail(400, "bad_field", "mode: must be web, phone or queue", "mode");
  if (!allowed->second.count(p.type))
    return fail(400, "bad_field", "type: not a type of mode " + p.mode, "type");
  if (args.contains("skills_routing")) {
    if (!args["skills_routing"].is_boolean())
      return fail(400, "bad_field", "skills_routing: must be true or false",
                  "skills_routing");
    p.skills_routing = args["skills_routing"].get<bool>();
  }
  OA_TRY(tz, text_field(args, "time_zone", 1, 64));
  if (tz) {
    if (ctx_valid_tz_ && !ctx_valid_tz_(*tz))
      return fail(400, "bad_field", "time_zone: unknown time zone", "time_zone");
    p.time_zone = *tz;
  }
  if (args.contains("hours_id")) {
    OA_TRY(hours, id_field(args, "hours_id"));
    if (hours && *hours != 0 && !a_.hours_sets.count(*hours))
      return fail(400, "bad_field", "hours_id: no such business hours set", "hours_id");
    p.hours_id = hours.value_or(0);
  }
  OA_TRY(mail, text_field(args, "notification_email", 0, 254));
  if (mail) {
    if (!mail->empty() && !valid_email(lower(*mail)))
      return fail(400, "bad_field", "notification_email: must be an e-mail address",
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
      return fail(400, "bad_field", "texts: must be an object", "texts");
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
      return fail(400, "bad_field", "sub_portals: a list of at most 50",
                  "sub_portals");
    std::vector<sub_portal> out_subs;
    for (auto& s : subs) {
      if (!s.is_object())
        return fail(400, "bad_field", "sub_portals: each must be an object",
                    "sub_portals");
      sub_portal sp;
      OA_TRY(sid, id_field(s, "id"));
      sp.id = sid.value_or(0);
      OA_TRY(sname, text_field(s, "name", 1, 100));
      if (!sname)
        return fail(400, "bad_field", "sub_portals.name: is required",
                    "sub_portals");
      sp.name = *sname;
      for (auto& t : s.value("team_ids", json::array())) {
        if (!t.is_number_unsigned() || !a_.teams.count(t.get<uint64_t>()))
          return fail(400, "bad_field", "sub_portals.team_ids: no such team",
                      "sub_portals");
        sp.team_ids.push_back(t.get<uint64_t>());
      }
      out_subs.push_back(std::move(sp));
    }
    p.sub_portals = std::move(out_subs);
  }
  if (args.contains("fields")) {
    if (auto problem = fields_from_json(args["fields"], p.fields); !problem.empty())
      return fail(400, "bad_field", problem, problem.substr(0, problem.find(':')));
  }
  if (p.sub_portals.empty())
    p.sub_portals.push_back({0, "Default", {}});
  if (create)
    p.id = a_.next_id++;
  for (auto& s : p.sub_portals)
    if (s.id == 0)
      s.id = a_.next_id++;
  op_outcome out;
  out.status = create ? 201 : 200;
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
  out.status = 204;
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
  out.body = {{"open", st.open},
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
    return fail(403, "forbidden", "only company managers change business hours");
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
    return fail(400, "bad_field", problem, field);
  }
  if (create)
    h.id = a_.next_id++;
  op_outcome out;
  out.status = create ? 201 : 200;
  out.changed = true;
  out.body = public_json(h);
  out.audit.push_back({create ? "hours.create" : "hours.update",
                       "hours/" + std::to_string(h.id), before, out.body});
  a_.hours_sets[h.id] = std::move(h);
  return out;
}

op_result account_service::hours_delete(const org_user& caller, const json& args) {
  if (caller.r != role::company_manager)
    return forbidden();
  OA_TRY(id, id_field(args, "id"));
  auto i = id ? a_.hours_sets.find(*id) : a_.hours_sets.end();
  if (i == a_.hours_sets.end())
    return not_found("business hours set");
  for (auto& [pid, p] : a_.portals)
    if (p.hours_id == *id)
      return fail(409, "in_use", "portal '" + p.name + "' uses these hours");
  op_outcome out;
  out.status = 204;
  out.changed = true;
  out.audit.push_back({"hours.delete", "hours/" + std::to_string(*id),
                       public_json(i->second), nullptr});
  a_.hours_sets.erase(i);
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
    if (cur == args.end() || !cur->is_string()
        || !verify_password(caller.password_hash, cur->get<std::string>()))
      return fail(403, "wrong_password", "current_password: is not correct",
                  "current_password");
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
  out.audit.push_back({"settings.update", std::string{u.kind()} + "/"
                                             + std::to_string(u.id),
                       before, out.body});
  return out;
}

} // namespace openassist::actors
