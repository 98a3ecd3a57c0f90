// The account's audit log as people read it (docs/api.md, GET /audit):
// names for actors and targets, what a change touched, and filters by
// person, kind and local days.

#include "actors/org/account_audit.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "actors/intake/business_hours.hpp"
#include "actors/json_fields.hpp"

namespace openassist::actors {

namespace {

using json = nlohmann::json;

/// The most audit entries one filtered page reads before it answers with
/// what it found and where to go on (next_before).
constexpr size_t audit_scan_budget = 10000;

op_error failure(errc kind, std::string code, std::string message) {
  op_error e;
  e.kind = kind;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

op_error bad_field(std::string message, std::string field, std::string rule,
                   int min = -1, int max = -1) {
  auto e = failure(errc::bad_field, "bad_field", std::move(message));
  e.field = std::move(field);
  e.rule = std::move(rule);
  e.min = min;
  e.max = max;
  return e;
}

// The kinds of change (the action's first part) the log can be filtered by.
constexpr std::array<std::string_view, 10> audit_kinds = {
  "account", "manager",  "technician", "team",    "portal",
  "hours",   "password", "settings",   "monitor", "report"};

std::string full_name(const org_user& u) {
  auto name = u.first_name;
  if (!u.last_name.empty())
    name += (name.empty() ? "" : " ") + u.last_name;
  return name.empty() ? u.email : name;
}

// A person's name from a stored snapshot (before/after of a change).
std::string name_in(const json& snapshot) {
  if (!snapshot.is_object())
    return {};
  auto first = value_or<std::string>(snapshot, "first_name", "");
  auto last = value_or<std::string>(snapshot, "last_name", "");
  auto name = first + (first.empty() || last.empty() ? "" : " ") + last;
  if (!name.empty())
    return name;
  name = value_or<std::string>(snapshot, "name", "");
  return name.empty() ? value_or<std::string>(snapshot, "email", "") : name;
}

// What a person reads for the target of a change: the thing's current name,
// else its name when it was changed (deleted things).
std::string target_name(const account_state& st, const json& entry) {
  auto target = value_or<std::string>(entry, "target", "");
  auto slash = target.find('/');
  auto kind = target.substr(0, slash);
  uint64_t id = 0;
  if (slash != std::string::npos) {
    auto digits = target.substr(slash + 1);
    if (!digits.empty() && digits.size() < 19 &&
        digits.find_first_not_of("0123456789") == std::string::npos)
      id = std::stoull(digits);
  }
  auto& org = st.org;
  if (kind == "account")
    return org.name;
  if (kind == "technician" || kind == "manager") {
    if (auto u = org.users.find(id); u != org.users.end())
      return full_name(u->second);
  } else if (kind == "team") {
    if (auto t = org.teams.find(id); t != org.teams.end())
      return t->second.name;
  } else if (kind == "portal") {
    if (auto p = org.portals.find(id); p != org.portals.end())
      return p->second.name;
  } else if (kind == "hours") {
    if (auto h = org.hours_sets.find(id); h != org.hours_sets.end())
      return h->second.hours.name;
  } else if (kind == "monitor") {
    if (auto m = org.monitors.find(id); m != org.monitors.end())
      return m->second.name;
  } else if (kind == "report") {
    if (auto r = org.saved_reports.find(id); r != org.saved_reports.end())
      return r->second.name;
  }
  auto name = name_in(entry.value("after", json{}));
  return name.empty() ? name_in(entry.value("before", json{})) : name;
}

// The settings a change touched: the top-level fields whose value differs,
// and inside features and texts the ones that differ ("features.recording").
json changed_fields(const json& before, const json& after) {
  json out = json::array();
  if (!before.is_object() || !after.is_object())
    return out;
  std::set<std::string> keys;
  for (auto& [k, v] : before.items())
    keys.insert(k);
  for (auto& [k, v] : after.items())
    keys.insert(k);
  auto at = [](const json& j, const std::string& k) {
    auto i = j.find(k);
    return i == j.end() ? json{} : *i;
  };
  for (auto& k : keys) {
    auto b = at(before, k), a = at(after, k);
    if (b == a || k == "id" || k == "technician_count")
      continue;
    if ((k == "features" || k == "texts") && (b.is_object() || b.is_null()) &&
        (a.is_object() || a.is_null())) {
      const json inner_b = b.is_object() ? b : json::object();
      const json inner_a = a.is_object() ? a : json::object();
      std::set<std::string> inner;
      for (auto& [ik, iv] : inner_b.items())
        inner.insert(ik);
      for (auto& [ik, iv] : inner_a.items())
        inner.insert(ik);
      for (auto& ik : inner)
        if (at(inner_b, ik) != at(inner_a, ik))
          out.push_back(k + "." + ik);
      continue;
    }
    out.push_back(k);
  }
  return out;
}

bool all_digits(const std::string& s, size_t max) {
  return !s.empty() && s.size() <= max &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

// Reads the account's audit log, newest first, optionally only the changes
// of one person (`actor`, a user id), of one kind (`kind`, the action's first
// part) and within local calendar days `from`..`to` (YYYY-MM-DD, inclusive,
// in the caller's time zone). A page holds at most `limit` entries below
// `before`; `next_before` continues it (null: nothing older). With filters a
// page may hold fewer entries than `limit` and still go on: one request reads
// at most audit_scan_budget entries.
} // namespace

std::variant<json, op_error>
audit_list(const account_state& st, const org_user& caller, const json& args) {
  if (caller.r != role::company_manager)
    return failure(errc::forbidden, "forbidden",
                   "only company managers read the audit log");
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto i = args.find(key);
    if (i == args.end() || !i->is_string())
      return std::nullopt;
    return i->get<std::string>();
  };
  size_t limit = 100;
  if (auto s = text("limit")) {
    if (!all_digits(*s, 4))
      return bad_field("limit: must be 1 to 1000", "limit", "range", 1, 1000);
    limit = std::clamp<size_t>(std::stoul(*s), 1, 1000);
  }
  uint64_t newest = st.org.next_audit;
  if (auto s = text("before")) {
    if (!all_digits(*s, 18))
      return bad_field("before: must be a sequence number", "before", "format");
    newest = std::min<uint64_t>(newest, std::stoull(*s));
  }
  std::optional<uint64_t> actor;
  if (auto s = text("actor")) {
    if (!all_digits(*s, 18))
      return bad_field("actor: must be a user id", "actor", "format");
    actor = std::stoull(*s);
  }
  std::optional<std::string> kind;
  if (auto s = text("kind")) {
    if (std::find(audit_kinds.begin(), audit_kinds.end(), *s) ==
        audit_kinds.end())
      return bad_field("kind: must be one of account, manager, technician, "
                       "team, portal, hours, password, settings",
                       "kind", "choice");
    kind = *s;
  }
  // Days in the caller's time zone (UTC if theirs is unknown); `to`
  // includes its whole day: it ends where the next local day begins.
  std::optional<int64_t> from_ms, to_ms;
  for (auto [key, out, days] :
       {std::tuple{"from", &from_ms, 0}, std::tuple{"to", &to_ms, 1}}) {
    auto s = text(key);
    if (!s)
      continue;
    auto start = local_day_start_unix(*s, caller.time_zone, days);
    if (!start)
      start = local_day_start_unix(*s, "UTC", days);
    if (!start)
      return bad_field(std::string{key} + ": must be a date YYYY-MM-DD", key,
                       "format");
    *out = *start * 1000;
  }
  if (from_ms && to_ms && *to_ms <= *from_ms)
    return bad_field("to: must not be before from", "to", "range");
  bool filtered = actor || kind || from_ms || to_ms;
  auto prefix = audit_key(st.cfg.id, 0).substr(0, st.cfg.id.size() + 1);
  json entries = json::array();
  size_t budget = filtered ? audit_scan_budget : limit;
  uint64_t low = newest; // every entry from `low` up to `newest` was read
  bool done = newest <= 1;
  while (!done && entries.size() < limit && budget > 0) {
    size_t chunk = std::min<size_t>(
      {budget, filtered ? size_t{256} : limit, static_cast<size_t>(low - 1)});
    uint64_t first = low - chunk;
    std::vector<json> page;
    auto err = st.cfg.env->scan(
      storage::table::audit, audit_key(st.cfg.id, first), chunk,
      [&](std::string_view k, std::string_view v) {
        if (k.substr(0, prefix.size()) != prefix || page.size() >= chunk)
          return false;
        auto doc = json::parse(v, nullptr, false);
        page.push_back(doc.is_discarded() ? json{} : std::move(doc));
        return true;
      });
    if (err)
      return failure(errc::storage_unavailable, "storage_unavailable",
                     "cannot read the audit log");
    budget -= chunk;
    bool stopped = false;
    // Newest first; a full page leaves the rest for the next one.
    for (auto i = page.rbegin(); i != page.rend() && !stopped; ++i) {
      auto& e = *i;
      if (!e.is_object())
        continue;
      if (entries.size() >= limit) {
        stopped = true;
        break;
      }
      low = std::min(low, value_or<uint64_t>(e, "seq", low));
      auto time = value_or<int64_t>(e, "time", 0);
      if (from_ms && time < *from_ms) {
        // Entries are written in time order: nothing older can match.
        stopped = done = true;
        break;
      }
      auto action = value_or<std::string>(e, "action", "");
      if ((to_ms && time >= *to_ms) ||
          (actor && value_or<uint64_t>(e, "actor_id", 0) != *actor) ||
          (kind && action.substr(0, action.find('.')) != *kind))
        continue;
      e["actor_name"] = value_or<std::string>(e, "actor", "");
      if (auto u = st.org.users.find(value_or<uint64_t>(e, "actor_id", 0));
          u != st.org.users.end())
        e["actor_name"] = full_name(u->second);
      e["target_name"] = target_name(st, e);
      e["changes"] =
        changed_fields(e.value("before", json{}), e.value("after", json{}));
      entries.push_back(std::move(e));
    }
    if (!stopped)
      low = first;
    done = done || low <= 1;
  }
  json next = nullptr;
  if (!done)
    next = low;
  return json{{"entries", entries}, {"next_before", next}};
}

} // namespace openassist::actors
