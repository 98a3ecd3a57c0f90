#include "actors/org/account_rules.hpp"

#include <algorithm>

#include "actors/identity/credentials.hpp"

namespace openassist::actors::rules {

// The rule a message states; messages are written "<field>: <rule text>".
std::string rule_of(const std::string& code, const std::string& message) {
  if (code == "duplicate_user" || code == "duplicate_team" ||
      code == "duplicate_slug")
    return "taken";
  if (code != "bad_field" && code != "cycle")
    return {};
  auto has = [&](const char* s) {
    return message.find(s) != std::string::npos;
  };
  if (has("is required") || has("must not be empty"))
    return "required";
  if (has("used twice") || has("duplicate"))
    return "taken";
  if (has("e-mail address"))
    return "email";
  if (has("no such") || has("unknown"))
    return "unknown";
  if (has("must be a string") || has("must be an id") ||
      has("must be an object") || has("must be a list") ||
      has("must be true") || has("must be an integer"))
    return "type";
  if (has("must be one of") || has("must be web") || has("not a type of") ||
      has("must be en or de") || has("must be company_manager"))
    return "choice";
  if (has(" to ") && has("characters"))
    return "length";
  if (has("must be 1 to") || has("at most") || has("at least"))
    return "range";
  return "format";
}

op_error fail(errc kind, std::string code, std::string message,
              std::string field) {
  auto rule = rule_of(code, message);
  return op_error{kind,
                  std::move(code),
                  std::move(message),
                  std::move(field),
                  std::move(rule),
                  -1,
                  -1};
}

op_error fail_length(const std::string& field, size_t min, size_t max) {
  auto e = fail(errc::bad_field, "bad_field",
                field + ": must be " + std::to_string(min) + " to " +
                  std::to_string(max) + " characters",
                field);
  e.rule = "length";
  e.min = static_cast<int>(min);
  e.max = static_cast<int>(max);
  return e;
}

op_error forbidden() {
  return fail(errc::forbidden, "forbidden", "your role does not allow this");
}

op_error not_found(const std::string& what) {
  return fail(errc::not_found, "not_found", "no such " + what);
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
    return fail(errc::bad_field, "bad_field",
                std::string{name} + ": must be a string", name);
  auto v = trim(i->get<std::string>());
  if (v.size() < min || v.size() > max)
    return fail_length(name, min, max);
  if (!printable(v))
    return fail(errc::bad_field, "bad_field",
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
    if (!s.empty() && s.size() < 19 &&
        std::all_of(s.begin(), s.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
      return std::optional<uint64_t>{std::stoull(s)};
  } else if (i->is_number_unsigned()) {
    return std::optional<uint64_t>{i->get<uint64_t>()};
  }
  return fail(errc::bad_field, "bad_field",
              std::string{name} + ": must be an id", name);
}

// Features as an API document: known keys with true/false/null (null removes
// the override), max_sessions 1..50 or null.
std::variant<feature_overrides, op_error>
merge_overrides(const feature_overrides& current, const json& j) {
  if (!j.is_object())
    return fail(errc::bad_field, "bad_field", "features: must be an object",
                "features");
  auto out = current;
  for (auto& [k, v] : j.items()) {
    if (k == "max_sessions") {
      if (v.is_null()) {
        out.max_sessions.reset();
      } else if (v.is_number_integer() && v.get<int64_t>() >= 1 &&
                 v.get<int64_t>() <= max_sessions_limit) {
        out.max_sessions = v.get<int>();
      } else {
        return fail(errc::bad_field, "bad_field",
                    "features.max_sessions: must be 1 to " +
                      std::to_string(max_sessions_limit),
                    "features.max_sessions");
      }
      continue;
    }
    auto f = feature_from_name(k);
    if (!f)
      return fail(errc::bad_field, "bad_field",
                  "features." + k + ": unknown feature", "features." + k);
    if (v.is_null())
      out.flags.erase(*f);
    else if (v.is_boolean())
      out.flags[*f] = v.get<bool>();
    else
      return fail(errc::bad_field, "bad_field",
                  "features." + k + ": must be true, false or null",
                  "features." + k);
  }
  return out;
}

std::variant<std::vector<skill>, op_error> read_skills(const json& j) {
  if (!j.is_array() || j.size() > 20)
    return fail(errc::bad_field, "bad_field",
                "skills: must be a list of at most 20", "skills");
  std::vector<skill> out;
  for (auto& s : j) {
    if (!s.is_object() || !s.contains("name") || !s["name"].is_string())
      return fail(errc::bad_field, "bad_field", "skills: each needs a name",
                  "skills");
    auto name = trim(s["name"].get<std::string>());
    int rank = s.value("rank", 1);
    if (name.empty() || name.size() > 50 || !printable(name))
      return fail(errc::bad_field, "bad_field",
                  "skills.name: 1 to 50 characters", "skills");
    if (rank < 1 || rank > 10)
      return fail(errc::bad_field, "bad_field", "skills.rank: must be 1 to 10",
                  "skills");
    out.push_back({name, rank});
  }
  return out;
}

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
      return fail(errc::bad_field, "bad_field",
                  std::string{name} + ": is required", name);
    return std::nullopt;
  };
  if (auto e = rd("email", 3, 254, u.email, true))
    return e;
  u.email = lower(u.email);
  if (!valid_email(u.email))
    return fail(errc::bad_field, "bad_field",
                "email: must be an e-mail address", "email");
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
      return fail(errc::bad_field, "bad_field", "language: must be en or de",
                  "language");
    u.language = lang;
  }
  if (args.contains("time_zone")) {
    std::string tz;
    if (auto e = rd("time_zone", 1, 64, tz, false))
      return e;
    if (ctx.valid_time_zone && !ctx.valid_time_zone(tz))
      return fail(errc::bad_field, "bad_field", "time_zone: unknown time zone",
                  "time_zone");
    u.time_zone = tz;
  }
  auto pw = args.find("password");
  if (pw != args.end() && !pw->is_null()) {
    if (!pw->is_string())
      return fail(errc::bad_field, "bad_field", "password: must be a string",
                  "password");
    if (auto rule = check_password_rules(pw->get<std::string>()); !rule.empty())
      return fail_length("password", min_password_length, max_password_length);
    auto h = ctx.hashes.find(pw->get<std::string>());
    if (h == ctx.hashes.end())
      return fail(errc::damaged, "internal", "password was not hashed");
    u.password_hash = h->second;
  } else if (creating) {
    return fail(errc::bad_field, "bad_field", "password: is required",
                "password");
  }
  return std::nullopt;
}

std::optional<op_error> read_manager_role(org_user& u, const org_user& caller,
                                          const json& args, bool creating,
                                          const std::set<uint64_t>& teams) {
  if (args.contains("role")) {
    auto r = args["role"].is_string()
               ? role_from_string(args["role"].get<std::string>())
               : std::nullopt;
    if (!r || *r == role::technician)
      return fail(errc::bad_field, "bad_field",
                  "role: must be company_manager, team_manager or api_manager",
                  "role");
    if (*r == role::company_manager && caller.r != role::company_manager)
      return fail(errc::forbidden, "forbidden",
                  "role: only company managers create company managers",
                  "role");
    u.r = *r;
  } else if (creating) {
    return fail(errc::bad_field, "bad_field", "role: is required", "role");
  }
  if (args.contains("managed_team_ids")) {
    auto& ids = args["managed_team_ids"];
    if (!ids.is_array())
      return fail(errc::bad_field, "bad_field",
                  "managed_team_ids: must be a list", "managed_team_ids");
    u.managed_team_ids.clear();
    for (auto& id : ids) {
      if (!id.is_number_unsigned() || !teams.count(id.get<uint64_t>()))
        return fail(errc::bad_field, "bad_field",
                    "managed_team_ids: no such team", "managed_team_ids");
      u.managed_team_ids.push_back(id.get<uint64_t>());
    }
  }
  if (u.r != role::team_manager)
    u.managed_team_ids.clear();
  return std::nullopt;
}

size_t company_managers(const org_account& a) {
  return static_cast<size_t>(
    std::count_if(a.users.begin(), a.users.end(), [](auto& kv) {
      return kv.second.r == role::company_manager && !kv.second.deleted;
    }));
}

} // namespace openassist::actors::rules
