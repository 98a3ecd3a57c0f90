#include "actors/intake/desk_model.hpp"

#include "actors/intake/routing.hpp"
#include "actors/json_fields.hpp"

// desk_views: what consoles, customer pages and the public status see of the
// desk (docs/intake.md), and the storage form of requests and the desk.
namespace openassist::actors::desk {

namespace {

template <class T>
T get_or(const json& j, const char* key, T fallback) {
  return value_or<T>(j, key, std::move(fallback));
}

std::string text_of_customer(const request& r, const char* key) {
  auto i = r.customer.find(key);
  return i != r.customer.end() && i->is_string() ? i->get<std::string>()
                                                 : std::string{};
}

json source_json(const source_info& s) {
  return {
    {"ip", s.ip}, {"device", s.device}, {"os", s.os}, {"browser", s.browser}};
}

} // namespace

std::string model::public_name(uint64_t tech) const {
  auto u = org_.users.find(tech);
  if (u != org_.users.end() && !u->second.screen_name.empty())
    return u->second.screen_name;
  return technician_name(tech);
}

size_t model::portals_served(uint64_t tech) const {
  size_t n = 0;
  for (auto& [pid, p] : org_.portals)
    n += serves(p, tech) ? 1 : 0;
  return n;
}

json model::collaborators_json(const request& r, bool for_session) const {
  json out = json::array();
  for (auto& c : r.collaborators)
    out.push_back({{"technician_id", c.technician_id},
                   {"name", for_session ? public_name(c.technician_id)
                                        : technician_name(c.technician_id)},
                   {"since", c.since_ms},
                   {"hidden", c.hidden},
                   {"rights", c.full ? "full" : "view"}});
  return out;
}

json model::invites_json(const request& r) const {
  json out = json::array();
  for (auto& inv : r.invites)
    out.push_back(
      {{"invite_id", inv.id},
       {"to", inv.to},
       {"to_name", inv.to == 0 ? std::string{} : technician_name(inv.to)},
       {"anyone", inv.to == 0},
       {"hidden", inv.hidden},
       {"rights", inv.full ? "full" : "view"},
       {"created_at", inv.created_ms}});
  return out;
}

bool model::participant(const request& r, uint64_t tech) const {
  return tech != 0 && (r.technician_id == tech || r.colleague(tech) != nullptr);
}

bool model::visible_to(const request& r, uint64_t tech) const {
  if (r.technician_id == tech || r.pinned_id == tech ||
      r.colleague(tech) != nullptr)
    return true;
  for (auto& inv : r.invites)
    if (inv.sent_to.count(tech))
      return true;
  auto* p = portal_by_id(r.portal_id);
  return p != nullptr && serves(*p, tech);
}

const request* model::find(uint64_t id) const {
  if (auto i = open_.find(id); i != open_.end())
    return &i->second;
  for (auto& r : closed_)
    if (r.id == id)
      return &r;
  auto i = awaiting_summary_.find(id);
  return i == awaiting_summary_.end() ? nullptr : &i->second;
}

json model::request_view(const request& r) const {
  auto* p = portal_by_id(r.portal_id);
  return {{"id", std::to_string(r.id)},
          {"portal_id", r.portal_id},
          {"portal_name", p ? p->name : ""},
          {"portal_type", p ? p->type : ""},
          {"status", to_string(r.st)},
          {"created_at", r.created_ms},
          {"updated_at", r.updated_ms},
          {"technician_id", r.technician_id},
          {"technician_name", technician_name(r.technician_id)},
          {"team_id", r.team_id},
          {"position", position(r)},
          {"note", r.note},
          {"outcome", r.outcome},
          {"resolution", r.resolution},
          {"notes", r.notes},
          {"rating", r.rating},
          {"comment", r.comment},
          {"customer", r.customer},
          {"skills", r.skills},
          {"source", source_json(r.source)},
          {"collaborators", collaborators_json(r)},
          {"invites", invites_json(r)},
          {"alert_rounds", r.alert_rounds},
          {"no_answer", r.choice},
          {"contact_email",
           r.contact_email.empty() ? json() : json(r.contact_email)}};
}

json model::customer_view(const request& r) const {
  json tech = nullptr;
  if (r.technician_id != 0 && is_open(r.st))
    tech = {{"name", public_name(r.technician_id)}};
  auto pos = position(r);
  json estimate = nullptr;
  auto* p = portal_by_id(r.portal_id);
  if (pos > 0 && p != nullptr)
    if (auto e = wait_estimate_s(*p, pos))
      estimate = *e;
  // `notice` says in a word what the page tells the customer (in their
  // language); `message` is the same in English for other clients.
  std::string notice, message;
  bool waiting = r.st == status::waiting;
  bool web = p != nullptr && p->mode == "web";
  if (r.outcome == "no_response") {
    // Stored before requests were kept when nobody answered.
    notice = "no_response";
    message = "No technician could answer in time.";
  } else if (waiting && r.by_code) {
    notice = "technician_busy";
    message = "Your technician is finishing another session; you are connected "
              "as soon as they are free.";
  } else if (waiting && !r.contact_email.empty()) {
    notice = "contact";
    message = "A technician will contact you by e-mail at " + r.contact_email +
              ". You may close this page.";
  } else if (waiting && r.choice) {
    notice = "no_answer";
    message = "No technician has been able to answer yet. You can keep "
              "waiting, or leave your e-mail address and a technician will "
              "contact you.";
  } else if (waiting && pos > 0 && estimate.is_null()) {
    notice = "no_estimate";
    message = "No technician is taking requests right now, so we cannot say "
              "how long the wait will be.";
  } else if (waiting && web && r.alerted.empty()) {
    notice = "busy";
    message =
      "All technicians are busy right now; we alert the next one who is free.";
  } else if (waiting && web && r.chosen_id != 0) {
    notice = "widened";
    message = "The technician you chose cannot answer right now; we have "
              "asked the other technicians.";
  } else if (waiting && web && r.alert_rounds > 0) {
    notice = "alerted_again";
    message = "No technician has answered yet; we have alerted them again.";
  }
  return {
    {"id", std::to_string(r.id)},
    {"status", to_string(r.st)},
    {"position", pos},
    {"estimated_wait_s", estimate},
    {"technician", tech},
    {"outcome", r.outcome.empty() ? json() : json(r.outcome)},
    {"notice", notice},
    {"message", message},
    {"contact_email", r.contact_email.empty() ? json() : json(r.contact_email)},
    {"customer_email", text_of_customer(r, "email")},
    {"can_rate", r.st == status::closed && r.session && r.rating == 0},
    {"rating", r.rating}};
}

json model::alert_view(const request& r) const {
  auto* p = portal_by_id(r.portal_id);
  return {{"request_id", std::to_string(r.id)},
          {"portal_id", r.portal_id},
          {"portal_name", p ? p->name : ""},
          {"portal_type", p ? p->type : ""},
          {"customer_name", r.customer.value("name", "")},
          {"problem", r.customer.value("problem", "")},
          {"expires_at", r.alert_deadline_ms}};
}

json model::me_view(uint64_t tech) const {
  return {{"id", tech},
          {"name", technician_name(tech)},
          {"portals", portals_served(tech)},
          {"status", effective_status(tech)},
          {"max_sessions", max_sessions(tech)},
          {"active_sessions", load(tech)}};
}

json model::roster_view() const {
  json out = json::array();
  for (auto& [uid, u] : org_.users)
    if (!u.deleted && u.r == role::technician)
      out.push_back({{"id", uid},
                     {"name", technician_name(uid)},
                     {"team_id", u.team_id},
                     {"status", effective_status(uid)}});
  return out;
}

json model::codes_view(uint64_t tech) const {
  json out = json::array();
  for (auto& [d, c] : codes_)
    if (c.technician_id == tech)
      out.push_back({{"code", d},
                     {"portal_id", c.portal_id},
                     {"expires_at", c.expires_ms}});
  return out;
}

json model::console_state(uint64_t tech, int64_t) const {
  json portals = json::array(), teams = json::array(), requests = json::array(),
       alerts = json::array();
  int64_t code_ttl_s = 0;
  for (auto& [pid, p] : org_.portals)
    if (serves(p, tech)) {
      portals.push_back(
        {{"id", pid}, {"name", p.name}, {"type", p.type}, {"mode", p.mode}});
      if (p.type == "smartpin" && code_ttl_s == 0)
        code_ttl_s = int64_t{p.code_ttl_min} * 60;
    }
  for (auto& [tid, t] : org_.teams)
    teams.push_back({{"id", tid}, {"name", t.name}});
  for (auto& [id, r] : open_) {
    if (!visible_to(r, tech))
      continue;
    requests.push_back(request_view(r));
    if (r.alerted.count(tech))
      alerts.push_back(alert_view(r));
  }
  for (auto& r : closed_)
    if (visible_to(r, tech))
      requests.push_back(request_view(r));
  return {{"type", "console.state"},
          {"me", me_view(tech)},
          {"portals", portals},
          {"technicians", roster_view()},
          {"teams", teams},
          {"requests", requests},
          {"alerts", alerts},
          {"codes", codes_view(tech)},
          {"invites", invites_for(tech)},
          {"settings", {{"code_ttl_s", code_ttl_s}}}};
}

json model::portal_page(const portal& p, int64_t now_ms) const {
  json fields = json::array();
  for (auto& f : p.fields) {
    fields.push_back({{"key", f.key},
                      {"label", f.label},
                      {"type", f.type},
                      {"required", f.required},
                      {"choices", f.choices}});
    // What the customer reads for each choice (the value sent is the key).
    if (f.type == "skill")
      fields.back()["choice_labels"] = f.labels();
    // The label in other languages: the page shows the customer's own.
    if (!f.translations.empty())
      fields.back()["translations"] = translations_json(f);
  }
  json techs = json::array();
  if (p.type == "smartmatch")
    for (auto& [uid, u] : org_.users)
      if (serves(p, uid) && available(uid) && has_capacity(uid))
        techs.push_back({{"id", uid}, {"name", public_name(uid)}});
  return {{"account", org_.id},
          {"portal",
           {{"id", p.id},
            {"name", p.name},
            {"slug", p.slug},
            {"mode", p.mode},
            {"type", p.type},
            {"title", p.title},
            {"welcome", p.welcome},
            {"records", portal_records(p.id)},
            {"fields", fields}}},
          {"open", open_state(p, now_ms)},
          {"technicians", techs}};
}

json model::public_status(const portal& p, int64_t now_ms) const {
  int avail = 0;
  for (auto& [uid, u] : org_.users)
    if (serves(p, uid) && available(uid) && has_capacity(uid))
      ++avail;
  size_t queue = waiting_count(p.id);
  // Closed, or nobody available for it: no estimate.
  auto open = open_state(p, now_ms)["open"];
  json estimate = nullptr;
  if (open.is_boolean() && open.get<bool>()) {
    if (avail > 0 && queue == 0)
      estimate = 0;
    else if (auto e = wait_estimate_s(p, queue + 1))
      estimate = *e;
  }
  return {{"open", open},
          {"technicians_available", avail},
          {"queue_length", queue},
          {"estimated_wait_s", estimate}};
}

// -- storage
// -------------------------------------------------------------------

namespace {

json collaborators_storage(const request& r) {
  json out = json::array();
  for (auto& c : r.collaborators)
    out.push_back({{"technician_id", c.technician_id},
                   {"since_ms", c.since_ms},
                   {"hidden", c.hidden},
                   {"full", c.full}});
  return out;
}

json invites_storage(const request& r) {
  json out = json::array();
  for (auto& i : r.invites)
    out.push_back({{"id", i.id},
                   {"to", i.to},
                   {"by", i.by},
                   {"hidden", i.hidden},
                   {"full", i.full},
                   {"created_ms", i.created_ms},
                   {"sent_to", i.sent_to}});
  return out;
}

} // namespace

json model::to_storage(const request& r) {
  json out = {{"id", r.id},
              {"portal_id", r.portal_id},
              {"status", to_string(r.st)},
              {"created_ms", r.created_ms},
              {"updated_ms", r.updated_ms},
              {"joined_ms", r.joined_ms},
              {"closed_ms", r.closed_ms},
              {"technician_id", r.technician_id},
              {"team_id", r.team_id},
              {"pinned_id", r.pinned_id},
              {"by_code", r.by_code},
              {"note", r.note},
              {"outcome", r.outcome},
              {"resolution", r.resolution},
              {"notes", r.notes},
              {"rating", r.rating},
              {"comment", r.comment},
              {"customer", r.customer},
              {"skills", r.skills},
              {"source", source_json(r.source)},
              {"token_digest", r.token_digest},
              {"queue_order", r.queue_order},
              {"alert_deadline_ms", r.alert_deadline_ms},
              {"alerted", r.alerted},
              {"declined", r.declined},
              {"session", r.session},
              {"answered_ms", r.answered_ms},
              {"decliners", r.decliners},
              {"transfers", r.transfers},
              {"summary_sent", r.summary_sent},
              {"collaborators", collaborators_storage(r)},
              {"invites", invites_storage(r)},
              {"next_invite", r.next_invite},
              {"alert_rounds", r.alert_rounds},
              {"unanswered", r.unanswered},
              {"chosen_id", r.chosen_id},
              {"choice", r.choice},
              {"contact_email", r.contact_email}};
  if (!r.retry_key.empty()) {
    out["retry_key"] = r.retry_key;
    out["retry_fingerprint"] = r.retry_fingerprint;
    if (!r.retry_token.empty())
      out["retry_token"] = r.retry_token;
  }
  return out;
}

std::optional<request> model::from_storage(const json& j) {
  if (!j.is_object() || !j.contains("id"))
    return std::nullopt;
  request r;
  r.id = get_or<uint64_t>(j, "id", 0);
  auto st = status_from_string(get_or<std::string>(j, "status", ""));
  if (r.id == 0 || !st)
    return std::nullopt;
  r.st = *st;
  r.portal_id = get_or<uint64_t>(j, "portal_id", 0);
  r.created_ms = get_or<int64_t>(j, "created_ms", 0);
  r.updated_ms = get_or<int64_t>(j, "updated_ms", 0);
  r.joined_ms = get_or<int64_t>(j, "joined_ms", 0);
  r.closed_ms = get_or<int64_t>(j, "closed_ms", 0);
  r.technician_id = get_or<uint64_t>(j, "technician_id", 0);
  r.team_id = get_or<uint64_t>(j, "team_id", 0);
  r.pinned_id = get_or<uint64_t>(j, "pinned_id", 0);
  r.by_code = get_or<bool>(j, "by_code", false);
  r.note = get_or<std::string>(j, "note", "");
  r.outcome = get_or<std::string>(j, "outcome", "");
  r.customer = j.value("customer", json::object());
  r.skills = get_or<std::vector<std::string>>(j, "skills", {});
  auto src = j.value("source", json::object());
  r.source = {get_or<std::string>(src, "ip", ""),
              get_or<std::string>(src, "device", ""),
              get_or<std::string>(src, "os", ""),
              get_or<std::string>(src, "browser", "")};
  r.token_digest = get_or<std::string>(j, "token_digest", "");
  r.queue_order = get_or<int64_t>(j, "queue_order", 0);
  r.alert_deadline_ms = get_or<int64_t>(j, "alert_deadline_ms", 0);
  r.alerted = get_or<std::set<uint64_t>>(j, "alerted", {});
  r.declined = get_or<std::set<uint64_t>>(j, "declined", {});
  r.session = get_or<bool>(j, "session", false);
  // Stored before reports: the last join and the declines since the last
  // transfer are what is known.
  r.answered_ms =
    get_or<int64_t>(j, "answered_ms", r.session ? r.joined_ms : 0);
  r.decliners = get_or<std::set<uint64_t>>(j, "decliners", r.declined);
  r.transfers = get_or<int>(j, "transfers", 0);
  r.resolution = get_or<std::string>(j, "resolution", "");
  r.notes = get_or<std::string>(j, "notes", "");
  r.rating = get_or<int>(j, "rating", 0);
  r.comment = get_or<std::string>(j, "comment", "");
  r.summary_sent = get_or<bool>(j, "summary_sent", false);
  r.next_invite = get_or<uint64_t>(j, "next_invite", 1);
  r.alert_rounds = get_or<int>(j, "alert_rounds", 0);
  r.unanswered = get_or<std::set<uint64_t>>(j, "unanswered", {});
  r.chosen_id = get_or<uint64_t>(j, "chosen_id", 0);
  r.choice = get_or<bool>(j, "choice", false);
  r.contact_email = get_or<std::string>(j, "contact_email", "");
  r.retry_key = get_or<std::string>(j, "retry_key", "");
  r.retry_fingerprint = get_or<uint64_t>(j, "retry_fingerprint", 0);
  r.retry_token = get_or<std::string>(j, "retry_token", "");
  for (auto& c : j.value("collaborators", json::array()))
    r.collaborators.push_back({get_or<uint64_t>(c, "technician_id", 0),
                               get_or<int64_t>(c, "since_ms", 0),
                               get_or<bool>(c, "hidden", false),
                               get_or<bool>(c, "full", false)});
  for (auto& i : j.value("invites", json::array()))
    r.invites.push_back(
      {get_or<uint64_t>(i, "id", 0), get_or<uint64_t>(i, "to", 0),
       get_or<uint64_t>(i, "by", 0), get_or<bool>(i, "hidden", false),
       get_or<bool>(i, "full", false), get_or<int64_t>(i, "created_ms", 0),
       get_or<std::set<uint64_t>>(i, "sent_to", {})});
  return r;
}

json model::snapshot() const {
  json presence = json::array(), codes = json::array(), handle = json::array();
  for (auto& [tech, pr] : presence_)
    presence.push_back({{"technician", tech},
                        {"chosen", pr.chosen()},
                        {"last_assigned_ms", pr.last_assigned_ms()}});
  for (auto& [d, c] : codes_)
    codes.push_back({{"code", d},
                     {"technician", c.technician_id},
                     {"portal", c.portal_id},
                     {"expires_ms", c.expires_ms}});
  for (auto& [pid, q] : queues_)
    if (q.has_handle())
      handle.push_back({{"portal", pid},
                        {"seconds", q.handle_average_s()},
                        {"sessions", q.handle_sessions()}});
  json due = json::array();
  for (auto& [id, when] : summaries_due_)
    due.push_back({{"request", id}, {"due_ms", when}});
  json closed = json::array(); // most recently ended first
  for (auto& r : closed_)
    closed.push_back(r.id);
  // A queue's order needs no counters: its restored requests carry theirs
  // (snapshots before kept "next_back" and "next_front"; they are ignored).
  return {{"summaries_due", due}, {"next_id", next_id_}, {"presence", presence},
          {"codes", codes},       {"handle", handle},    {"closed", closed}};
}

bool model::restore(const json& j, int64_t now_ms) {
  if (!j.is_object())
    return false;
  next_id_ = get_or<uint64_t>(j, "next_id", 1);
  for (auto& p : j.value("presence", json::array())) {
    auto tech = get_or<uint64_t>(p, "technician", 0);
    auto& pr = presence_[tech];
    pr.restore(get_or<std::string>(p, "chosen", "available"),
               get_or<int64_t>(p, "last_assigned_ms", 0));
    // After a restart consoles get time to reconnect before their
    // technicians count as gone.
    pr.expect_until(now_ms + cfg_.restart_grace_ms);
  }
  restart_deadline_ms_ = now_ms + cfg_.restart_grace_ms;
  for (auto& c : j.value("codes", json::array())) {
    code x{
      get_or<std::string>(c, "code", ""), get_or<uint64_t>(c, "technician", 0),
      get_or<uint64_t>(c, "portal", 0), get_or<int64_t>(c, "expires_ms", 0)};
    if (well_formed_connection_code(x.digits))
      codes_.emplace(x.digits, x);
  }
  for (auto& d : j.value("summaries_due", json::array()))
    summaries_due_[get_or<uint64_t>(d, "request", 0)] =
      get_or<int64_t>(d, "due_ms", 0);
  for (auto& h : j.value("handle", json::array())) {
    queues_[get_or<uint64_t>(h, "portal", 0)].restore_handle(
      get_or<double>(h, "seconds", 0), get_or<int64_t>(h, "sessions", 0));
  }
  closed_to_load_.clear();
  for (auto& id : j.value("closed", json::array()))
    if (id.is_number_unsigned() && closed_to_load_.size() < cfg_.closed_kept)
      closed_to_load_.push_back(id.get<uint64_t>());
  return true;
}

std::vector<uint64_t> model::requests_to_load() const {
  auto ids = closed_to_load_;
  for (auto& [id, when] : summaries_due_)
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(id);
  return ids;
}

void model::restore_request(request r, int64_t now_ms) {
  if (is_open(r.st)) {
    // Technicians without a presence record (never connected since) also
    // get the restart grace.
    if (r.technician_id != 0 && !presence_.count(r.technician_id))
      presence_[r.technician_id].expect_until(restart_deadline_ms_);
    // Its intake's key still answers a retry (within the key's time).
    if (r.created_ms > now_ms - cfg_.idempotency_ttl_ms)
      remember_intake(r, true);
    add(std::move(r), true);
  } else {
    keep_closed(std::move(r), false);
  }
}

} // namespace openassist::actors::desk
