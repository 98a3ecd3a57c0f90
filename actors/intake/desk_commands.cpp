// desk model: the console's commands (status, accept, join, transfer,
// close...).

#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"

#include <algorithm>

#include "actors/intake/business_hours.hpp"
#include "actors/intake/routing.hpp"
#include "actors/org/features.hpp"

namespace openassist::actors::desk {

std::variant<json, failure> model::command(uint64_t tech,
                                           const console_command& cmd,
                                           int64_t now_ms, effects& fx) {
  using op = console_op;
  if (cmd.op == op::status_set) {
    if (!presence_model::valid_status(cmd.status))
      return failure{errc::bad_field, "bad_field",
                     "status: available, busy, away or offline", "status"};
    auto& pr = presence_[tech];
    auto before = effective_status(tech);
    pr.choose(cmd.status);
    fx.desk = true;
    fx.me.insert(tech);
    if (before != effective_status(tech)) {
      fx.roster = true;
      fx.event("presence.changed",
               {{"technician", tech}, {"status", pr.chosen()}});
    }
    if (pr.chosen() == "offline") {
      technician_gone(tech, now_ms, fx);
    } else if (pr.chosen() != "available") {
      // Away or busy: open alerts go to colleagues (also a SmartMatch
      // request that chose them).
      std::vector<uint64_t> chosen;
      for (auto& [id, r] : open_) {
        if (r.alerted.erase(tech)) {
          fx.withdrawn.push_back({tech, id, "declined"});
          fx.requests.insert(id);
        }
        if (r.st == status::waiting && r.pinned_id == tech && !r.by_code)
          chosen.push_back(id);
      }
      for (auto id : chosen)
        widen(open_.at(id), now_ms, fx);
    } else {
      route_technician(tech, now_ms, fx);
    }
    return json{{"status", pr.chosen()}};
  }
  if (cmd.op == op::code_create) {
    auto pid = cmd.portal_id;
    auto* p = portal_by_id(pid);
    if (p == nullptr || p->type != "smartpin" || !serves(*p, tech))
      return failure{errc::bad_field, "bad_field",
                     "portal_id: one of your phone-mode portals", "portal_id"};
    size_t mine = 0;
    for (auto& [d, c] : codes_)
      mine += c.technician_id == tech;
    if (mine >= 20)
      return failure{errc::bad_state, "too_many_codes",
                     "at most 20 open codes; revoke one first", ""};
    std::string digits;
    do
      digits = new_connection_code();
    while (codes_.count(digits));
    code c{digits, tech, pid, now_ms + int64_t{p->code_ttl_min} * 60000};
    codes_.emplace(digits, c);
    fx.desk = true;
    fx.codes.insert(tech);
    fx.event(
      "code.created",
      {{"technician", tech}, {"portal", pid}, {"expires_at", c.expires_ms}});
    return json{{"code", digits}, {"expires_at", c.expires_ms}};
  }
  if (cmd.op == op::code_revoke) {
    auto c = codes_.find(cmd.code);
    if (c == codes_.end() || c->second.technician_id != tech)
      return failure{errc::not_found, "not_found", "no such code of yours",
                     "code"};
    codes_.erase(c);
    fx.desk = true;
    fx.codes.insert(tech);
    fx.event("code.revoked", {{"technician", tech}});
    return json::object();
  }
  if (cmd.op == op::chat_authorize) {
    // Reading a request's chat: whoever sees the request in their console.
    auto* r = find(cmd.request_id);
    if (r == nullptr || !visible_to(*r, tech))
      return failure{errc::not_found, "not_found", "no such request for you",
                     "request_id"};
    return json{{"request_id", std::to_string(r->id)}};
  }
  if (auto r = request_command(tech, cmd, now_ms, fx))
    return std::move(*r);
  if (auto r = collab_command(tech, cmd, now_ms, fx))
    return std::move(*r);
  return failure{errc::bad_field, "unknown_type",
                 "unknown message type '" + std::string{name_of(cmd.op)} + "'",
                 ""};
}

void model::requeue_from(request& r, uint64_t tech, const char* reason, json ev,
                         int64_t now_ms, effects& fx) {
  r.declined.insert(tech);
  r.joined_ms = 0;
  to_waiting(r, true, now_ms, fx); // its colleagues and invitations end
  r.alert_deadline_ms = 0;
  ev["reason"] = reason;
  fx.event("request.unassigned", ev);
  route_portal(r.portal_id, now_ms, fx);
  route_codes(tech, now_ms, fx);
}

std::variant<request*, failure> model::commanded(uint64_t tech,
                                                 uint64_t request_id) {
  auto it = open_.find(request_id);
  if (it == open_.end() || !visible_to(it->second, tech))
    return failure{errc::not_found, "not_found", "no such open request",
                   "request_id"};
  return &it->second;
}

std::optional<std::variant<json, failure>>
model::request_command(uint64_t tech, const console_command& cmd,
                       int64_t now_ms, effects& fx) {
  using op = console_op;
  static const std::set<op> kinds{op::request_accept,    op::request_decline,
                                  op::request_assign_me, op::request_unassign,
                                  op::request_join,      op::request_transfer,
                                  op::request_close};
  if (!kinds.count(cmd.op))
    return std::nullopt;
  auto found = commanded(tech, cmd.request_id);
  if (auto* f = std::get_if<failure>(&found))
    return *f;
  auto& r = *std::get<request*>(found);
  auto id = r.id;
  auto* p = portal_by_id(r.portal_id);
  json ev = {{"request", r.id}, {"portal", r.portal_id}, {"technician", tech}};
  if (cmd.op == op::request_accept || cmd.op == op::request_assign_me) {
    if (r.st != status::waiting)
      return failure{errc::bad_state, "taken",
                     r.technician_id == tech ? "you have it already"
                                             : "a colleague has taken it",
                     ""};
    if (cmd.op == op::request_accept && !r.alerted.count(tech))
      return failure{errc::bad_state, "no_alert",
                     "this request is not alerted to you", ""};
    if (p == nullptr || !eligible(r, *p, tech))
      return failure{errc::forbidden, "forbidden",
                     "this request is not for you", ""};
    if (!assign(r, tech, status::assigned, now_ms, fx))
      return failure{errc::bad_state, "at_capacity",
                     "you are at your maximum of sessions", ""};
    withdraw_alerts(r, tech, "taken", fx);
    ev["by"] = "technician";
    fx.event(cmd.op == op::request_accept ? "request.accepted"
                                          : "request.assigned",
             ev);
    return json{{"request_id", std::to_string(r.id)}};
  }
  if (cmd.op == op::request_decline) {
    if (!r.alerted.erase(tech))
      return failure{errc::bad_state, "no_alert",
                     "this request is not alerted to you", ""};
    r.declined.insert(tech);
    r.decliners.insert(tech);
    fx.withdrawn.push_back({tech, r.id, "declined"});
    fx.requests.insert(r.id);
    fx.event("request.declined", ev);
    // SmartMatch: the chosen technician said no; the portal's others are
    // asked at once.
    if (r.pinned_id == tech && !r.by_code)
      widen(r, now_ms, fx);
    return json{{"request_id", std::to_string(r.id)}};
  }
  bool mine = r.technician_id == tech && r.st != status::waiting;
  if (!mine)
    return failure{errc::bad_state, "not_yours",
                   "this request is not assigned to you", ""};
  if (cmd.op == op::request_join) {
    if (r.st == status::active)
      return json{{"request_id", std::to_string(r.id)}};
    set_status(r, status::active, now_ms, fx);
    r.joined_ms = now_ms;
    if (!r.session)
      r.answered_ms = now_ms;
    r.session = true;
    fx.event("request.joined", ev);
    return json{{"request_id", std::to_string(r.id)}};
  }
  if (cmd.op == op::request_close) {
    auto resolution = cmd.resolution;
    if (resolution.empty())
      resolution = "unknown";
    if (resolution != "resolved" && resolution != "unresolved" &&
        resolution != "unknown")
      return bad("resolution", "choice",
                 "resolution: resolved, unresolved or unknown");
    const auto& notes = cmd.notes;
    if (chars(notes) > 4000)
      return bad("notes", "length", "notes: at most 4000 characters");
    r.resolution = resolution;
    r.notes = notes;
    auto pid = r.portal_id;
    finish(r, status::closed, "closed", now_ms, fx);
    route_portal(pid, now_ms, fx);
    return json{{"request_id", std::to_string(id)}};
  }
  if (cmd.op == op::request_unassign) {
    requeue_from(r, tech, "technician", std::move(ev), now_ms, fx);
    return json{{"request_id", std::to_string(id)}};
  }
  // request.transfer
  const auto& note = cmd.note;
  if (chars(note) > 2000)
    return failure{errc::bad_field, "bad_field",
                   "note: at most 2000 characters", "note"};
  auto to_tech = cmd.technician_id;
  auto to_team = cmd.team_id;
  if ((to_tech == 0) == (to_team == 0))
    return failure{errc::bad_field, "bad_field",
                   "technician_id or team_id: choose one", "technician_id"};
  if (to_tech != 0 && (!is_technician(to_tech) || to_tech == tech))
    return failure{errc::bad_field, "bad_field",
                   "technician_id: no such colleague", "technician_id"};
  if (to_team != 0 && !org_.teams.count(to_team))
    return failure{errc::bad_field, "bad_field", "team_id: no such team",
                   "team_id"};
  if (to_tech != 0 && !assign(r, to_tech, status::assigned, now_ms, fx))
    return failure{errc::bad_state, "at_capacity",
                   "this colleague is at their maximum of sessions",
                   "technician_id"};
  r.note = note;
  r.joined_ms = 0;
  r.declined.clear();
  ++r.transfers;
  ev["to_technician"] = to_tech;
  ev["to_team"] = to_team;
  ev["note"] = note;
  fx.event("request.transferred", ev);
  if (to_tech != 0) {
    // Assigned above, where the capacity is checked.
    std::erase_if(r.collaborators, [&](const collaborator& c) {
      return c.technician_id == to_tech;
    });
    r.team_id = 0;
  } else {
    r.team_id = to_team;
    r.alert_deadline_ms = 0;
    to_waiting(r, true, now_ms, fx);
    route_portal(r.portal_id, now_ms, fx);
  }
  route_codes(tech, now_ms, fx);
  return json{{"request_id", std::to_string(id)}};
}

} // namespace openassist::actors::desk
