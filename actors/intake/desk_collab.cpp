#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"

// desk_collab: colleagues in a session (spec 4, "Collaboration";
// docs/sessions.md). The session's technician invites up to seven colleagues,
// one by name or anyone on the portal (the first to accept joins), each
// hidden from the customer or not and with view-only or full rights. A
// colleague leaves when they like; the technician who leaves hands the
// session to the colleague present longest who is below their maximum of
// sessions, or back to the front of the queue.
namespace openassist::actors::desk {

json model::invite_view(const request& r, const invitation& inv) const {
  return {{"request_id", std::to_string(r.id)},
          {"invite_id", inv.id},
          {"from", technician_name(inv.by)},
          {"to", inv.to},
          {"anyone", inv.to == 0},
          {"hidden", inv.hidden},
          {"rights", inv.full ? "full" : "view"},
          {"customer_name", r.customer.value("name", "")},
          {"problem", r.customer.value("problem", "")},
          {"created_at", inv.created_ms}};
}

json model::invites_for(uint64_t tech) const {
  json out = json::array();
  for (auto& [id, r] : open_)
    for (auto& inv : r.invites)
      if (inv.sent_to.count(tech))
        out.push_back(invite_view(r, inv));
  return out;
}

void model::end_invites(request& r, const std::string& reason, effects& fx) {
  for (auto& inv : r.invites)
    for (auto t : inv.sent_to)
      fx.to_console.emplace_back(t, json{{"type", "invite.withdrawn"},
                                         {"request_id", std::to_string(r.id)},
                                         {"invite_id", inv.id},
                                         {"reason", reason}});
  r.invites.clear();
}

std::optional<std::variant<json, failure>>
model::collab_command(uint64_t tech, const console_command& cmd, int64_t now_ms,
                      effects& fx) {
  using op = console_op;
  if (cmd.op != op::request_invite && cmd.op != op::invite_accept &&
      cmd.op != op::invite_decline && cmd.op != op::request_leave)
    return std::nullopt;
  auto found = commanded(tech, cmd.request_id);
  if (auto* f = std::get_if<failure>(&found))
    return *f;
  auto& r = *std::get<request*>(found);
  auto rid = std::to_string(r.id);
  json ev = {{"request", r.id}, {"portal", r.portal_id}, {"technician", tech}};

  if (cmd.op == op::request_invite) {
    if (r.technician_id != tech || r.st != status::active)
      return failure{
        errc::bad_state, "not_yours",
        "only the session's technician invites, during the session", ""};
    auto rights = cmd.rights;
    if (rights.empty())
      rights = "view";
    if (rights != "view" && rights != "full")
      return bad("rights", "choice", "rights: view or full");
    bool hidden = cmd.hidden;
    bool anyone = cmd.anyone;
    auto to = cmd.technician_id;
    if (anyone == (to != 0))
      return bad("technician_id", "required",
                 "technician_id or anyone: choose one");
    if (r.collaborators.size() + r.invites.size() >= max_collaborators)
      return failure{errc::bad_state, "too_many",
                     "at most 7 colleagues per session", ""};
    auto* p = portal_by_id(r.portal_id);
    std::set<uint64_t> targets;
    if (to != 0) {
      if (!is_technician(to) || to == tech)
        return bad("technician_id", "unknown",
                   "technician_id: no such colleague");
      if (r.colleague(to) != nullptr)
        return failure{errc::bad_state, "already_in",
                       "this colleague is in the session already",
                       "technician_id"};
      for (auto& inv : r.invites)
        if (inv.to == to)
          return failure{errc::bad_state, "already_invited",
                         "this colleague is invited already", "technician_id"};
      targets.insert(to);
    } else {
      for (auto& [uid, u] : org_.users)
        if (uid != tech && r.colleague(uid) == nullptr && p != nullptr &&
            serves(*p, uid) && effective_status(uid) != "offline")
          targets.insert(uid);
      if (targets.empty())
        return failure{errc::bad_state, "nobody",
                       "no colleague of this portal is online", ""};
    }
    invitation inv{r.next_invite++,  to,     tech,   hidden,
                   rights == "full", now_ms, targets};
    r.invites.push_back(inv);
    for (auto t : targets)
      fx.to_console.emplace_back(
        t, json{{"type", "invite"}, {"invite", invite_view(r, inv)}});
    ev["to_technician"] = to;
    ev["invite"] = inv.id;
    ev["hidden"] = hidden;
    ev["rights"] = rights;
    fx.event("request.invited", ev);
    fx.requests.insert(r.id);
    return json{{"request_id", rid}, {"invite_id", inv.id}};
  }

  if (cmd.op == op::invite_accept || cmd.op == op::invite_decline) {
    auto invite_id = cmd.invite_id;
    auto inv = std::find_if(r.invites.begin(), r.invites.end(),
                            [&](const invitation& i) {
                              return i.id == invite_id && i.sent_to.count(tech);
                            });
    if (inv == r.invites.end())
      return failure{errc::not_found, "not_found", "no such invitation for you",
                     "invite_id"};
    if (cmd.op == op::invite_decline) {
      inv->sent_to.erase(tech);
      fx.to_console.emplace_back(tech, json{{"type", "invite.withdrawn"},
                                            {"request_id", rid},
                                            {"invite_id", invite_id},
                                            {"reason", "declined"}});
      ev["invite"] = invite_id;
      fx.event("request.invite_declined", ev);
      if (inv->sent_to.empty())
        r.invites.erase(inv);
      fx.requests.insert(r.id);
      return json{{"request_id", rid}};
    }
    if (r.st != status::active)
      return failure{errc::bad_state, "chat_not_open",
                     "the session is not running", ""};
    if (tech == r.technician_id || r.colleague(tech) != nullptr)
      return failure{errc::bad_state, "already_in",
                     "you are in this session already", ""};
    collaborator c{tech, now_ms, inv->hidden, inv->full};
    for (auto t : inv->sent_to)
      fx.to_console.emplace_back(
        t, json{{"type", "invite.withdrawn"},
                {"request_id", rid},
                {"invite_id", invite_id},
                {"reason", t == tech ? "accepted" : "taken"}});
    r.invites.erase(inv);
    r.collaborators.push_back(c);
    ev["hidden"] = c.hidden;
    ev["rights"] = c.full ? "full" : "view";
    fx.event("request.collaborator_joined", ev);
    fx.requests.insert(r.id);
    return json{{"request_id", rid}};
  }

  // request.leave
  if (auto* c = r.colleague(tech)) {
    ev["hidden"] = c->hidden;
    std::erase_if(r.collaborators, [&](const collaborator& x) {
      return x.technician_id == tech;
    });
    fx.event("request.collaborator_left", ev);
    fx.requests.insert(r.id);
    return json{{"request_id", rid}};
  }
  if (r.technician_id != tech || r.st != status::active)
    return failure{errc::bad_state, "not_yours", "you are not in this session",
                   ""};
  // The colleague present longest who has room takes over, with full rights
  // and seen; colleagues at their maximum stay colleagues.
  for (auto c = r.collaborators.begin(); c != r.collaborators.end(); ++c) {
    auto next = c->technician_id;
    if (!is_technician(next) || !assign(r, next, status::active, now_ms, fx))
      continue;
    r.collaborators.erase(c);
    ev["to_technician"] = next;
    fx.event("request.handed_over", ev);
    route_codes(tech, now_ms, fx);
    return json{{"request_id", rid}, {"technician_id", next}};
  }
  // Nobody to hand it to: back to the front of the queue.
  requeue_from(r, tech, "left", std::move(ev), now_ms, fx);
  return json{{"request_id", rid}};
}

} // namespace openassist::actors::desk
