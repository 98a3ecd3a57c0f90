// Account operations with arguments from outside (the REST API's JSON
// bodies): any input gives an answer or a clean error, and the organisation
// stays consistent (every technician in an existing team, no team its own
// ancestor).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "actors/org/account_service.hpp"
#include "actors/reports/report.hpp"
#include "gateways/cookie.hpp"

using namespace openassist::actors;

namespace {

org_account seeded() {
  org_account a;
  a.id = "fuzz";
  org_user boss;
  boss.id = a.next_id++;
  boss.r = role::company_manager;
  boss.email = "boss@fuzz.example";
  a.users.emplace(boss.id, boss);
  team eu{a.next_id++, "EU", 0, {}};
  team t2{a.next_id++, "Tier 2", eu.id, {}};
  a.teams.emplace(eu.id, eu);
  a.teams.emplace(t2.id, t2);
  org_user lead;
  lead.id = a.next_id++;
  lead.r = role::team_manager;
  lead.email = "lead@fuzz.example";
  lead.managed_team_ids = {eu.id};
  a.users.emplace(lead.id, lead);
  return a;
}

const char* const ops[] = {
  "teams.create",       "teams.update",       "teams.delete",
  "technicians.create", "technicians.update", "technicians.delete",
  "technicians.move",   "technicians.bulk",   "technicians.features",
  "managers.create",    "managers.update",    "managers.delete",
  "portals.create",     "portals.update",     "portals.delete",
  "portals.open_state", "hours.create",       "hours.update",
  "hours.delete",       "me.settings",        "password.reset",
  "teams.list",         "technicians.list",   "monitors.create",
  "monitors.update",    "monitors.restart",   "monitors.delete",
  "monitors.list",      "reports.create",     "reports.update",
  "reports.delete",     "reports.list"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2)
    return 0;
  static org_account state = seeded();
  if (state.users.size() > 200 || state.teams.size() > 200)
    state = seeded();
  auto op = ops[data[0] % (sizeof(ops) / sizeof(ops[0]))];
  uint64_t caller = 1 + data[1] % 4;
  std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  (void)openassist::gateways::cookie_value(text, "oa_session");
  auto args = json::parse(text, nullptr, false);
  if (args.is_discarded())
    return 0;
  op_context ctx;
  ctx.caller_id = caller;
  ctx.now_unix = 1'800'000'000;
  for (auto& p : account_service::passwords_in(op, args))
    ctx.hashes[p] = "$argon2id$fuzz";
  account_service svc{state};
  auto res = svc.apply(op, args, ctx);
  if (auto* e = std::get_if<op_error>(&res))
    if (e->code.empty() || e->message.empty())
      __builtin_trap();
  // Monitors: bounded, each of a known kind and named.
  if (state.monitors.size() > max_monitors)
    __builtin_trap();
  for (auto& [id, m] : state.monitors)
    if (!monitor_kind(m.kind) || m.name.empty() || m.name.size() > 400)
      __builtin_trap();
  // Saved reports: at most max_saved_reports per manager, each named, of a
  // known kind and period, with both days for fixed days.
  std::map<uint64_t, size_t> per_owner;
  for (auto& [id, r] : state.saved_reports) {
    if (++per_owner[r.owner] > max_saved_reports || r.name.empty() ||
        !openassist::actors::reports::report_kind_from(r.kind) ||
        !report_period(r.period) ||
        (r.period == "days") !=
          (r.from_day.size() == 10 && r.to_day.size() == 10) ||
        r.to_day < r.from_day)
      __builtin_trap();
  }
  for (auto& [id, u] : state.users)
    if (u.r == role::technician && !u.deleted && u.team_id != 0 &&
        !state.teams.count(u.team_id))
      __builtin_trap();
  for (auto& [id, t] : state.teams) {
    auto p = t.parent_id;
    for (int depth = 0; p != 0; ++depth) {
      if (depth > 300 || p == id)
        __builtin_trap(); // a cycle in the team tree
      auto i = state.teams.find(p);
      if (i == state.teams.end())
        __builtin_trap(); // a dangling parent
      p = i->second.parent_id;
    }
  }
  // The storage form reads back to itself.
  auto stored = to_storage_json(state);
  auto back = from_storage_json(stored);
  if (!back || to_storage_json(*back) != stored)
    __builtin_trap();
  return 0;
}
