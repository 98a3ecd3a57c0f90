// What a durable change of the desk means to consoles, customer pages, sessions
// and the mailer.

#include <algorithm>

#include "actors/intake/desk_internal.hpp"

#include "actors/session/session.hpp"
#include "monitoring/logging.hpp"

namespace openassist::actors::desk_detail {

void send_to(const std::vector<caf::actor>& conns, const std::string& text) {
  for (auto& c : conns)
    caf::anon_send(c, desk_push_atom::value, text);
}

void push_console(desk_state& st, uint64_t tech, const json& msg) {
  if (auto i = st.consoles.find(tech); i != st.consoles.end())
    send_to(i->second, dump_text(msg));
}

void push_customer(desk_state& st, const desk::request& r) {
  if (auto i = st.customers.find(r.id); i != st.customers.end())
    send_to(i->second, dump_text(json{{"type", "request.state"},
                                      {"request", st.m.customer_view(r)}}));
}

void update_gauges(desk_state& st) {
  note_statuses(st);
  auto* fam = st.cfg.metrics.technicians;
  if (fam == nullptr)
    return;
  std::map<std::string, double> counts;
  for (auto& [uid, u] : st.m.org().users)
    if (!u.deleted && u.r == role::technician)
      counts[st.m.effective_status(uid)] += 1;
  for (auto s : {"available", "busy", "away", "offline"}) {
    auto delta = counts[s] - st.technician_counts[s];
    if (delta != 0)
      fam->Add({{"status", s}}).Increment(delta);
    st.technician_counts[s] = counts[s];
  }
}

void update_queue_gauge(desk_state& st, uint64_t portal) {
  auto* fam = st.cfg.metrics.queue_length;
  auto* p = st.m.portal_by_id(portal);
  if (fam == nullptr || p == nullptr)
    return;
  fam->Add({{"account", st.cfg.account}, {"portal", p->slug}})
    .Set(static_cast<double>(st.m.waiting_count(portal)));
}

session_news session_info(const desk_state& st, const desk::request& r,
                          const json& system) {
  auto* p = st.m.portal_by_id(r.portal_id);
  session_news news;
  news.status = desk::to_string(r.st);
  news.technician_id = r.technician_id;
  // Chat lines, system lines and the transcript reach the customer: they
  // name technicians by their screen name.
  news.technician_name = st.m.public_name(r.technician_id);
  news.customer_name = r.customer.value("name", "");
  news.portal_id = r.portal_id;
  news.records = st.m.portal_records(r.portal_id);
  news.recording_max_mb =
    static_cast<uint64_t>(std::max(p ? p->recording_max_mb : 200, 0));
  news.retention_days = p ? p->recording_retention_days : 90;
  for (auto& c : r.collaborators)
    news.colleagues.push_back(
      {c.technician_id, st.m.public_name(c.technician_id), c.hidden, c.full});
  news.token_digest = r.token_digest;
  auto allowed = [&](uint64_t tech) {
    if (st.m.feature_on(tech, r.portal_id, feature::remote_control))
      news.may_control.push_back(tech);
    if (st.m.feature_on(tech, r.portal_id, feature::diagnostics))
      news.may_diagnose.push_back(tech);
  };
  if (r.technician_id != 0)
    allowed(r.technician_id);
  for (auto& c : r.collaborators)
    if (c.full)
      allowed(c.technician_id);
  if (system.is_object()) {
    news.system_code = system.value("code", "");
    auto params = system.value("params", json::object());
    for (auto& [k, v] : params.items())
      news.system_params[k] =
        v.is_string() ? v.get<std::string>() : dump_text(v);
  }
  return news;
}

// The system line a session shows for a step of its request, as a code and
// its parameters (actors/session/session_lines.hpp: the session renders it in
// the reader's language); null for none.
json system_step(const desk_state& st, const std::string& kind,
                 const json& payload, const desk::request& r) {
  auto line = [](const char* code, json params = json::object()) {
    return json{{"code", code}, {"params", std::move(params)}};
  };
  auto who = st.m.public_name(payload.value("technician", uint64_t{0}));
  if (kind == "request.joined")
    return line("joined", {{"name", who}});
  if (kind == "request.transferred") {
    auto to = payload.value("to_technician", uint64_t{0});
    if (to != 0)
      return line("handed_over", {{"name", st.m.public_name(to)}});
    auto team = st.m.org().teams.find(payload.value("to_team", uint64_t{0}));
    return line("handed_over_team",
                {{"team", team == st.m.org().teams.end() ? std::string{"?"}
                                                         : team->second.name}});
  }
  if (kind == "request.unassigned" || kind == "request.collaborator_left")
    return line("left", {{"name", who}});
  if (kind == "request.collaborator_joined")
    return line(payload.value("hidden", false) ? "joined_hidden" : "joined",
                {{"name", who}});
  if (kind == "request.handed_over")
    return line("handed_over", {{"name", st.m.public_name(payload.value(
                                           "to_technician", uint64_t{0}))}});
  if (kind == "request.closed" && r.outcome == "customer_left")
    return line("customer_left");
  if (kind == "request.closed")
    return line("closed", {{"name", who}});
  if (kind == "request.abandoned" && r.outcome == "cancelled")
    return line("customer_ended");
  return nullptr;
}

// Hands the change's e-mails to the mailer (which stores them durably).
void send_mails(self_ptr self, const desk::effects& fx) {
  auto& st = self->state;
  if (!st.cfg.mailer)
    return;
  for (auto& m : fx.mails)
    self
      ->request(st.cfg.mailer, std::chrono::seconds(30), mail_atom::value, m.to,
                m.subject, m.body)
      .then([](uint64_t) {},
            [self](caf::error& err) {
              monitoring::component_logger("desk")->warn(
                "[desk {}] summary mail not queued: {}",
                self->state.cfg.account, self->system().render(err));
            });
}

void tell_session(self_ptr self, uint64_t request, session_news news) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, std::chrono::seconds(10),
              cluster::lookup_atom::value,
              "session/" + st.cfg.account + "/" + std::to_string(request))
    .then(
      [news = std::move(news)](caf::actor& s) {
        caf::anon_send(s, session_update_atom::value, news);
      },
      [](caf::error&) {});
}

// The organisation changed: the active sessions learn what it means for
// them (names, and who may control the customer's computer), without a
// system line.
void refresh_sessions(self_ptr self) {
  auto& st = self->state;
  for (auto& [id, r] : st.m.open_requests())
    if (r.session && r.st == desk::status::active)
      tell_session(self, id, session_info(st, r));
}

// Tells the sessions of joined requests what happened to them.
void notify_sessions(self_ptr self, const desk::effects& fx) {
  auto& st = self->state;
  for (auto& [kind, payload] : fx.events) {
    auto* r = st.m.find(payload.value("request", uint64_t{0}));
    if (r == nullptr || !r->session)
      continue;
    auto news = session_info(st, *r, system_step(st, kind, payload, *r));
    // A hidden colleague's coming and going is for technicians only.
    news.system_private = payload.value("hidden", false);
    tell_session(self, r->id, std::move(news));
  }
}

// Sends what one durable change means to the clients that see it.
void push(desk_state& st, const desk::effects& fx) {
  auto& m = st.m;
  for (auto tech : fx.me)
    push_console(st, tech, {{"type", "me"}, {"me", m.me_view(tech)}});
  if (fx.roster) {
    auto msg = dump_text(
      json{{"type", "technicians"}, {"technicians", m.roster_view()}});
    for (auto& [tech, conns] : st.consoles)
      send_to(conns, msg);
    update_gauges(st); // notes the statuses too
  } else if (!fx.me.empty()) {
    note_statuses(st); // a session more or less can make one busy
  }
  for (auto tech : fx.codes)
    push_console(st, tech, {{"type", "codes"}, {"codes", m.codes_view(tech)}});
  std::set<uint64_t> changed = fx.requests;
  for (auto pid : fx.queues) {
    auto* p = m.portal_by_id(pid);
    if (p == nullptr || p->mode != "queue")
      continue;
    for (auto& [id, r] : m.open_requests())
      if (r.portal_id == pid && r.st == desk::status::waiting)
        changed.insert(id);
  }
  // Wait estimates follow the technicians' status and sessions: waiting
  // customers of queue portals hear of them.
  if (fx.roster || !fx.me.empty())
    for (auto& [id, conns] : st.customers)
      if (auto* r = m.find(id); r != nullptr && !changed.count(id) &&
                                r->st == desk::status::waiting &&
                                m.position(*r) > 0)
        push_customer(st, *r);
  for (auto id : changed) {
    auto* r = m.find(id);
    if (r == nullptr)
      continue;
    auto view = dump_text(
      json{{"type", "request.updated"}, {"request", m.request_view(*r)}});
    for (auto& [tech, conns] : st.consoles)
      if (m.visible_to(*r, tech))
        send_to(conns, view);
    push_customer(st, *r);
  }
  // Withdrawals first: an alert round that ran out is withdrawn and alerted
  // anew in one change (desk_routing.cpp).
  for (auto& w : fx.withdrawn)
    push_console(st, w.technician,
                 {{"type", "alert.withdrawn"},
                  {"request_id", std::to_string(w.request)},
                  {"reason", w.reason}});
  for (auto& [tech, id] : fx.alerts)
    if (auto* r = m.find(id))
      push_console(st, tech, {{"type", "alert"}, {"alert", m.alert_view(*r)}});
  for (auto& [tech, msg] : fx.to_console)
    push_console(st, tech, msg);
  for (auto pid : fx.queues)
    update_queue_gauge(st, pid);
  feed_dashboards(st, fx);
  // Metrics of what happened.
  auto* reqs = st.cfg.metrics.requests;
  for (auto& [kind, payload] : fx.events) {
    if (kind == "request.alerted") {
      monitoring::inc(st.cfg.metrics.alerts);
    } else if (reqs != nullptr && kind == "request.no_response" &&
               payload.value("round", 0) == 1) {
      // Counted once per request: its first alert round ran out.
      auto* r = m.find(payload.value("request", uint64_t{0}));
      auto* p = r ? m.portal_by_id(r->portal_id) : nullptr;
      reqs
        ->Add({{"portal_type", p ? p->type : "unknown"},
               {"outcome", "no_response"}})
        .Increment();
    } else if (reqs != nullptr &&
               (kind == "request.created" || kind == "request.closed" ||
                kind == "request.abandoned" || kind == "request.assigned" ||
                kind == "request.accepted")) {
      auto* r = m.find(payload.value("request", uint64_t{0}));
      auto* p = r ? m.portal_by_id(r->portal_id) : nullptr;
      std::string outcome = kind == "request.created"  ? "created"
                            : kind == "request.closed" ? "closed"
                            : kind == "request.abandoned"
                              ? payload.value("outcome", "")
                              : "assigned";
      reqs
        ->Add({{"portal_type", p ? p->type : "unknown"}, {"outcome", outcome}})
        .Increment();
      if (outcome == "assigned" && r != nullptr)
        monitoring::observe(st.cfg.metrics.wait_seconds,
                            static_cast<double>(r->updated_ms - r->created_ms) /
                              1000.0);
    }
  }
}

} // namespace openassist::actors::desk_detail
