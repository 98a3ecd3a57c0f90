#include "gateways/connection.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "gateways/account_id.hpp"
#include "gateways/json_body.hpp"

namespace openassist::gateways {

const char* connection_state::name = "connection";

namespace {

using json = nlohmann::json;
using self_ptr = connection_actor::stateful_pointer<connection_state>;

constexpr auto desk_timeout = std::chrono::seconds(15);

void send(connection_state& st, const json& msg) {
  st.cfg.out->send_text(
    msg.dump(-1, ' ', false, json::error_handler_t::replace));
}

void send_error(connection_state& st, const std::string& code,
                const std::string& message, const json& id = nullptr) {
  json msg = {{"type", "error"},
              {"error", {{"code", code}, {"message", message}}}};
  if (!id.is_null())
    msg["id"] = id;
  send(st, msg);
}

std::string text_of(const json& j, const char* key) {
  auto i = j.find(key);
  return i != j.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

// Forwards a desk reply: the body itself on success (`ok` decides the
// shape), the error format otherwise.
void relay(connection_state& st, unsigned status, const std::string& body,
           const json& id, const std::function<void(json&)>& ok) {
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_discarded())
    return send_error(st, "unavailable", "try again", id);
  if (status >= 300) {
    auto err = doc.value("error", json::object());
    json msg = {{"type", "error"}, {"error", err}};
    if (!id.is_null())
      msg["id"] = id;
    return send(st, msg);
  }
  ok(doc);
  if (!id.is_null() && doc.is_object())
    doc["id"] = id;
  send(st, doc);
}

// Watches the desk: if it stops, the client reconnects to a fresh one.
// Starts the periodic check of a logged-in connection's login.
void check_login_later(self_ptr self) {
  auto& st = self->state;
  if (st.login_checks || st.cfg.session_token.empty())
    return;
  st.login_checks = true;
  self->delayed_send(self, st.cfg.login_check_every, login_check_atom::value);
}

void watch_desk(self_ptr self, caf::actor desk) {
  // Consoles and observers hold a login; customer pages do not.
  if (self->state.role != connection_role::customer)
    check_login_later(self);
  if (self->state.desk == desk)
    return;
  self->state.desk = desk;
  self->monitor(desk);
}

void with_desk(self_ptr self, const std::string& account, json id,
               std::function<void(caf::actor)> next) {
  self
    ->request(self->state.cfg.directory, desk_timeout,
              cluster::lookup_atom::value, "desk/" + account)
    .then([next](caf::actor& desk) { next(desk); },
          [self, id](caf::error&) {
            self->state.busy = false;
            send_error(self->state, "not_found", "no such request", id);
          });
}

bool digits(const std::string& s) {
  return !s.empty() && s.size() < 19 &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

void customer_attach(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto account = text_of(msg, "account");
  auto request_id = text_of(msg, "request_id");
  auto token = text_of(msg, "token");
  if (account.empty() || request_id.empty() || token.empty())
    return send_error(st, "bad_field",
                      "account, request_id and token are required", id);
  if (!valid_account_id(account) || !digits(request_id) || token.size() > 128)
    return send_error(st, "not_found", "no such request, or a wrong token", id);
  if (st.role == connection_role::customer &&
      (account != st.account || request_id != st.request_id ||
       token != st.token))
    return send_error(st, "bad_state",
                      "this connection follows another request; open a new "
                      "one",
                      id);
  if (st.role == connection_role::console ||
      st.role == connection_role::observer)
    return send_error(st, "bad_state", "this connection is a console", id);
  // Nothing of the connection changes before the desk accepted the token.
  st.busy = true;
  with_desk(self, account, id,
            [self, account, request_id, token, id](caf::actor desk) {
              self
                ->request(desk, desk_timeout, actors::desk_attach_atom::value,
                          request_id, token, caf::actor_cast<caf::actor>(self))
                .then(
                  [self, desk, account, request_id, token,
                   id](unsigned status, std::string& body) {
                    auto& st = self->state;
                    st.busy = false;
                    if (status == 200) {
                      st.role = connection_role::customer;
                      st.account = account;
                      st.request_id = request_id;
                      st.token = token;
                      watch_desk(self, desk);
                    }
                    relay(st, status, body, id, [](json&) {});
                  },
                  [self, id](caf::error&) {
                    self->state.busy = false;
                    send_error(self->state, "unavailable", "try again", id);
                  });
            });
}

void console_hello(self_ptr self, const json& id) {
  auto& st = self->state;
  if (st.role == connection_role::customer)
    return send_error(st, "bad_state", "this connection follows a request", id);
  if (st.role == connection_role::observer)
    return send_error(st, "bad_state", "this connection watches sessions", id);
  if (st.cfg.session_token.empty())
    return send_error(st, "unauthenticated", "please log in", id);
  st.busy = true;
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, id](std::string& account, uint64_t user, std::string&, bool) {
        auto& st = self->state;
        if (account.empty()) {
          st.busy = false;
          return send_error(st, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        if (st.role == connection_role::console &&
            (account != st.account || user != st.user)) {
          st.busy = false;
          return send_error(st, "bad_state",
                            "this connection is another user's console", id);
        }
        with_desk(
          self, account, id, [self, account, user, id](caf::actor desk) {
            self
              ->request(desk, desk_timeout, actors::desk_console_atom::value,
                        user, caf::actor_cast<caf::actor>(self))
              .then(
                [self, desk, account, user, id](unsigned status,
                                                std::string& body) {
                  auto& st = self->state;
                  st.busy = false;
                  if (status == 200) {
                    st.role = connection_role::console;
                    st.account = account;
                    st.user = user;
                    watch_desk(self, desk);
                  }
                  relay(st, status, body, id, [](json&) {});
                },
                [self, id](caf::error&) {
                  self->state.busy = false;
                  send_error(self->state, "unavailable", "try again", id);
                });
          });
      },
      [self, id](caf::error&) {
        self->state.busy = false;
        send_error(self->state, "unavailable", "try again", id);
      });
}

void desk_message(self_ptr self, const caf::message& msg, json id,
                  std::function<void(json&)> ok) {
  self->request(self->state.desk, desk_timeout, msg)
    .then(
      [self, id, ok](unsigned status, std::string& body) {
        relay(self->state, status, body, id, ok);
      },
      [self, id](caf::error&) {
        send_error(self->state, "unavailable", "try again", id);
      });
}

// Sends to an actor that answers (status, body) and relays the body as is.
void desk_message_to(self_ptr self, const caf::actor& to,
                     const caf::message& msg, json id) {
  self->request(to, desk_timeout, msg)
    .then(
      [self, id](unsigned status, std::string& body) {
        relay(self->state, status, body, id, [](json&) {});
      },
      [self, id](caf::error&) {
        send_error(self->state, "unavailable", "try again", id);
      });
}

// A chat line to its session. No clock timeout per line: the session
// answers every line (its watchdog decides lines storage does not answer),
// and a session that stops is watched (set_down_handler). The ack, which the
// session made, goes out as it came, with the client's id put in front.
void chat_send_to(self_ptr self, const caf::actor& to, const caf::message& msg,
                  json id) {
  self->request(to, caf::infinite, msg)
    .then(
      [self, id](unsigned status, std::string& body) {
        if (status >= 300 || body.size() < 2 || body.front() != '{')
          return relay(self->state, status, body, id, [](json&) {});
        if (!id.is_null())
          body.insert(
            1, "\"id\":" +
                 id.dump(-1, ' ', false, json::error_handler_t::replace) +
                 (body.size() > 2 ? "," : ""));
        self->state.cfg.out->send_text(std::move(body));
      },
      [self, id](caf::error&) {
        send_error(self->state, "unavailable", "try again", id);
      });
}

std::string session_key(const connection_state& st,
                        const std::string& request) {
  return "session/" + st.account + "/" + request;
}

// How this connection proves who it is to a session: the customer's token,
// or the login of a console or an observer.
std::pair<const char*, std::string> credential(const connection_state& st) {
  if (st.role == connection_role::customer)
    return {actors::member_customer, st.token};
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
        auto [i, fresh] = st.sessions.emplace(key, session_link{s, "", false});
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
    self
      ->request(
        i->second.actor, desk_timeout, actors::session_subscribe_atom::value,
        caf::actor_cast<caf::actor>(self), std::string{role}, cred, live, after)
      .then(
        [self, key, live, id, next](unsigned status, std::string& body) {
          auto& st = self->state;
          auto link = st.sessions.find(key);
          auto doc = json::parse(body, nullptr, false);
          if (status == 200 && link != st.sessions.end() && doc.is_object()) {
            link->second.member = doc.value("member", std::string{});
            link->second.live |= live;
            doc.erase("member");
            if (live) {
              if (!id.is_null())
                doc["id"] = id;
              send(st, doc);
            }
            next(link->second);
          } else {
            relay(st, status, body, id, [](json&) {});
          }
          set_busy(self, key, false);
          pump(self, key);
        },
        [self, key, id](caf::error&) {
          send_error(self->state, "unavailable", "try again", id);
          set_busy(self, key, false);
          pump(self, key);
        });
  };
}

// Makes this connection a member of the session of `request` (the session
// checks the credential itself); with `live` it also (re)subscribes to the
// chat after `after` and the answer (chat.synced) goes to the client. `next`
// runs once this connection is a member; refusals are answered to the client.
void with_member(self_ptr self, const std::string& request, bool live,
                 uint64_t after, json id,
                 std::function<void(const session_link&)> next) {
  auto key = session_key(self->state, request);
  self->state.session_queue[key].ops.push_back(
    member_step(self, key, live, after, std::move(id), std::move(next)));
  pump(self, key);
}

// A manager watches a session invisibly: chat (with private notes) arrives,
// nothing is shown to anyone, nothing can be written.
void monitor_attach(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto request = text_of(msg, "request_id");
  auto after = msg.find("after_seq");
  uint64_t after_seq = after != msg.end() && after->is_number_unsigned()
                         ? after->get<uint64_t>()
                         : 0;
  if (!digits(request))
    return send_error(st, "bad_field", "request_id: the request's id", id);
  if (st.cfg.session_token.empty())
    return send_error(st, "unauthenticated", "please log in", id);
  if (st.role == connection_role::console ||
      st.role == connection_role::customer)
    return send_error(st, "bad_state",
                      "this connection is a console or a customer page", id);
  st.busy = true;
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, request, after_seq, id](std::string& account, uint64_t user,
                                     std::string&, bool) {
        auto& st = self->state;
        if (account.empty()) {
          st.busy = false;
          return send_error(st, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        if (st.role == connection_role::observer &&
            (account != st.account || user != st.user)) {
          st.busy = false;
          return send_error(st, "bad_state",
                            "this connection watches for another user", id);
        }
        with_desk(
          self, account, id,
          [self, account, user, request, after_seq, id](caf::actor desk) {
            self
              ->request(desk, desk_timeout, actors::desk_monitor_atom::value,
                        user, request)
              .then(
                [self, desk, account, user, request, after_seq,
                 id](unsigned status, std::string& body) {
                  auto& st = self->state;
                  st.busy = false;
                  if (status != 200)
                    return relay(st, status, body, id, [](json&) {});
                  st.role = connection_role::observer;
                  st.account = account;
                  st.user = user;
                  watch_desk(self, desk);
                  st.observing.insert(request);
                  // The session checks the login and the right to watch
                  // itself; the answer (chat.synced) goes to the client.
                  with_member(self, request, true, after_seq, id,
                              [](const session_link&) {});
                },
                [self, id](caf::error&) {
                  self->state.busy = false;
                  send_error(self->state, "unavailable", "try again", id);
                });
          });
      },
      [self, id](caf::error&) {
        self->state.busy = false;
        send_error(self->state, "unavailable", "try again", id);
      });
}

// The request a chat or screen message is about: the customer's own, or the
// one a console names.
std::string request_of(const connection_state& st, const json& msg) {
  return st.role == connection_role::customer ? st.request_id
                                              : text_of(msg, "request_id");
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
                        id](const session_link& s) {
                         chat_send_to(
                           self, s.actor,
                           caf::make_message(actors::session_send_atom::value,
                                             s.member, body, client_id, priv),
                           id);
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
    self, request, false, 0, id, [self, action, id](const session_link& s) {
      desk_message_to(
        self, s.actor,
        caf::make_message(actors::session_screen_atom::value, s.member, action),
        id);
    });
}

// A session told this connection it is no longer a member: later messages
// ask to join again (and are refused if they may not).
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

// An observer's right to watch is asked about again with every login check:
// a team manager moved off a team stops watching its sessions.
void recheck_observing(self_ptr self) {
  auto& st = self->state;
  for (auto& request :
       std::vector<std::string>(st.observing.begin(), st.observing.end()))
    self
      ->request(st.desk, desk_timeout, actors::desk_monitor_atom::value,
                st.user, request)
      .then(
        [self, request](unsigned status, std::string&) {
          auto& st = self->state;
          if (status != 403 && status != 404)
            return;
          st.observing.erase(request);
          auto i = st.sessions.find(session_key(st, request));
          if (i != st.sessions.end() && !i->second.member.empty()) {
            caf::anon_send(i->second.actor, actors::session_leave_atom::value,
                           i->second.member);
            i->second.member.clear();
            i->second.live = false;
          }
          send(st, {{"type", "chat.revoked"},
                    {"request_id", request},
                    {"reason", "you may no longer watch this session"}});
        },
        [](caf::error&) {});
}

} // namespace

connection_actor::behavior_type
connection(connection_actor::stateful_pointer<connection_state> self,
           connection_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.mailbox = monitoring::mailbox_probe(self->state.cfg.mailbox);
  self->attach_functor([self] { self->state.mailbox.report(0); });
  send(self->state, {{"type", "welcome"},
                     {"protocol", 1},
                     {"node_id", self->state.cfg.node_id},
                     {"version", self->state.cfg.version}});
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    bool restart = msg.source == st.desk.address();
    for (auto i = st.sessions.begin(); i != st.sessions.end();) {
      if (i->second.actor.address() != msg.source) {
        ++i;
        continue;
      }
      // A session that stopped because it was idle (it had no members) is
      // looked up again when next needed; one that failed restarts from
      // storage and its members reattach.
      restart |= msg.reason != caf::exit_reason::normal && i->second.live;
      i = st.sessions.erase(i);
    }
    if (restart) {
      st.cfg.out->close(1012, "service restart");
      self->quit();
    }
  });
  return {
    [self](ws_text_atom, const std::string& text) {
      auto& st = self->state;
      st.mailbox.sample(self);
      std::string problem;
      auto msg = parse_json(text, problem);
      if (!msg || !msg->is_object())
        return send_error(st, "bad_json",
                          msg ? "message must be a JSON object"
                              : "message is not valid JSON: " + problem);
      json id = nullptr;
      if (auto i = msg->find("id"); i != msg->end()) {
        if (!i->is_string() && !i->is_number_integer())
          return send_error(st, "bad_field", "id must be a string or integer");
        id = *i;
      }
      auto type = msg->find("type");
      if (type == msg->end() || !type->is_string())
        return send_error(st, "bad_field", "type must be a string", id);
      auto kind = type->get<std::string>();
      if (kind == "ping") {
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
        json pong = {{"type", "pong"}, {"server_time_ms", now}};
        if (!id.is_null())
          pong["id"] = id;
        return send(st, pong);
      }
      if (st.busy)
        return send_error(
          st, "busy", "wait for the answer to your last hello or attach", id);
      if (kind == "customer.attach")
        return customer_attach(self, *msg, id);
      if (kind == "console.hello")
        return console_hello(self, id);
      if (kind == "customer.cancel") {
        if (st.role != connection_role::customer)
          return send_error(st, "bad_state", "send customer.attach first", id);
        return desk_message(self,
                            caf::make_message(actors::desk_cancel_atom::value,
                                              st.request_id, st.token),
                            id, [](json&) {});
      }
      bool member = st.role == connection_role::customer ||
                    st.role == connection_role::console;
      if (kind == "chat.resume" || kind == "chat.send" ||
          kind == "chat.typing") {
        if (!member)
          return send_error(st, "bad_state",
                            "send customer.attach or console.hello first", id);
        return chat_message(self, kind, *msg, id);
      }
      if (kind == "screen.request" || kind == "screen.accept" ||
          kind == "screen.decline" || kind == "screen.stop") {
        if (!member)
          return send_error(st, "bad_state", "attach to a request first", id);
        return screen_message(self, kind, *msg, id);
      }
      if (kind == "monitor.attach")
        return monitor_attach(self, *msg, id);
      if (kind == "customer.wait" || kind == "customer.contact") {
        // Once nobody answered in time: keep waiting or leave an e-mail.
        if (st.role != connection_role::customer)
          return send_error(st, "bad_state", "send customer.attach first", id);
        return desk_message(self,
                            caf::make_message(actors::desk_choice_atom::value,
                                              st.request_id, st.token,
                                              msg->dump()),
                            id, [](json&) {});
      }
      if (kind == "customer.rate") {
        if (st.role != connection_role::customer)
          return send_error(st, "bad_state", "send customer.attach first", id);
        return desk_message(self,
                            caf::make_message(actors::desk_rate_atom::value,
                                              st.request_id, st.token,
                                              msg->dump()),
                            id, [](json&) {});
      }
      if (st.role == connection_role::console &&
          kind.find('.') != std::string::npos) {
        return desk_message(self,
                            caf::make_message(actors::desk_command_atom::value,
                                              st.user, msg->dump()),
                            id, [id](json& body) {
                              json ack = {{"type", "ack"}};
                              if (!id.is_null())
                                ack["id"] = id;
                              if (body.is_object())
                                ack.update(body);
                              body = std::move(ack);
                            });
      }
      send_error(st, "unknown_type", "unknown message type '" + kind + "'", id);
    },
    [self](actors::desk_push_atom, const std::string& text) {
      self->state.mailbox.sample(self);
      if (text.find("\"chat.revoked\"") != std::string::npos)
        forget_membership(self, text);
      self->state.cfg.out->send_text(text);
    },
    [self](ws_binary_atom, std::string& bytes) {
      // Screen frames: only a customer page that is a member of its
      // request's session sends them.
      auto& st = self->state;
      if (st.role != connection_role::customer || bytes.empty())
        return;
      auto i = st.sessions.find(session_key(st, st.request_id));
      if (i != st.sessions.end() && !i->second.member.empty())
        caf::anon_send(i->second.actor, actors::session_frame_atom::value,
                       i->second.member, std::move(bytes));
    },
    [self](actors::screen_frame_atom, const std::string& tagged) {
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
    },
    [self](ws_closed_atom) { self->quit(); },
    [self](login_check_atom) {
      auto& st = self->state;
      auto ended = [self](const char* message) {
        auto& st = self->state;
        st.cfg.out->send_text(
          json{{"type", "error"},
               {"error", {{"code", "unauthenticated"}, {"message", message}}}}
            .dump());
        st.cfg.out->close(4401, "login ended");
      };
      auto again = [self] {
        self->delayed_send(self, self->state.cfg.login_check_every,
                           login_check_atom::value);
      };
      self
        ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
                  st.cfg.session_token)
        .then(
          [self, ended, again](std::string& account, uint64_t user,
                               std::string&, bool) {
            auto& st = self->state;
            if (account.empty())
              return ended("your login has ended; please log in again");
            if (!st.desk)
              return again();
            if (st.role == connection_role::observer)
              recheck_observing(self);
            // The person may have been deleted or given another role since.
            bool console = st.role == connection_role::console;
            self
              ->request(st.desk, desk_timeout, actors::desk_user_atom::value,
                        user)
              .then(
                [ended, again, console](unsigned status, std::string& body) {
                  auto doc = json::parse(body, nullptr, false);
                  auto role = status == 200 && doc.is_object()
                                ? doc.value("role", std::string{})
                                : std::string{};
                  bool ok = console ? role == "technician"
                                    : !role.empty() && role != "technician";
                  if (status == 200 && !ok)
                    return ended("your user was removed or its role changed");
                  if (status == 404)
                    return ended("your user was removed");
                  again();
                },
                [again](caf::error&) { again(); });
          },
          [again](caf::error&) {
            // The auth service is busy: try again later rather than cut off.
            again();
          });
    },
  };
}

} // namespace openassist::gateways
