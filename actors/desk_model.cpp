#include "actors/desk_model.hpp"
#include "actors/desk_input.hpp"

#include <algorithm>

#include "actors/business_hours.hpp"
#include "actors/features.hpp"
#include "actors/routing.hpp"

// desk_model: the rules that move requests (intake, alerts, queue, presence,
// codes). Views and the storage form are in desk_views.cpp.
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
    if (pr.consoles > 0)
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
  std::vector<const feature_overrides*> chain;
  for (uint64_t t = u->second.team_id, depth = 0; t != 0 && depth < 64;
       ++depth) {
    auto i = org_.teams.find(t);
    if (i == org_.teams.end())
      break;
    chain.insert(chain.begin(), &i->second.features);
    t = i->second.parent_id;
  }
  chain.push_back(&u->second.features);
  return resolve(chain);
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
  if (i == presence_.end() || i->second.consoles == 0)
    return "offline";
  return i->second.chosen;
}

bool model::available(uint64_t tech) const {
  return is_technician(tech) && effective_status(tech) == "available";
}

int model::load(uint64_t tech) const {
  auto i = load_.find(tech);
  return i == load_.end() ? 0 : static_cast<int>(i->second.size());
}

bool model::has_capacity(uint64_t tech) const {
  return load(tech) < max_sessions(tech);
}

request& model::add(request r) {
  auto id = r.id;
  auto [i, fresh] = open_.insert_or_assign(id, std::move(r));
  auto& x = i->second;
  if (x.st == status::waiting)
    waiting_[x.portal_id].insert({x.queue_order, id});
  if ((x.st == status::assigned || x.st == status::active) &&
      x.technician_id != 0)
    load_[x.technician_id].insert(id);
  return x;
}

void model::release(request& r) {
  if (r.technician_id != 0) {
    auto i = load_.find(r.technician_id);
    if (i != load_.end()) {
      i->second.erase(r.id);
      if (i->second.empty())
        load_.erase(i);
    }
  }
}

void model::set_status(request& r, status s, int64_t now_ms, effects& fx) {
  if (r.st == status::waiting && s != status::waiting) {
    waiting_[r.portal_id].erase({r.queue_order, r.id});
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
  bool holds = r.technician_id == tech &&
               (r.st == status::assigned || r.st == status::active);
  if (tech == 0 || (!holds && !has_capacity(tech)))
    return false;
  auto before = r.technician_id;
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
  load_[tech].insert(r.id);
  presence_[tech].last_assigned_ms = now_ms;
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
    record_handle(r.portal_id,
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
  if (r.st == status::waiting)
    waiting_[r.portal_id].erase({r.queue_order, r.id});
  r.queue_order = front ? next_front_-- : next_back_++;
  r.st = status::waiting;
  r.updated_ms = now_ms;
  waiting_[r.portal_id].insert({r.queue_order, r.id});
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
    auto& q = waiting_[r.portal_id];
    if (q.empty() || q.begin()->second != r.id)
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
      c.last_assigned = pr == presence_.end() ? 0 : pr->second.last_assigned_ms;
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
  auto it = waiting_.find(portal);
  if (it == waiting_.end())
    return;
  // Route from the front; queue mode stops at the first that stays.
  std::vector<uint64_t> ids;
  for (auto& [order, id] : it->second)
    ids.push_back(id);
  for (auto id : ids) {
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

// -- customers
// -----------------------------------------------------------------

json model::open_state(const portal& p, int64_t now_ms) const {
  auto h = org_.hours_sets.find(p.hours_id);
  if (p.hours_id == 0 || h == org_.hours_sets.end())
    return {{"open", true}, {"next_open", nullptr}, {"reason", ""}};
  auto st = compute_open_state(h->second.hours, p.time_zone, now_ms / 1000);
  return {{"open", st.open},
          {"next_open", !st.open && st.next_change_unix
                          ? json(*st.next_change_unix)
                          : json()},
          {"reason", st.reason}};
}

std::optional<failure>
model::check_fields(const portal& p, json& fields,
                    std::vector<std::string>& skills) const {
  json clean = json::object();
  for (auto& f : p.fields) {
    auto i = fields.find(f.key);
    std::string v;
    if (i != fields.end()) {
      if (!i->is_string())
        return bad(f.key, "type", f.key + ": must be text");
      v = i->get<std::string>();
    }
    v.erase(0, v.find_first_not_of(" \t\r\n"));
    v.erase(v.find_last_not_of(" \t\r\n") + 1);
    if (v.empty()) {
      if (f.required)
        return bad(f.key, "required", f.key + ": is required");
      continue;
    }
    size_t limit = f.type == "textarea" ? 4000 : 200;
    if (chars(v) > limit) {
      auto e =
        bad(f.key, "length",
            f.key + ": at most " + std::to_string(limit) + " characters");
      e.max = static_cast<int>(limit);
      return e;
    }
    for (unsigned char c : v)
      if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
        return bad(f.key, "format", f.key + ": contains control characters");
    if (f.type == "email") {
      auto at = v.find('@');
      if (at == std::string::npos || at == 0 ||
          v.find('.', at) == std::string::npos ||
          v.find(' ') != std::string::npos)
        return bad(f.key, "email", f.key + ": must be an e-mail address");
    }
    if (f.type == "skill") {
      if (std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end())
        return bad(f.key, "choice", f.key + ": not one of the choices");
      skills.push_back(v);
    }
    clean[f.key] = v;
  }
  fields = std::move(clean);
  return std::nullopt;
}

std::variant<uint64_t, failure> model::create(const portal& p, intake in,
                                              int64_t now_ms, effects& fx) {
  auto state = open_state(p, now_ms);
  if (!state["open"].get<bool>()) {
    failure f{403, "closed", "this portal is closed now", ""};
    if (state["next_open"].is_number())
      f.next_open = state["next_open"].get<int64_t>();
    return f;
  }
  if (open_.size() >= cfg_.max_open_requests)
    return failure{503, "busy",
                   "too many open requests; please try again later", ""};
  std::vector<std::string> skills;
  if (auto bad = check_fields(p, in.fields, skills))
    return *bad;
  request r;
  r.id = next_id_;
  r.portal_id = p.id;
  r.created_ms = r.updated_ms = now_ms;
  r.source = std::move(in.source);
  r.token_digest = std::move(in.token_digest);
  r.skills = std::move(skills);
  json customer = {{"name", text_of(in.fields, "name")},
                   {"email", text_of(in.fields, "email")},
                   {"company", text_of(in.fields, "company")},
                   {"problem", text_of(in.fields, "problem")},
                   {"fields", in.fields}};
  r.customer = std::move(customer);
  uint64_t direct = 0;
  if (p.type == "smartmatch") {
    if (in.technician_id == 0)
      return failure{400, "bad_field", "technician_id: choose a technician",
                     "technician_id"};
    if (!serves(p, in.technician_id) || !available(in.technician_id) ||
        !has_capacity(in.technician_id))
      return failure{
        409, "technician_unavailable",
        "this technician is not available any more; please choose another",
        "technician_id"};
    r.pinned_id = in.technician_id;
  } else if (p.type == "smartpin") {
    auto ip = r.source.ip;
    auto now_s = now_ms / 1000;
    if (!guesses_.allowed(ip, now_s)) {
      failure f{429, "too_many_guesses",
                "too many wrong codes; please wait before trying again",
                "code"};
      f.retry_after_s = std::max<int64_t>(1, guesses_.retry_after(ip, now_s));
      return f;
    }
    std::string digits;
    for (char c : in.code)
      if (c != ' ' && c != '-')
        digits.push_back(c);
    auto c = codes_.find(digits);
    if (!well_formed_connection_code(digits) || c == codes_.end() ||
        c->second.expires_ms <= now_ms || c->second.portal_id != p.id ||
        !is_technician(c->second.technician_id)) {
      guesses_.wrong(ip, now_s);
      return failure{
        400, "invalid_code",
        "this code is not valid: check the digits, or ask your technician "
        "for a new one",
        "code"};
    }
    direct = c->second.technician_id;
    fx.codes.insert(direct);
    fx.event("code.used",
             {{"technician", direct}, {"portal", p.id}, {"request", r.id}});
    codes_.erase(c);
    r.pinned_id = direct;
    r.by_code = true;
  }
  ++next_id_;
  fx.desk = true;
  r.queue_order = next_back_++;
  auto& x = add(std::move(r));
  fx.requests.insert(x.id);
  fx.event("request.created", {{"request", x.id},
                               {"portal", x.portal_id},
                               {"type", p.type},
                               {"pinned", x.pinned_id},
                               {"source",
                                {{"device", x.source.device},
                                 {"os", x.source.os},
                                 {"browser", x.source.browser}}}});
  if (!in.idempotency_key.empty()) {
    x.retry_key = in.idempotency_key;
    x.retry_fingerprint = in.fingerprint;
    x.retry_token = in.token;
    remember_intake(x, false);
  }
  route(x, now_ms, fx);
  if (x.st == status::waiting && x.by_code)
    fx.event(
      "request.waiting_for_technician",
      {{"request", x.id}, {"portal", x.portal_id}, {"technician", direct}});
  return x.id;
}

// -- idempotent intakes: bounded by count and time; the key of an open
// request is also stored with it, so a restart keeps it --------------------

void model::remember_intake(const request& r, bool stored) {
  if (r.retry_key.empty() || cfg_.idempotency_keys == 0)
    return;
  intake_key key{r.portal_id, r.retry_key};
  if (!intakes_by_key_.count(key))
    intake_keys_.push_back(key);
  intakes_by_key_[key] = {r.id, r.retry_token, r.retry_fingerprint,
                          r.created_ms, stored};
  while (intake_keys_.size() > cfg_.idempotency_keys) {
    intakes_by_key_.erase(intake_keys_.front());
    intake_keys_.pop_front();
  }
}

std::optional<std::variant<intake_replay, failure>>
model::replay_intake(const portal& p, const std::string& key,
                     uint64_t fingerprint, int64_t now_ms) {
  // Keys leave in the order they came once their time is up.
  while (!intake_keys_.empty()) {
    auto i = intakes_by_key_.find(intake_keys_.front());
    if (i != intakes_by_key_.end() &&
        i->second.created_ms > now_ms - cfg_.idempotency_ttl_ms)
      break;
    if (i != intakes_by_key_.end())
      intakes_by_key_.erase(i);
    intake_keys_.pop_front();
  }
  if (key.empty())
    return std::nullopt;
  auto i = intakes_by_key_.find({p.id, key});
  if (i == intakes_by_key_.end() || find(i->second.request_id) == nullptr)
    return std::nullopt;
  if (i->second.fingerprint != fingerprint)
    return failure{422, "idempotency_key_reused",
                   "this Idempotency-Key came with another request body", ""};
  if (!i->second.stored) {
    failure f{409, "in_progress",
              "the first request with this Idempotency-Key is still being "
              "stored; try again in a moment",
              ""};
    f.retry_after_s = 1;
    return f;
  }
  return intake_replay{i->second.request_id, i->second.token};
}

void model::intake_stored(uint64_t portal, const std::string& key) {
  if (auto i = intakes_by_key_.find({portal, key}); i != intakes_by_key_.end())
    i->second.stored = true;
}

std::optional<failure> model::cancel(uint64_t id, int64_t now_ms, effects& fx) {
  auto i = open_.find(id);
  if (i == open_.end())
    return failure{409, "not_open", "this request is over", ""};
  auto pid = i->second.portal_id;
  // A customer who leaves a session a technician has joined ends it as a
  // finished session, which they may rate; before that the request is
  // abandoned.
  if (i->second.st == status::active)
    finish(i->second, status::closed, "customer_left", now_ms, fx);
  else
    finish(i->second, status::abandoned, "cancelled", now_ms, fx);
  // A queue has a new front to route. In web mode a request that leaves
  // frees no technician (finish routes the one it had), so the portal's
  // other waiting requests stay as they are: routing them all again on
  // every cancellation cost O(waiting) and, under load, fed a backlog.
  if (auto* p = portal_by_id(pid); p != nullptr && p->mode == "queue")
    route_portal(pid, now_ms, fx);
  return std::nullopt;
}

// -- technicians
// ---------------------------------------------------------------

void model::console_connected(uint64_t tech, int64_t now_ms, effects& fx) {
  auto& pr = presence_[tech];
  bool was_offline = pr.consoles == 0;
  ++pr.consoles;
  pr.offline_at_ms = 0;
  if (was_offline) {
    fx.me.insert(tech);
    fx.roster = true;
    fx.event("presence.changed",
             {{"technician", tech}, {"status", effective_status(tech)}});
    route_technician(tech, now_ms, fx);
  }
}

void model::console_disconnected(uint64_t tech, int64_t now_ms, effects& fx) {
  auto& pr = presence_[tech];
  if (pr.consoles > 0)
    --pr.consoles;
  if (pr.consoles == 0) {
    // A console that reconnects within the grace keeps everything.
    pr.offline_at_ms = now_ms + cfg_.offline_grace_ms;
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

std::variant<json, failure> model::command(uint64_t tech, const json& cmd,
                                           int64_t now_ms, effects& fx) {
  auto type = text_of(cmd, "type");
  if (type == "status.set") {
    auto s = cmd.find("status");
    static const std::set<std::string> allowed{"available", "busy", "away",
                                               "offline"};
    if (s == cmd.end() || !s->is_string() ||
        !allowed.count(s->get<std::string>()))
      return failure{400, "bad_field",
                     "status: available, busy, away or offline", "status"};
    auto& pr = presence_[tech];
    auto before = effective_status(tech);
    pr.chosen = s->get<std::string>();
    fx.desk = true;
    fx.me.insert(tech);
    if (before != effective_status(tech)) {
      fx.roster = true;
      fx.event("presence.changed",
               {{"technician", tech}, {"status", pr.chosen}});
    }
    if (pr.chosen == "offline") {
      technician_gone(tech, now_ms, fx);
    } else if (pr.chosen != "available") {
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
    return json{{"status", pr.chosen}};
  }
  if (type == "code.create") {
    auto pid = id_of(cmd, "portal_id");
    auto* p = portal_by_id(pid);
    if (p == nullptr || p->type != "smartpin" || !serves(*p, tech))
      return failure{400, "bad_field",
                     "portal_id: one of your phone-mode portals", "portal_id"};
    size_t mine = 0;
    for (auto& [d, c] : codes_)
      mine += c.technician_id == tech;
    if (mine >= 20)
      return failure{409, "too_many_codes",
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
  if (type == "code.revoke") {
    auto d = text_of(cmd, "code");
    auto c = codes_.find(d);
    if (c == codes_.end() || c->second.technician_id != tech)
      return failure{404, "not_found", "no such code of yours", "code"};
    codes_.erase(c);
    fx.desk = true;
    fx.codes.insert(tech);
    fx.event("code.revoked", {{"technician", tech}});
    return json::object();
  }
  if (type == "chat.authorize") {
    // Reading a request's chat: whoever sees the request in their console.
    auto* r = find(id_of_request(cmd));
    if (r == nullptr || !visible_to(*r, tech))
      return failure{404, "not_found", "no such request for you", "request_id"};
    return json{{"request_id", std::to_string(r->id)}};
  }
  if (auto r = request_command(tech, type, cmd, now_ms, fx))
    return std::move(*r);
  if (auto r = collab_command(tech, type, cmd, now_ms, fx))
    return std::move(*r);
  return failure{400, "unknown_type", "unknown message type '" + type + "'",
                 ""};
}

std::optional<std::variant<json, failure>>
model::request_command(uint64_t tech, const std::string& type, const json& cmd,
                       int64_t now_ms, effects& fx) {
  static const std::set<std::string> kinds{
    "request.accept",   "request.decline", "request.assign_me",
    "request.unassign", "request.join",    "request.transfer",
    "request.close"};
  if (!kinds.count(type))
    return std::nullopt;
  auto id = id_of_request(cmd);
  auto it = open_.find(id);
  if (it == open_.end() || !visible_to(it->second, tech))
    return failure{404, "not_found", "no such open request", "request_id"};
  auto& r = it->second;
  auto* p = portal_by_id(r.portal_id);
  json ev = {{"request", r.id}, {"portal", r.portal_id}, {"technician", tech}};
  if (type == "request.accept" || type == "request.assign_me") {
    if (r.st != status::waiting)
      return failure{409, "taken",
                     r.technician_id == tech ? "you have it already"
                                             : "a colleague has taken it",
                     ""};
    if (type == "request.accept" && !r.alerted.count(tech))
      return failure{409, "no_alert", "this request is not alerted to you", ""};
    if (p == nullptr || !eligible(r, *p, tech))
      return failure{403, "forbidden", "this request is not for you", ""};
    if (!assign(r, tech, status::assigned, now_ms, fx))
      return failure{409, "at_capacity", "you are at your maximum of sessions",
                     ""};
    withdraw_alerts(r, tech, "taken", fx);
    ev["by"] = "technician";
    fx.event(type == "request.accept" ? "request.accepted" : "request.assigned",
             ev);
    return json{{"request_id", std::to_string(r.id)}};
  }
  if (type == "request.decline") {
    if (!r.alerted.erase(tech))
      return failure{409, "no_alert", "this request is not alerted to you", ""};
    r.declined.insert(tech);
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
    return failure{409, "not_yours", "this request is not assigned to you", ""};
  if (type == "request.join") {
    if (r.st == status::active)
      return json{{"request_id", std::to_string(r.id)}};
    set_status(r, status::active, now_ms, fx);
    r.joined_ms = now_ms;
    r.session = true;
    fx.event("request.joined", ev);
    return json{{"request_id", std::to_string(r.id)}};
  }
  if (type == "request.close") {
    auto resolution = text_of(cmd, "resolution");
    if (resolution.empty())
      resolution = "unknown";
    if (resolution != "resolved" && resolution != "unresolved" &&
        resolution != "unknown")
      return bad("resolution", "choice",
                 "resolution: resolved, unresolved or unknown");
    auto notes = text_of(cmd, "notes");
    if (chars(notes) > 4000)
      return bad("notes", "length", "notes: at most 4000 characters");
    r.resolution = resolution;
    r.notes = notes;
    auto pid = r.portal_id;
    finish(r, status::closed, "closed", now_ms, fx);
    route_portal(pid, now_ms, fx);
    return json{{"request_id", std::to_string(id)}};
  }
  if (type == "request.unassign") {
    r.declined.insert(tech);
    r.joined_ms = 0;
    to_waiting(r, true, now_ms, fx);
    r.alert_deadline_ms = 0;
    ev["reason"] = "technician";
    fx.event("request.unassigned", ev);
    route_portal(r.portal_id, now_ms, fx);
    route_codes(tech, now_ms, fx);
    return json{{"request_id", std::to_string(id)}};
  }
  // request.transfer
  auto note = text_of(cmd, "note");
  if (chars(note) > 2000)
    return failure{400, "bad_field", "note: at most 2000 characters", "note"};
  auto to_tech = id_of(cmd, "technician_id");
  auto to_team = id_of(cmd, "team_id");
  if ((to_tech == 0) == (to_team == 0))
    return failure{400, "bad_field", "technician_id or team_id: choose one",
                   "technician_id"};
  if (to_tech != 0 && (!is_technician(to_tech) || to_tech == tech))
    return failure{400, "bad_field", "technician_id: no such colleague",
                   "technician_id"};
  if (to_team != 0 && !org_.teams.count(to_team))
    return failure{400, "bad_field", "team_id: no such team", "team_id"};
  if (to_tech != 0 && !assign(r, to_tech, status::assigned, now_ms, fx))
    return failure{409, "at_capacity",
                   "this colleague is at their maximum of sessions",
                   "technician_id"};
  r.note = note;
  r.joined_ms = 0;
  r.declined.clear();
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

// -- end of a session
// ----------------------------------------------------------

std::optional<failure> model::rate(uint64_t id, const json& input, int64_t,
                                   effects& fx) {
  request* r = find_closed(id);
  if (r == nullptr || !r->session || r->st != status::closed)
    return failure{409, "not_rateable", "only a finished session can be rated",
                   ""};
  if (r->rating != 0)
    return failure{409, "already_rated", "this session has been rated", ""};
  auto i = input.find("rating");
  if (i == input.end() || !i->is_number_integer() || i->get<int64_t>() < 1 ||
      i->get<int64_t>() > 5)
    return bad("rating", "range", "rating: 1 to 5");
  auto comment = text_of(input, "comment");
  if (chars(comment) > 2000)
    return bad("comment", "length", "comment: at most 2000 characters");
  r->rating = static_cast<int>(i->get<int64_t>());
  r->comment = comment;
  fx.requests.insert(id);
  fx.event("request.rated", {{"request", id},
                             {"portal", r->portal_id},
                             {"technician", r->technician_id},
                             {"rating", r->rating}});
  summary(*r, fx);
  if (summaries_due_.erase(id) > 0)
    fx.desk = true;
  return std::nullopt;
}

void model::keep_closed(request r, bool newest) {
  if (newest)
    closed_.push_front(std::move(r));
  else
    closed_.push_back(std::move(r));
  while (closed_.size() > cfg_.closed_kept) {
    auto& old = closed_.back();
    if (summaries_due_.count(old.id))
      awaiting_summary_.insert_or_assign(old.id, std::move(old));
    closed_.pop_back();
  }
}

request* model::find_closed(uint64_t id) {
  for (auto& c : closed_)
    if (c.id == id)
      return &c;
  auto i = awaiting_summary_.find(id);
  return i == awaiting_summary_.end() ? nullptr : &i->second;
}

void model::summary(request& r, effects& fx) {
  auto* p = portal_by_id(r.portal_id);
  if (r.summary_sent || p == nullptr || p->notification_email.empty())
    return;
  r.summary_sent = true;
  fx.requests.insert(r.id);
  auto minutes = r.joined_ms != 0 ? (r.closed_ms - r.joined_ms) / 60000 : 0;
  auto line = [](const char* k, const std::string& v) {
    return std::string{k} + ": " + (v.empty() ? "-" : v) + "\n";
  };
  std::string body = "Support session #" + std::to_string(r.id) +
                     " on the portal " + p->name + " has ended.\n\n";
  body += line("Customer", text_of(r.customer, "name") + " <" +
                             text_of(r.customer, "email") + ">");
  body += line("Problem", text_of(r.customer, "problem"));
  body += line("Technician", technician_name(r.technician_id));
  body += line("Duration", std::to_string(minutes) + " min");
  body += line("Resolution", r.resolution);
  body += line("Technician's notes", r.notes);
  body +=
    line("Customer rating", r.rating == 0 ? std::string{"none given"}
                                          : std::to_string(r.rating) + " of 5");
  body += line("Customer comment", r.comment);
  fx.mails.push_back(
    {p->notification_email,
     "Support session #" + std::to_string(r.id) + " (" +
       (r.rating == 0 ? std::string{"not rated"}
                      : "rated " + std::to_string(r.rating) + "/5") +
       ")",
     body});
  fx.event("request.summary_mailed",
           {{"request", r.id}, {"portal", r.portal_id}});
}

// -- timers
// --------------------------------------------------------------------

void model::tick(int64_t now_ms, effects& fx) {
  // Presence: consoles that did not come back within the grace.
  for (auto& [tech, pr] : presence_)
    if (pr.consoles == 0 && pr.offline_at_ms != 0 &&
        pr.offline_at_ms <= now_ms) {
      pr.offline_at_ms = 0;
      fx.me.insert(tech);
      technician_gone(tech, now_ms, fx);
    }
  // Web-mode alerts nobody accepted in time.
  std::vector<uint64_t> expired;
  for (auto& [id, r] : open_)
    if (r.st == status::waiting && r.alert_deadline_ms != 0 &&
        r.alert_deadline_ms <= now_ms)
      expired.push_back(id);
  for (auto id : expired)
    alert_timed_out(open_.at(id), now_ms, fx);
  // Sessions whose summary went out (stored by the change that sent it, an
  // earlier tick or rating) no longer wait here.
  std::erase_if(awaiting_summary_, [this](const auto& kv) {
    return !summaries_due_.count(kv.first);
  });
  for (auto d = summaries_due_.begin(); d != summaries_due_.end();) {
    if (d->second > now_ms) {
      ++d;
      continue;
    }
    if (auto* r = find_closed(d->first))
      summary(*r, fx);
    d = summaries_due_.erase(d);
    fx.desk = true;
  }
  for (auto c = codes_.begin(); c != codes_.end();) {
    if (c->second.expires_ms <= now_ms) {
      fx.codes.insert(c->second.technician_id);
      fx.desk = true;
      c = codes_.erase(c);
    } else {
      ++c;
    }
  }
}

} // namespace openassist::actors::desk
