// Membership of sessions: looking a session up, joining it (one message per
// session at a time, in arrival order), and the chat and screen messages
// and frames of a member.

#include <string>
#include <utility>

#include <caf/all.hpp>

#include "gateways/connection_internal.hpp"
#include "gateways/error_table.hpp"
#include "gateways/session_events.hpp"

namespace openassist::gateways::connection_detail {

std::string session_key(const connection_state& st,
                        const std::string& request) {
  return "session/" + st.account + "/" + request;
}

void refusal(connection_state& st, const caf::error& err, const json& id) {
  json msg = {{"type", "error"}, {"error", error_object(describe(err))}};
  if (!id.is_null())
    msg["id"] = id;
  send(st, msg);
}

void answer(connection_state& st, json msg, const json& id) {
  if (!id.is_null())
    msg["id"] = id;
  send(st, msg);
}

namespace {

// The request id of a session key ("session/<account>/<request>").
std::string request_of_key(const std::string& key) {
  return key.substr(key.rfind('/') + 1);
}

// A chat line to its session. No clock timeout per line: the session
// answers every line (its watchdog decides lines storage does not answer),
// and a session that stops is watched (set_down_handler).
void chat_send_to(self_ptr self, const caf::actor& to, const caf::message& msg,
                  std::string request, json id) {
  self->request(to, caf::infinite, msg)
    .then(
      [self, request, id](const actors::chat_ack& ack) {
        answer(self->state, ack_event(request, ack), id);
      },
      [self, id](caf::error& err) { refusal(self->state, err, id); });
}

// How this connection proves who it is to a session: the customer's token,
// or the login of a console or an observer.
std::pair<const char*, std::string> credential(const connection_state& st) {
  if (st.role == connection_role::customer)
    return {st.app ? actors::member_app : actors::member_customer, st.token};
  if (st.role == connection_role::observer)
    return {actors::member_observer, st.cfg.session_token};
  return {actors::member_technician, st.cfg.session_token};
}

// Runs the waiting messages of a session until one waits for an answer.
void pump(self_ptr self, const std::string& key) {
  auto& queues = self->state.session_queue;
  for (;;) {
    auto q = queues.find(key);
    if (q == queues.end())
      return;
    if (q->second.busy)
      return;
    if (q->second.ops.empty()) {
      queues.erase(q);
      return;
    }
    auto op = std::move(q->second.ops.front());
    q->second.ops.pop_front();
    op();
  }
}

void set_busy(self_ptr self, const std::string& key, bool busy) {
  self->state.session_queue[key].busy = busy;
}

std::function<void()>
member_step(self_ptr self, std::string key, bool live, uint64_t after, json id,
            std::function<void(const session_link&)> next);

// Looks the session up (once per connection), then continues with `again`.
void look_up(self_ptr self, const std::string& key, json id,
             std::function<void()> again) {
  set_busy(self, key, true);
  self
    ->request(self->state.cfg.directory, desk_timeout,
              cluster::lookup_atom::value, key)
    .then(
      [self, key, again](caf::actor& s) {
        auto& st = self->state;
        auto [i, fresh] = st.sessions.emplace(
          key, session_link{s, "", false,
                            std::make_shared<socket_sink>(st.cfg.out)});
        if (fresh)
          self->monitor(s);
        set_busy(self, key, false);
        st.session_queue[key].ops.push_front(again);
        pump(self, key);
      },
      [self, key, id](caf::error&) {
        send_error(self->state, "not_found", "no such request", id);
        set_busy(self, key, false);
        pump(self, key);
      });
}

std::function<void()>
member_step(self_ptr self, std::string key, bool live, uint64_t after, json id,
            std::function<void(const session_link&)> next) {
  return [self, key, live, after, id, next] {
    auto& st = self->state;
    auto i = st.sessions.find(key);
    if (i == st.sessions.end())
      return look_up(self, key, id,
                     member_step(self, key, live, after, id, next));
    if (!i->second.member.empty() && !live)
      return next(i->second);
    auto [role, cred] = credential(st);
    set_busy(self, key, true);
    // While a resume is answered, the session's broadcasts wait in the sink:
    // they follow chat.synced (socket_sink.hpp).
    auto sink = i->second.sink;
    if (live)
      sink->hold();
    auto reopen = [sink, live] {
      if (live)
        sink->open();
    };
    self
      ->request(i->second.actor, desk_timeout,
                actors::session_subscribe_atom::value,
                caf::actor_cast<caf::actor>(self), std::string{role}, cred,
                live, after, actors::member_sink_ptr{sink})
      .then(
        [self, key, live, id, next,
         reopen](const actors::session_joined& joined) {
          auto& st = self->state;
          auto link = st.sessions.find(key);
          if (link != st.sessions.end()) {
            link->second.member = joined.member;
            link->second.live |= live;
            if (live)
              answer(st, synced_event(request_of_key(key), joined), id);
            reopen();
            next(link->second);
          } else {
            reopen();
            send_error(st, "unavailable", "try again", id);
          }
          set_busy(self, key, false);
          pump(self, key);
        },
        [self, key, id, reopen](caf::error& err) {
          refusal(self->state, err, id);
          reopen();
          set_busy(self, key, false);
          pump(self, key);
        });
  };
}

} // namespace

std::string request_of(const connection_state& st, const json& msg) {
  return st.role == connection_role::customer ? st.request_id
                                              : text_of(msg, "request_id");
}

void with_member(self_ptr self, const std::string& request, bool live,
                 uint64_t after, json id,
                 std::function<void(const session_link&)> next) {
  auto key = session_key(self->state, request);
  self->state.session_queue[key].ops.push_back(
    member_step(self, key, live, after, std::move(id), std::move(next)));
  pump(self, key);
}

void chat_message(self_ptr self, const std::string& kind, const json& msg,
                  const json& id) {
  auto& st = self->state;
  std::string request = request_of(st, msg);
  if (!digits(request))
    return send_error(st, "bad_field", "request_id: the request's id", id);
  if (kind == "chat.typing") {
    auto t = msg.find("typing");
    bool typing = t != msg.end() && t->is_boolean() && t->get<bool>();
    return with_member(
      self, request, false, 0, id, [typing](const session_link& s) {
        caf::anon_send(s.actor, actors::session_typing_atom::value, s.member,
                       typing);
      });
  }
  if (kind == "chat.send") {
    auto text = msg.find("text");
    if (text == msg.end() || !text->is_string())
      return send_error(st, "bad_field", "text: is required", id);
    auto client_id = text_of(msg, "client_id");
    auto p = msg.find("private");
    bool priv = p != msg.end() && p->is_boolean() && p->get<bool>();
    return with_member(self, request, false, 0, id,
                       [self, body = text->get<std::string>(), client_id, priv,
                        request, id](const session_link& s) {
                         chat_send_to(
                           self, s.actor,
                           caf::make_message(actors::session_send_atom::value,
                                             s.member, body, client_id, priv),
                           request, id);
                       });
  }
  // chat.resume
  uint64_t after = 0;
  if (auto a = msg.find("after_seq"); a != msg.end()) {
    if (!a->is_number_unsigned() &&
        !(a->is_number_integer() && a->get<int64_t>() >= 0))
      return send_error(st, "bad_field",
                        "after_seq: the last seq you have, or 0", id);
    after = a->get<uint64_t>();
  }
  with_member(self, request, true, after, id, [](const session_link&) {});
}

void screen_message(self_ptr self, const std::string& kind, const json& msg,
                    const json& id) {
  auto& st = self->state;
  auto request = request_of(st, msg);
  if (!digits(request))
    return send_error(st, "bad_state", "attach to a request first", id);
  auto action = kind.substr(7);
  with_member(
    self, request, false, 0, id,
    [self, request, action, id](const session_link& s) {
      self
        ->request(s.actor, desk_timeout, actors::session_screen_atom::value,
                  s.member, action)
        .then(
          [self, request, id](const actors::screen_ack& ack) {
            answer(self->state, screen_ack_event(request, ack), id);
          },
          [self, id](caf::error& err) { refusal(self->state, err, id); });
    });
}

void forget_membership(self_ptr self, const std::string& text) {
  auto doc = json::parse(text, nullptr, false);
  if (!doc.is_object())
    return;
  auto& st = self->state;
  auto request = doc.value("request_id", std::string{});
  if (auto i = st.sessions.find(session_key(st, request));
      i != st.sessions.end()) {
    i->second.member.clear();
    i->second.live = false;
  }
  st.observing.erase(request);
}

void frame_from_client(self_ptr self, std::string& bytes) {
  // Screen frames: a customer page or app that is a member of its request's
  // session; or a console showing its technician's screen, which tags each
  // frame with the request id (8 bytes big-endian) as it receives them.
  auto& st = self->state;
  std::string request = st.request_id;
  if (st.role == connection_role::console) {
    if (bytes.size() <= 8)
      return;
    uint64_t id = 0;
    for (size_t i = 0; i < 8; ++i)
      id = (id << 8) | static_cast<unsigned char>(bytes[i]);
    request = std::to_string(id);
    bytes.erase(0, 8);
  } else if (st.role != connection_role::customer || bytes.empty()) {
    return;
  }
  auto i = st.sessions.find(session_key(st, request));
  if (i != st.sessions.end() && !i->second.member.empty())
    caf::anon_send(i->second.actor, actors::session_frame_atom::value,
                   i->second.member, std::move(bytes));
}

void frame_to_client(self_ptr self, const std::string& tagged) {
  auto& st = self->state;
  if (st.cfg.out->queued_bytes() > screen_queue_limit) {
    // A slow viewer skips frames (the next one is newer anyway) and the
    // sender is asked to lower quality.
    uint64_t request = 0;
    for (size_t i = 0; i < 8 && i < tagged.size(); ++i)
      request = (request << 8) | static_cast<unsigned char>(tagged[i]);
    if (auto i = st.sessions.find(session_key(st, std::to_string(request)));
        i != st.sessions.end())
      caf::anon_send(i->second.actor, actors::session_slow_atom::value);
    return;
  }
  st.cfg.out->send_binary(tagged);
}

} // namespace openassist::gateways::connection_detail
