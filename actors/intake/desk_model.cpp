#include "actors/intake/desk_model.hpp"
#include "actors/intake/desk_input.hpp"

#include <algorithm>

#include "actors/intake/business_hours.hpp"
#include "actors/intake/routing.hpp"
#include "actors/org/features.hpp"

// desk_model: the rules that move requests (alerts, queue, presence,
// routing). Customers' intake is in desk_intake.cpp, the console's commands
// in desk_commands.cpp, ratings, summaries and timers in desk_ending.cpp,
// views and the storage form in desk_views.cpp.
namespace openassist::actors::desk {

const char* to_string(status s) {
  switch (s) {
    case status::waiting:
      return "waiting";
    case status::assigned:
      return "assigned";
    case status::active:
      return "active";
    case status::closed:
      return "closed";
    case status::abandoned:
      return "abandoned";
  }
  return "waiting";
}

std::optional<status> status_from_string(const std::string& s) {
  for (auto x : {status::waiting, status::assigned, status::active,
                 status::closed, status::abandoned})
    if (s == to_string(x))
      return x;
  return std::nullopt;
}

model::model(settings s)
  : cfg_(s), guesses_(s.code_guesses, s.code_guess_window_s) {}

// -- organisation
// --------------------------------------------------------------

void model::set_org(org_account org, uint64_t revision) {
  org_ = std::move(org);
  org_revision_ = revision;
  slugs_.clear();
  portal_teams_.clear();
  for (auto& [id, p] : org_.portals) {
    slugs_[p.slug] = id;
    std::set<uint64_t> teams;
    for (auto& sp : p.sub_portals)
      teams.insert(sp.team_ids.begin(), sp.team_ids.end());
    // Sub-teams of a portal's team serve it too.
    portal_teams_[id] = with_sub_teams(org_, std::move(teams));
  }
}

void model::org_changed(int64_t now_ms, effects& fx) {
  fx.roster = true;
  for (auto& [tech, pr] : presence_)
    if (pr.online())
      fx.me.insert(tech);
  for (auto& [pid, p] : org_.portals)
    if (p.mode == "queue")
      route_portal(pid, now_ms, fx);
}

const portal* model::portal_by_slug(const std::string& slug) const {
  auto i = slugs_.find(slug);
  return i == slugs_.end() ? nullptr : portal_by_id(i->second);
}

const portal* model::portal_by_id(uint64_t id) const {
  auto i = org_.portals.find(id);
  return i == org_.portals.end() ? nullptr : &i->second;
}

bool model::is_technician(uint64_t user) const {
  auto i = org_.users.find(user);
  return i != org_.users.end() && !i->second.deleted &&
         i->second.r == role::technician;
}

bool model::serves(const portal& p, uint64_t tech) const {
  auto u = org_.users.find(tech);
  if (u == org_.users.end() || u->second.deleted ||
      u->second.r != role::technician)
    return false;
  auto t = portal_teams_.find(p.id);
  return t != portal_teams_.end() && t->second.count(u->second.team_id) > 0;
}

std::string model::technician_name(uint64_t tech) const {
  auto u = org_.users.find(tech);
  if (u == org_.users.end())
    return {};
  auto& x = u->second;
  if (!x.first_name.empty() || !x.last_name.empty())
    return x.first_name + (x.last_name.empty() ? "" : " " + x.last_name);
  return x.screen_name;
}

feature_values model::technician_features(uint64_t tech) const {
  auto u = org_.users.find(tech);
  if (u == org_.users.end())
    return feature_values{};
  return user_features(org_, u->second);
}

int model::max_sessions(uint64_t tech) const {
  return technician_features(tech).max_sessions;
}

bool model::feature_on(uint64_t tech, uint64_t portal_id, feature f) const {
  auto* p = portal_by_id(portal_id);
  if (p == nullptr || org_.users.find(tech) == org_.users.end())
    return false;
  return effective_on_portal(technician_features(tech), p->features).on(f);
}

bool model::portal_records(uint64_t portal_id) const {
  auto* p = portal_by_id(portal_id);
  if (p == nullptr)
    return false;
  auto v = resolve({&p->features});
  return v.on(feature::recording);
}

// -- bookkeeping
// ---------------------------------------------------------------

std::string model::effective_status(uint64_t tech) const {
  auto i = presence_.find(tech);
  return i == presence_.end() ? std::string{"offline"} : i->second.effective();
}

bool model::available(uint64_t tech) const {
  return is_technician(tech) && effective_status(tech) == "available";
}

int model::load(uint64_t tech) const {
  auto i = presence_.find(tech);
  return i == presence_.end() ? 0 : i->second.load();
}

bool model::has_capacity(uint64_t tech) const {
  return load(tech) < max_sessions(tech);
}

request& model::add(request r, bool restoring) {
  auto id = r.id;
  auto [i, fresh] = open_.insert_or_assign(id, std::move(r));
  auto& x = i->second;
  if (x.st == status::waiting) {
    auto& q = queues_[x.portal_id];
    if (restoring)
      q.restore(id, x.queue_order);
    else
      x.queue_order = q.push(id, false);
  }
  if ((x.st == status::assigned || x.st == status::active) &&
      x.technician_id != 0)
    presence_[x.technician_id].restore_held(id);
  return x;
}

void model::release(request& r) {
  if (r.technician_id != 0)
    if (auto i = presence_.find(r.technician_id); i != presence_.end())
      i->second.release(r.id);
}

void model::set_status(request& r, status s, int64_t now_ms, effects& fx) {
  if (r.st == status::waiting && s != status::waiting) {
    queues_[r.portal_id].remove(r.id);
    fx.queues.insert(r.portal_id);
  }
  r.st = s;
  r.updated_ms = now_ms;
  fx.requests.insert(r.id);
}

void model::withdraw_alerts(request& r, uint64_t except,
                            const std::string& reason, effects& fx) {
  for (auto tech : r.alerted)
    fx.withdrawn.push_back({tech, r.id, tech == except ? "accepted" : reason});
  if (!r.alerted.empty())
    fx.requests.insert(r.id);
  r.alerted.clear();
}

bool model::assign(request& r, uint64_t tech, status s, int64_t now_ms,
                   effects& fx) {
  // The technician's presence takes the request if they have room (or hold
  // it already: a hand-over to themselves).
  if (tech == 0 || !presence_[tech].hold(r.id, max_sessions(tech), now_ms))
    return false;
  auto before = r.technician_id;
  if (before != tech)
    release(r);
  if (before != 0 && before != tech)
    fx.me.insert(before);
  set_status(r, s, now_ms, fx);
  r.technician_id = tech;
  r.pinned_id = 0;
  r.by_code = false;
  // Answered: a later return to the queue starts the alert rounds afresh.
  r.choice = false;
  r.alert_rounds = 0;
  r.unanswered.clear();
  fx.desk = true;
  fx.me.insert(tech);
  return true;
}

void model::route_codes(uint64_t tech, int64_t now_ms, effects& fx) {
  for (auto& [id, r] : open_) {
    if (!has_capacity(tech))
      return;
    if (r.st == status::waiting && r.by_code && r.pinned_id == tech)
      route(r, now_ms, fx);
  }
}

void model::finish(request& r, status s, const std::string& outcome,
                   int64_t now_ms, effects& fx) {
  withdraw_alerts(r, 0, outcome == "cancelled" ? "cancelled" : outcome, fx);
  end_invites(r, "ended", fx);
  auto tech = r.technician_id;
  release(r);
  set_status(r, s, now_ms, fx);
  r.outcome = outcome;
  r.closed_ms = now_ms;
  // The customer's token is no longer stored once the request is over (a
  // retry of its intake is answered from memory while the key is kept).
  r.retry_token.clear();
  // The snapshot lists the recent closed requests, for consoles after a
  // restart.
  fx.desk = true;
  if (r.joined_ms != 0 && s == status::closed)
    queues_[r.portal_id].record_handle(
      static_cast<double>(now_ms - r.joined_ms) / 1000.0);
  fx.event(s == status::closed ? "request.closed" : "request.abandoned",
           {{"request", r.id},
            {"portal", r.portal_id},
            {"technician", tech},
            {"outcome", outcome}});
  if (r.session && s == status::closed)
    summaries_due_[r.id] = now_ms + cfg_.summary_delay_ms;
  auto done = std::move(r);
  open_.erase(done.id);
  keep_closed(std::move(done), true);
  if (tech != 0) {
    fx.me.insert(tech);
    route_technician(tech, now_ms, fx);
  }
}

void model::to_waiting(request& r, bool front, int64_t now_ms, effects& fx) {
  // Back in the queue: the session's colleagues and invitations end.
  end_invites(r, "ended", fx);
  r.collaborators.clear();
  auto tech = r.technician_id;
  release(r);
  r.technician_id = 0;
  if (tech != 0)
    fx.me.insert(tech);
  r.queue_order = queues_[r.portal_id].push(r.id, front);
  r.st = status::waiting;
  r.updated_ms = now_ms;
  fx.queues.insert(r.portal_id);
  fx.requests.insert(r.id);
  fx.desk = true;
}

// -- routing
// -------------------------------------------------------------------

bool model::eligible(const request& r, const portal& p, uint64_t tech) const {
  if (!serves(p, tech) && r.pinned_id != tech)
    return false;
  if (r.team_id != 0) {
    auto u = org_.users.find(tech);
    auto team = with_sub_teams(org_, {r.team_id});
    if (u == org_.users.end() || !team.count(u->second.team_id))
      return false;
  }
  return true;
}

void model::route(request& r, int64_t now_ms, effects& fx) {
  if (r.st != status::waiting)
    return;
  auto* p = portal_by_id(r.portal_id);
  if (p == nullptr)
    return;
  if (r.by_code) {
    // SmartPin: only the technician whose code it was, no alert; while they
    // are at their maximum (or offline) the request waits for them.
    auto tech = r.pinned_id;
    if (!is_technician(tech) || effective_status(tech) == "offline" ||
        !assign(r, tech, status::assigned, now_ms, fx))
      return;
    fx.event("request.assigned", {{"request", r.id},
                                  {"portal", r.portal_id},
                                  {"technician", tech},
                                  {"by", "code"}});
    return;
  }
  if (p->mode == "queue" && r.pinned_id == 0) {
    // Queue mode: the next free technician, never above their maximum, and
    // only the request at the front of the queue.
    if (queue(r.portal_id).front() != r.id)
      return;
    std::vector<routing_candidate> cands;
    for (auto& [uid, u] : org_.users) {
      if (!available(uid) || !eligible(r, *p, uid))
        continue;
      routing_candidate c;
      c.technician_id = uid;
      c.available = true;
      c.active_sessions = load(uid);
      c.max_sessions = max_sessions(uid);
      for (auto& s : u.skills)
        c.skills.emplace_back(s.name, s.rank);
      auto pr = presence_.find(uid);
      c.last_assigned =
        pr == presence_.end() ? 0 : pr->second.last_assigned_ms();
      cands.push_back(std::move(c));
    }
    size_t dropped = 0;
    auto pick = p->skills_routing ? pick_by_skills(cands, r.skills, &dropped)
                                  : pick_round_robin(cands);
    if (!pick || !assign(r, *pick, status::assigned, now_ms, fx))
      return;
    fx.event("request.assigned", {{"request", r.id},
                                  {"portal", r.portal_id},
                                  {"technician", *pick},
                                  {"by", "queue"},
                                  {"skills_dropped", dropped}});
    return;
  }
  // Web mode (and transfers): alert every available technician who may take
  // it, or only the chosen one. A customer who left an e-mail is contacted
  // (the request stays listed); after the last alert round (desk_routing.cpp)
  // only technicians who did not let it run out yet are alerted.
  if (!r.contact_email.empty())
    return;
  if (r.alert_deadline_ms == 0 && p->mode == "web" && !r.choice)
    r.alert_deadline_ms = now_ms + int64_t{p->alert_timeout_s} * 1000;
  std::vector<uint64_t> targets;
  if (r.pinned_id != 0) {
    targets.push_back(r.pinned_id);
  } else {
    for (auto& [uid, u] : org_.users)
      if (eligible(r, *p, uid))
        targets.push_back(uid);
  }
  for (auto tech : targets) {
    if (!may_alert(r, tech))
      continue;
    if (r.alert_deadline_ms == 0 && p->mode == "web")
      r.alert_deadline_ms = now_ms + int64_t{p->alert_timeout_s} * 1000;
    r.alerted.insert(tech);
    fx.alerts.emplace_back(tech, r.id);
    fx.requests.insert(r.id);
    fx.event(
      "request.alerted",
      {{"request", r.id}, {"portal", r.portal_id}, {"technician", tech}});
  }
}

void model::route_portal(uint64_t portal, int64_t now_ms, effects& fx) {
  // Route from the front; queue mode stops at the first that stays.
  for (auto id : queue(portal).in_order()) {
    auto r = open_.find(id);
    if (r == open_.end())
      continue;
    route(r->second, now_ms, fx);
    if (r->second.st == status::waiting) {
      auto* p = portal_by_id(portal);
      if (p != nullptr && p->mode == "queue" && r->second.pinned_id == 0)
        break;
    }
  }
}

void model::route_technician(uint64_t tech, int64_t now_ms, effects& fx) {
  // SmartPin requests wait for their technician whatever their status.
  route_codes(tech, now_ms, fx);
  if (!available(tech))
    return;
  for (auto& [pid, p] : org_.portals) {
    if (!has_capacity(tech))
      return;
    route_portal(pid, now_ms, fx);
  }
  // Requests pinned to this technician outside their portals (transfers).
  for (auto& [id, r] : open_)
    if (r.st == status::waiting && r.pinned_id == tech &&
        !r.alerted.count(tech))
      route(r, now_ms, fx);
}

void model::technician_gone(uint64_t tech, int64_t now_ms, effects& fx) {
  // Alerts vanish; assigned-but-not-joined requests go back to the front.
  std::vector<uint64_t> back;
  for (auto& [id, r] : open_) {
    if (r.alerted.erase(tech)) {
      fx.withdrawn.push_back({tech, id, "offline"});
      fx.requests.insert(id);
    }
    if (r.st == status::assigned && r.technician_id == tech)
      back.push_back(id);
  }
  std::set<uint64_t> portals;
  for (auto id : back) {
    auto& r = open_.at(id);
    to_waiting(r, true, now_ms, fx);
    fx.event("request.unassigned", {{"request", id},
                                    {"portal", r.portal_id},
                                    {"technician", tech},
                                    {"reason", "offline"}});
    portals.insert(r.portal_id);
  }
  for (auto pid : portals)
    route_portal(pid, now_ms, fx);
}

// -- technicians
// ---------------------------------------------------------------

void model::console_connected(uint64_t tech, int64_t now_ms, effects& fx) {
  if (presence_[tech].connect()) {
    fx.me.insert(tech);
    fx.roster = true;
    fx.event("presence.changed",
             {{"technician", tech}, {"status", effective_status(tech)}});
    route_technician(tech, now_ms, fx);
  }
}

void model::console_disconnected(uint64_t tech, int64_t now_ms, effects& fx) {
  // A console that reconnects within the grace keeps everything.
  if (presence_[tech].disconnect(now_ms, cfg_.offline_grace_ms)) {
    fx.roster = true;
    fx.event("presence.changed", {{"technician", tech}, {"status", "offline"}});
    std::vector<std::pair<uint64_t, uint64_t>> alerts;
    for (auto& [id, r] : open_)
      if (r.alerted.erase(tech)) {
        fx.withdrawn.push_back({tech, id, "offline"});
        fx.requests.insert(id);
      }
  }
}

} // namespace openassist::actors::desk
