// Who is in a session (docs/sessions.md, "Who is in a session"): the
// session authorises its members itself; and the customer's presence.
#include <functional>
#include <optional>

#include <sodium.h>

#include "actors/identity/credentials.hpp"
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/session_internal.hpp"

namespace openassist::actors::session_detail {

// -- the customer's presence (docs/sessions.md) ------------------------------

// Tells the technicians and observers of an active session (or `only`)
// whether the customer's page is there.
void push_presence(self_ptr self, const caf::actor& only) {
  auto& st = self->state;
  if (st.status != "active")
    return;
  auto msg = st.presence.view();
  msg["type"] = "session.presence";
  msg["request_id"] = request_id(st);
  auto text = dump_text(msg);
  if (only) {
    caf::anon_send(only, desk_push_atom::value, text);
    return;
  }
  for (auto& s : st.subscribers)
    if (s.live && s.who.technician)
      caf::anon_send(s.conn, desk_push_atom::value, text);
}

bool customer_member(const session_state& st) {
  return std::any_of(
    st.subscribers.begin(), st.subscribers.end(),
    [](const session_subscriber& s) { return !s.who.technician; });
}

// A customer page became a member.
void customer_arrived(self_ptr self) {
  auto& st = self->state;
  if (st.presence.here())
    return;
  bool back = st.presence.arrived(st.cfg.now_ms());
  if (st.status != "active")
    return;
  push_presence(self);
  if (back)
    say(self, "customer_back", json::object(), true);
}

// Tells the desk that a manager started or stopped watching this session
// (the `managers` dashboards, docs/dashboards.md).
void tell_watching(self_ptr self, uint64_t user, bool on) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, std::chrono::seconds(10),
              cluster::lookup_atom::value, "desk/" + st.cfg.account)
    .then(
      [request = st.cfg.request, user, on](caf::actor& desk) {
        caf::anon_send(desk, desk_watching_atom::value, request, user, on);
      },
      [](caf::error&) {});
}

// -- members (docs/sessions.md, "Who is in a session") ----------------------

constexpr auto check_timeout = std::chrono::seconds(10);

caf::error refused() {
  // The same answer for every refusal: nothing tells a stranger whether the
  // request exists.
  return make_error(errc::not_found, "no such request");
}

session_subscriber* member(session_state& st, const std::string& key) {
  if (key.empty())
    return nullptr;
  for (auto& s : st.subscribers)
    if (s.key.size() == key.size() &&
        sodium_memcmp(s.key.data(), key.data(), key.size()) == 0)
      return &s;
  return nullptr;
}

// What a member's client ids are remembered under.
std::string sender_id(const session_member& who) {
  if (who.observer)
    return "o" + std::to_string(who.user);
  return who.technician ? "t" + std::to_string(who.technician_id) : "c";
}

void revoke(self_ptr self, const caf::actor& conn, const std::string& reason) {
  auto& st = self->state;
  caf::anon_send(conn, desk_push_atom::value,
                 dump_text(json{{"type", "chat.revoked"},
                                {"request_id", request_id(st)},
                                {"reason", reason}}));
  self->demonitor(conn);
  forget(self, conn.address());
}

// Whether the desk said no (rather than not answering).
bool denied(const caf::error& err) {
  return is(err, errc::forbidden) || is(err, errc::not_found);
}

// Asks the account's desk whether `user` may read (a technician) or watch
// (an observer) this request: `done` gets no error for yes, the desk's
// refusal (denied()) for no, another error when the desk did not answer.
void ask_desk(self_ptr self, bool observer, uint64_t user,
              std::function<void(const caf::error&)> done) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, check_timeout, cluster::lookup_atom::value,
              "desk/" + st.cfg.account)
    .then(
      [self, observer, user, done](caf::actor& desk) {
        auto id = request_id(self->state);
        auto msg = observer
                     ? caf::make_message(desk_monitor_atom::value, user, id)
                     : caf::make_message(desk_can_read_atom::value, user, id);
        self->request(desk, check_timeout, std::move(msg))
          .then([done](std::string&) { done(caf::error{}); },
                [done](caf::error& err) { done(err); });
      },
      [done](caf::error& err) { done(err); });
}

// A technician who left the session (transfer, hand-over, leave) stops
// listening at once; technicians who only read are asked about again.
void revoke_departed(self_ptr self, const std::set<uint64_t>& before) {
  auto& st = self->state;
  auto now = people(st);
  if (now == before)
    return;
  std::vector<caf::actor> gone;
  std::vector<std::pair<caf::actor, uint64_t>> readers;
  for (auto& s : st.subscribers) {
    if (!s.who.technician || s.who.observer)
      continue;
    if (before.count(s.who.technician_id) && !now.count(s.who.technician_id))
      gone.push_back(s.conn);
    else if (!now.count(s.who.technician_id))
      readers.emplace_back(s.conn, s.who.user);
  }
  for (auto& conn : gone)
    revoke(self, conn, "you are no longer in this session");
  for (auto& [conn, user] : readers)
    ask_desk(self, false, user, [self, conn = conn](const caf::error& err) {
      if (denied(err))
        revoke(self, conn, "you may no longer read this session");
    });
}

// Checks who asks to be a member; `done(member)` or `done(nullopt, refusal)`.
void authorise(
  self_ptr self, const std::string& role, const std::string& credential,
  std::function<void(std::optional<session_member>, caf::error)> done) {
  auto& st = self->state;
  if (credential.empty() || credential.size() > 256)
    return done(std::nullopt, refused());
  if (role == member_customer || role == member_app) {
    auto digest = token_digest(credential);
    if (st.token_digest.size() != digest.size() ||
        sodium_memcmp(st.token_digest.data(), digest.data(), digest.size()) !=
          0)
      return done(std::nullopt, refused());
    return done(session_member{false, 0, false, 0, role == member_app}, {});
  }
  if (role != member_technician && role != member_observer)
    return done(std::nullopt,
                make_error(errc::bad_field,
                           "role: customer, app, technician or observer"));
  if (!st.cfg.auth)
    return done(std::nullopt, make_error(errc::unavailable, "try again"));
  bool observer = role == member_observer;
  self->request(st.cfg.auth, check_timeout, authn_atom::value, credential)
    .then(
      [self, observer, done](std::string& account, uint64_t user, std::string&,
                             bool) {
        if (account != self->state.cfg.account || user == 0)
          return done(std::nullopt, refused());
        ask_desk(
          self, observer, user, [observer, user, done](const caf::error& err) {
            if (err)
              return done(std::nullopt,
                          denied(err)
                            ? refused()
                            : make_error(errc::unavailable, "try again"));
            session_member who;
            who.technician = true;
            who.observer = observer;
            who.technician_id = observer ? 0 : user;
            who.user = user;
            done(who, {});
          });
      },
      [done](caf::error&) {
        done(std::nullopt, make_error(errc::unavailable, "try again"));
      });
}

// Makes `conn` a member (or finds it one already); with `live` it receives
// the stored lines after `after` and from then on the session's events.
caf::expected<session_joined> join(self_ptr self, const caf::actor& conn,
                                   const session_member& who, bool live,
                                   uint64_t after, member_sink_ptr sink) {
  auto& st = self->state;
  session_subscriber* sub = nullptr;
  for (auto& s : st.subscribers)
    if (s.conn == conn)
      sub = &s;
  if (sub != nullptr && sender_id(sub->who) != sender_id(who))
    return make_error(errc::bad_state,
                      "this connection is in the session as someone else");
  std::string key;
  if (sub == nullptr) {
    self->monitor(conn);
    st.subscribers.push_back({conn, who, random_token(), false, nullptr});
    if (!who.technician)
      customer_arrived(self);
    if (who.observer)
      tell_watching(self, who.user, true);
    if (who.app)
      app_joined(self, conn);
    sub = &st.subscribers.back();
  }
  key = sub->key;
  if (sink)
    sub->sink = std::move(sink);
  if (!live)
    return session_joined{key, false, 0};
  // Stored lines first, then live ones: lines still being stored are pushed
  // to every live member when their commit arrives, so each line reaches the
  // member exactly once.
  auto err =
    read_lines(st, after + 1, st.seq.durable_seq, [&](const json& line) {
      if (may_see(st, who, line))
        caf::anon_send(conn, desk_push_atom::value,
                       dump_text(line_message(st, line)));
    });
  if (err)
    return make_error(errc::storage_unavailable, "the chat cannot be read now");
  for (auto& s : st.subscribers)
    if (s.conn == conn)
      s.live = true;
  count_viewers(st);
  if (who.technician)
    push_presence(self, conn);
  else
    screen_resync(self, conn);
  for (auto& s : st.subscribers)
    if (s.conn == conn)
      remote_resync(self, s);
  if (watches(st, who))
    want_keyframe(self);
  return session_joined{key, true, st.seq.durable_seq};
}

caf::result<session_joined> subscribe(self_ptr self, const caf::actor& conn,
                                      const std::string& role,
                                      const std::string& credential, bool live,
                                      uint64_t after, member_sink_ptr sink) {
  if (!conn)
    return make_error(errc::bad_field, "no connection");
  auto rp = self->make_response_promise<session_joined>();
  authorise(self, role, credential,
            [self, rp, conn, live, after, sink = std::move(sink)](
              std::optional<session_member> who, caf::error refusal) mutable {
              if (!who) {
                rp.deliver(std::move(refusal));
                return;
              }
              auto joined = join(self, conn, *who, live, after, sink);
              if (joined)
                rp.deliver(std::move(*joined));
              else
                rp.deliver(std::move(joined.error()));
            });
  return rp;
}

void leave(self_ptr self, const std::string& key) {
  if (auto* m = member(self->state, key)) {
    auto conn = m->conn;
    self->demonitor(conn);
    forget(self, conn.address());
  }
}

} // namespace openassist::actors::session_detail
