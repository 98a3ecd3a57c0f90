// The customer's support app in a session (docs/remote-control.md): who may
// control the customer's computer and when, the input relayed to the app,
// the computer's details, and the technician's own screen shown to the
// customer.
#include <algorithm>

#include "actors/entity_store.hpp"
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/org/account.hpp"
#include "actors/session/session_internal.hpp"
#include "actors/session/session_lines.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors::session_detail {

namespace {

bool listed(const std::vector<uint64_t>& ids, uint64_t id) {
  return id != 0 && std::find(ids.begin(), ids.end(), id) != ids.end();
}

void push(const caf::actor& conn, const json& msg) {
  caf::anon_send(conn, desk_push_atom::value, dump_text(msg));
}

void to_live(const session_state& st, const json& msg, bool technicians,
             bool customers) {
  auto text = dump_text(msg);
  for (auto& s : st.subscribers)
    if (s.live && (s.who.technician ? technicians : customers))
      caf::anon_send(s.conn, desk_push_atom::value, text);
}

std::string name_of(const session_state& st, uint64_t tech) {
  session_member who;
  who.technician = true;
  who.technician_id = tech;
  return sender_name(st, who);
}

// The account keeps each step of remote control in its audit log; the
// session does not wait for it (a lost entry is logged).
void audit(self_ptr self, uint64_t tech, const std::string& action,
           json detail = json::object()) {
  auto& st = self->state;
  if (!st.cfg.directory || tech == 0)
    return;
  detail["request_id"] = request_id(st);
  auto args = dump_text(json{{"action", action},
                             {"target", "request/" + request_id(st)},
                             {"detail", std::move(detail)}});
  auto account = st.cfg.account;
  self
    ->request(st.cfg.directory, std::chrono::seconds(10),
              cluster::lookup_atom::value, "account/" + account)
    .then(
      [self, tech, args, account, action](caf::actor& acct) {
        self
          ->request(acct, std::chrono::seconds(30), account_op_atom::value,
                    tech, std::string{"session.audit"}, args)
          .then([](bool, std::string&) {},
                [account, action](caf::error& err) {
                  monitoring::component_logger("session")->warn(
                    "[session {}] audit entry {} not kept: {}", account, action,
                    message_of(err));
                });
      },
      [](caf::error&) {});
}

json control_state(const session_state& st, bool declined) {
  const auto& r = st.remote;
  return {{"type", "control.state"},
          {"request_id", request_id(st)},
          {"controlling", r.controller != 0},
          {"technician_id", r.controller},
          {"technician",
           r.controller != 0 ? json(name_of(st, r.controller)) : json(nullptr)},
          {"declined", declined}};
}

json presenting_state(const session_state& st) {
  const auto& r = st.remote;
  return {{"type", "screen.presenting"},
          {"request_id", request_id(st)},
          {"sharing", r.presenter_id != 0},
          {"technician", r.presenter_id != 0 ? json(name_of(st, r.presenter_id))
                                             : json(nullptr)}};
}

json diagnostics_message(const session_state& st) {
  auto data = json::parse(st.remote.diagnostics, nullptr, false);
  return {{"type", "diagnostics"},
          {"request_id", request_id(st)},
          {"data", data.is_discarded() ? json::object() : data},
          {"at", st.remote.diagnostics_at}};
}

std::string diagnostics_key(const session_state& st) {
  return "diagnostics/" + st.cfg.account + "/" + request_id(st);
}

} // namespace

// What the app's connection means to each technician: here or not, and
// what this technician's switches let them do with it.
void push_app_state(self_ptr self, const caf::actor& only) {
  auto& st = self->state;
  if (st.status != "active")
    return;
  for (auto& s : st.subscribers) {
    if (!s.live || !s.who.technician || (only && s.conn != only))
      continue;
    auto tech = s.who.technician_id;
    push(s.conn, {{"type", "app.state"},
                  {"request_id", request_id(st)},
                  {"connected", static_cast<bool>(st.remote.app)},
                  {"may_control", listed(st.remote.may_control, tech)},
                  {"may_diagnose", listed(st.remote.may_diagnose, tech)}});
  }
}

void end_control(self_ptr self) {
  auto& st = self->state;
  auto& r = st.remote;
  r.asked_by = 0;
  if (r.controller == 0)
    return;
  auto tech = r.controller;
  r.controller = 0;
  r.used = false;
  to_live(st, control_state(st, false), true, true);
  say(self, "control_ended", json::object());
  audit(self, tech, "control.ended");
}

void end_presenting(self_ptr self) {
  auto& st = self->state;
  auto& r = st.remote;
  if (r.presenter_id == 0)
    return;
  auto name = name_of(st, r.presenter_id);
  r.presenter = {};
  r.presenter_id = 0;
  to_live(st, presenting_state(st), true, true);
  say(self, "presenting_stopped", json{{"name", name}});
}

void app_joined(self_ptr self, const caf::actor& conn) {
  auto& st = self->state;
  if (st.remote.app == conn)
    return;
  if (auto old = st.remote.app) {
    // One app per session: the newest takes over (the customer started it
    // again, or on another computer).
    push(old, {{"type", "app.replaced"}});
    st.remote.app = {};
    end_control(self); // the new app has not been asked
    self->demonitor(old);
    forget(self, old.address());
  }
  st.remote.app = conn;
  push_app_state(self);
  if (st.status == "active")
    say(self, "app_joined", json::object());
}

void remote_left(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  if (st.remote.presenter && st.remote.presenter == who)
    end_presenting(self);
  if (!st.remote.app || st.remote.app.address() != who)
    return;
  st.remote.app = {};
  end_control(self);
  push_app_state(self);
  if (st.status == "active")
    say(self, "app_left", json::object());
}

void remote_news(self_ptr self, const session_news& news) {
  auto& st = self->state;
  auto& r = st.remote;
  r.may_control = news.may_control;
  r.may_diagnose = news.may_diagnose;
  bool active = st.status == "active";
  auto here = people(st);
  if (r.asked_by != 0 && (!active || !listed(r.may_control, r.asked_by)))
    r.asked_by = 0;
  if (r.controller != 0 && (!active || !listed(r.may_control, r.controller) ||
                            !here.count(r.controller)))
    end_control(self);
  if (r.presenter_id != 0 && (!active || !here.count(r.presenter_id)))
    end_presenting(self);
  push_app_state(self);
}

// A member back or new learns where remote control, the technician's
// screen and the computer's details stand.
void remote_resync(self_ptr self, const session_subscriber& s) {
  auto& st = self->state;
  if (st.status != "active")
    return;
  auto& r = st.remote;
  if (s.who.technician) {
    push_app_state(self, s.conn);
    if (!st.remote.diagnostics.empty() && watches(st, s.who))
      push(s.conn, diagnostics_message(st));
  }
  if (r.controller != 0)
    push(s.conn, control_state(st, false));
  if (r.presenter_id != 0)
    push(s.conn, presenting_state(st));
  if (s.who.app && r.asked_by != 0)
    push(s.conn, {{"type", "control.requested"},
                  {"request_id", request_id(st)},
                  {"technician", name_of(st, r.asked_by)}});
}

// A viewer joined while the app shares: the app sends a whole picture next
// (its tiles only make sense after one).
void want_keyframe(self_ptr self) {
  auto& st = self->state;
  if (st.sharing && st.remote.app && st.sharer == st.remote.app.address())
    push(st.remote.app, {{"type", "screen.keyframe"}});
}

caf::result<control_ack> control_action(self_ptr self, const std::string& key,
                                        const std::string& action) {
  auto& st = self->state;
  auto acting = acting_member(st, key);
  if (!acting)
    return std::move(acting.error());
  auto* m = *acting;
  auto& r = st.remote;
  auto tech = m->who.technician_id;
  if (action == "request" && m->who.technician) {
    if (!listed(r.may_control, tech))
      return make_error(errc::feature_off,
                        "remote control is not enabled for you here");
    if (!r.app)
      return make_error(errc::no_app,
                        "the customer's support app is not connected");
    if (r.controller == tech)
      return control_ack{action, true};
    r.asked_by = tech;
    push(r.app, {{"type", "control.requested"},
                 {"request_id", request_id(st)},
                 {"technician", name_of(st, tech)}});
    return control_ack{action, r.controller != 0};
  }
  if ((action == "accept" || action == "decline") && m->who.app) {
    if (r.asked_by == 0)
      return make_error(errc::not_requested,
                        "no technician asked for remote control");
    auto asker = r.asked_by;
    r.asked_by = 0;
    if (action == "decline") {
      to_live(st, control_state(st, true), true, true);
      say(self, "control_declined", json::object());
      audit(self, asker, "control.declined");
      return control_ack{action, r.controller != 0};
    }
    auto before = r.controller;
    r.controller = asker;
    r.used = false;
    to_live(st, control_state(st, false), true, true);
    say(self, "control_started", json{{"name", name_of(st, asker)}});
    if (before != 0 && before != asker)
      audit(self, before, "control.ended");
    audit(self, asker, "control.granted");
    return control_ack{action, true};
  }
  if (action == "stop") {
    end_control(self);
    return control_ack{action, false};
  }
  if (action == "accept" || action == "decline")
    return make_error(errc::not_yours,
                      "only the support app allows remote control");
  return make_error(errc::bad_field,
                    m->who.technician
                      ? "control: request or stop"
                      : "control: accept, decline (the app) or stop");
}

caf::result<uint64_t> control_input(self_ptr self, const std::string& key,
                                    const std::string& events) {
  auto& st = self->state;
  auto* m = member(st, key);
  auto& r = st.remote;
  if (m == nullptr || !m->who.technician || m->who.observer ||
      r.controller == 0 || m->who.technician_id != r.controller || !r.app ||
      st.status != "active")
    return make_error(errc::not_controlling,
                      "the customer has not given you control");
  caf::anon_send(r.app, desk_push_atom::value,
                 std::string{"{\"type\":\"control.input\",\"events\":"} +
                   events + "}");
  if (!r.used) {
    r.used = true;
    say(self, "control_used", json{{"name", name_of(st, r.controller)}});
    audit(self, r.controller, "control.used");
  }
  return uint64_t{1};
}

caf::result<bool> diagnostics_request(self_ptr self, const std::string& key) {
  auto& st = self->state;
  auto* m = member(st, key);
  if (m == nullptr)
    return make_error(errc::not_member,
                      "resume the chat of this request first");
  if (!m->who.technician || m->who.observer ||
      !may_act(st, m->who.technician_id))
    return make_error(errc::not_yours, "another technician has this session");
  if (st.status != "active")
    return make_error(errc::chat_not_open, "the session is not active");
  if (!listed(st.remote.may_diagnose, m->who.technician_id))
    return make_error(errc::feature_off,
                      "diagnostics are not enabled for you here");
  if (!st.remote.app)
    return make_error(errc::no_app,
                      "the customer's support app is not connected");
  push(st.remote.app,
       {{"type", "diagnostics.requested"}, {"request_id", request_id(st)}});
  return true;
}

caf::result<bool> diagnostics_report(self_ptr self, const std::string& key,
                                     const std::string& report) {
  auto& st = self->state;
  auto* m = member(st, key);
  if (m == nullptr || !m->who.app)
    return make_error(errc::not_yours, "only the support app reports");
  if (st.status != "active")
    return make_error(errc::chat_not_open, "the session is not active");
  if (report.size() > max_diagnostics_bytes)
    return make_error(errc::limited, "at most 48 KiB of details");
  // Stored with the system line that says so, in one write.
  auto at = st.cfg.now_ms();
  schema::entity_record rec{diagnostics_key(st), 0, 0,
                            dump_text(json{{"at", at}, {"report", report}})};
  schema::event_record ev{
    0, 0, "session.diagnostics", st.cfg.account, "request/" + request_id(st),
    ""};
  auto rp = self->make_response_promise<bool>();
  session_store::append(
    self,
    system_line("diagnostics_received", json{{"name", st.technician_name}},
                false),
    [self, rp, report, at](bool stored, uint64_t) mutable {
      if (!stored) {
        rp.deliver(make_error(errc::storage_unavailable,
                              "the details were not stored; send them again"));
        return;
      }
      auto& st = self->state;
      st.remote.diagnostics = report;
      st.remote.diagnostics_at = at;
      auto msg = dump_text(diagnostics_message(st));
      for (auto& s : st.subscribers)
        if (s.live && watches(st, s.who))
          caf::anon_send(s.conn, desk_push_atom::value, msg);
      rp.deliver(true);
    },
    entity_write(rec, std::move(ev)));
  return rp;
}

void read_diagnostics(session_state& st) {
  auto rec = load_entity(*st.cfg.env, diagnostics_key(st));
  if (!rec || !*rec)
    return;
  auto doc = json::parse((*rec)->body, nullptr, false);
  st.remote.diagnostics = value_or<std::string>(doc, "report", "");
  st.remote.diagnostics_at = value_or<int64_t>(doc, "at", 0);
}

caf::result<std::string> stored_diagnostics(const session_state& st) {
  if (st.remote.diagnostics.empty())
    return make_error(errc::not_found,
                      "no computer details were sent in this session");
  auto m = diagnostics_message(st);
  m.erase("type");
  return dump_text(m);
}

// The technician shows their own screen to the customer.
caf::result<screen_ack> present_action(self_ptr self, session_subscriber& m,
                                       const std::string& action) {
  auto& st = self->state;
  auto& r = st.remote;
  if (action == "present") {
    if (!m.who.technician || !may_act(st, m.who.technician_id))
      return make_error(errc::not_yours, "another technician has this session");
    if (r.presenter_id != 0 && r.presenter != m.conn.address())
      return make_error(errc::sharing, "a technician shows a screen already");
    if (r.presenter_id == 0) {
      r.presenter = m.conn.address();
      r.presenter_id = m.who.technician_id;
      to_live(st, presenting_state(st), true, true);
      say(self, "presenting_started",
          json{{"name", name_of(st, r.presenter_id)}});
    }
    return screen_ack{action, st.sharing};
  }
  // unpresent: the presenting technician, one who may act, or the customer.
  if (m.who.technician && !may_act(st, m.who.technician_id))
    return make_error(errc::not_yours, "another technician has this session");
  end_presenting(self);
  return screen_ack{action, st.sharing};
}

// A frame of the presenting technician's screen, to the customer's page and
// app (tagged with the request id, as technicians get the customer's).
void relay_presented(self_ptr self, const session_subscriber& from,
                     const std::string& bytes) {
  auto& st = self->state;
  if (st.status != "active" || st.remote.presenter_id == 0 ||
      st.remote.presenter != from.conn.address())
    return;
  auto tagged = std::make_shared<std::string>();
  tagged->reserve(bytes.size() + 8);
  storage::put_be(*tagged, st.cfg.request);
  *tagged += bytes;
  std::shared_ptr<const std::string> frame = std::move(tagged);
  for (auto& s : st.subscribers) {
    if (!s.live || s.who.technician)
      continue;
    if (s.sink) {
      s.sink->write_frame(frame);
    } else {
      caf::anon_send(s.conn, screen_frame_atom::value, *frame);
    }
  }
}

} // namespace openassist::actors::session_detail
