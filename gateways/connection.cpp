#include "gateways/connection.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

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
  if (self->state.request_id.empty())
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

void customer_attach(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto account = text_of(msg, "account");
  auto request_id = text_of(msg, "request_id");
  auto token = text_of(msg, "token");
  if (account.empty() || account.size() > 40 || request_id.empty() ||
      token.empty())
    return send_error(st, "bad_field",
                      "account, request_id and token are required", id);
  if (st.user != 0)
    return send_error(st, "bad_state", "this connection is a console", id);
  st.busy = true;
  st.account = account;
  with_desk(self, account, id, [self, request_id, token, id](caf::actor desk) {
    self
      ->request(desk, desk_timeout, actors::desk_attach_atom::value, request_id,
                token, caf::actor_cast<caf::actor>(self))
      .then(
        [self, desk, request_id, token, id](unsigned status,
                                            std::string& body) {
          auto& st = self->state;
          st.busy = false;
          if (status == 200) {
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
  if (!st.request_id.empty())
    return send_error(st, "bad_state", "this connection follows a request", id);
  if (st.cfg.session_token.empty())
    return send_error(st, "unauthenticated", "please log in", id);
  st.busy = true;
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, id](std::string& account, uint64_t user, std::string&, bool) {
        if (account.empty()) {
          self->state.busy = false;
          return send_error(self->state, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        self->state.account = account;
        with_desk(self, account, id, [self, user, id](caf::actor desk) {
          self
            ->request(desk, desk_timeout, actors::desk_console_atom::value,
                      user, caf::actor_cast<caf::actor>(self))
            .then(
              [self, desk, user, id](unsigned status, std::string& body) {
                auto& st = self->state;
                st.busy = false;
                if (status == 200) {
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

// The session actor of `request`, looked up once per connection. Messages
// that arrive while the lookup is under way wait for it in order, so that a
// member's lines reach the session in the order they were sent.
void with_session(self_ptr self, const std::string& request, json id,
                  std::function<void(caf::actor)> next) {
  auto& st = self->state;
  if (auto i = st.sessions.find(request); i != st.sessions.end())
    return next(i->second);
  auto& waiting = st.session_waiting[request];
  waiting.emplace_back(std::move(next), id);
  if (waiting.size() > 1)
    return;
  self
    ->request(st.cfg.directory, desk_timeout, cluster::lookup_atom::value,
              "session/" + st.account + "/" + request)
    .then(
      [self, request](caf::actor& s) {
        auto& st = self->state;
        if (st.sessions.emplace(request, s).second)
          self->monitor(s);
        auto waiting = std::move(st.session_waiting[request]);
        st.session_waiting.erase(request);
        for (auto& [next, id] : waiting)
          next(s);
      },
      [self, request](caf::error&) {
        auto& st = self->state;
        auto waiting = std::move(st.session_waiting[request]);
        st.session_waiting.erase(request);
        for (auto& [next, id] : waiting)
          send_error(st, "not_found", "no such request", id);
      });
}

bool digits(const std::string& s) {
  return !s.empty() && s.size() < 19 &&
         s.find_first_not_of("0123456789") == std::string::npos;
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
  if (st.user != 0 || !st.request_id.empty())
    return send_error(st, "bad_state",
                      "this connection is a console or a customer page", id);
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, request, after_seq, id](std::string& account, uint64_t user,
                                     std::string&, bool) {
        if (account.empty())
          return send_error(self->state, "unauthenticated",
                            "session expired or unknown; please log in", id);
        self->state.account = account;
        with_desk(
          self, account, id,
          [self, user, request, after_seq, id](caf::actor desk) {
            self
              ->request(desk, desk_timeout, actors::desk_monitor_atom::value,
                        user, request)
              .then(
                [self, desk, request, after_seq, id](unsigned status,
                                                     std::string& body) {
                  if (status != 200)
                    return relay(self->state, status, body, id, [](json&) {});
                  watch_desk(self, desk);
                  self->state.observing.insert(request);
                  with_session(
                    self, request, id, [self, after_seq, id](caf::actor s) {
                      // Observers listen as a technician who is nobody: they
                      // see private notes, cannot write, and send no typing.
                      desk_message_to(
                        self, s,
                        caf::make_message(actors::session_subscribe_atom::value,
                                          caf::actor_cast<caf::actor>(self),
                                          true, uint64_t{0}, after_seq),
                        id);
                    });
                },
                [self, id](caf::error&) {
                  send_error(self->state, "unavailable", "try again", id);
                });
          });
      },
      [self, id](caf::error&) {
        send_error(self->state, "unavailable", "try again", id);
      });
}

void chat_message(self_ptr self, const std::string& kind, const json& msg,
                  const json& id) {
  auto& st = self->state;
  bool technician = st.user != 0;
  std::string request = technician ? text_of(msg, "request_id") : st.request_id;
  if (!digits(request))
    return send_error(st, "bad_field", "request_id: the request's id", id);
  if (kind == "chat.typing") {
    auto t = msg.find("typing");
    bool typing = t != msg.end() && t->is_boolean() && t->get<bool>();
    return with_session(self, request, id,
                        [self, technician, typing](caf::actor s) {
                          caf::anon_send(s, actors::session_typing_atom::value,
                                         technician, self->state.user, typing);
                        });
  }
  if (kind == "chat.send") {
    auto text = msg.find("text");
    if (text == msg.end() || !text->is_string())
      return send_error(st, "bad_field", "text: is required", id);
    auto client_id = text_of(msg, "client_id");
    auto p = msg.find("private");
    bool priv = p != msg.end() && p->is_boolean() && p->get<bool>();
    return with_session(self, request, id,
                        [self, technician, body = text->get<std::string>(),
                         client_id, priv, id](caf::actor s) {
                          desk_message_to(
                            self, s,
                            caf::make_message(actors::session_send_atom::value,
                                              technician, self->state.user,
                                              body, client_id, priv),
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
  auto subscribe = [self, technician, after, id](caf::actor s) {
    desk_message_to(self, s,
                    caf::make_message(actors::session_subscribe_atom::value,
                                      caf::actor_cast<caf::actor>(self),
                                      technician, self->state.user, after),
                    id);
  };
  if (!technician)
    return with_session(self, request, id, subscribe);
  // A technician reads the chat of a request they see in their console.
  json check = {{"type", "chat.authorize"}, {"request_id", request}};
  self
    ->request(st.desk, desk_timeout, actors::desk_command_atom::value, st.user,
              check.dump())
    .then(
      [self, request, id, subscribe](unsigned status, std::string& body) {
        if (status != 200)
          return relay(self->state, status, body, id, [](json&) {});
        with_session(self, request, id, subscribe);
      },
      [self, id](caf::error&) {
        send_error(self->state, "unavailable", "try again", id);
      });
}

} // namespace

connection_actor::behavior_type
connection(connection_actor::stateful_pointer<connection_state> self,
           connection_config cfg) {
  self->state.cfg = std::move(cfg);
  send(self->state, {{"type", "welcome"},
                     {"protocol", 1},
                     {"node_id", self->state.cfg.node_id},
                     {"version", self->state.cfg.version}});
  self->set_down_handler([self](caf::down_msg& msg) {
    bool session = false;
    for (auto& [r, s] : self->state.sessions)
      session |= s.address() == msg.source;
    if (session || msg.source == self->state.desk.address()) {
      // The desk restarts from storage; the client reattaches to it.
      self->state.cfg.out->close(1012, "service restart");
      self->quit();
    }
  });
  return {
    [self](ws_text_atom, const std::string& text) {
      auto& st = self->state;
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
        if (st.request_id.empty() || !st.desk)
          return send_error(st, "bad_state", "send customer.attach first", id);
        return desk_message(self,
                            caf::make_message(actors::desk_cancel_atom::value,
                                              st.request_id, st.token),
                            id, [](json&) {});
      }
      if (kind == "chat.resume" || kind == "chat.send" ||
          kind == "chat.typing") {
        if (!st.desk || (st.user == 0 && st.request_id.empty()))
          return send_error(st, "bad_state",
                            "send customer.attach or console.hello first", id);
        return chat_message(self, kind, *msg, id);
      }
      if (kind == "screen.request" || kind == "screen.accept" ||
          kind == "screen.decline" || kind == "screen.stop") {
        bool technician = st.user != 0;
        std::string request =
          technician ? text_of(*msg, "request_id") : st.request_id;
        if (!st.desk || (!technician && st.request_id.empty()) ||
            !digits(request))
          return send_error(st, "bad_state", "attach to a request first", id);
        auto action = kind.substr(7);
        return with_session(
          self, request, id, [self, technician, action, id](caf::actor s) {
            desk_message_to(
              self, s,
              caf::make_message(actors::session_screen_atom::value, technician,
                                self->state.user, action),
              id);
          });
      }
      if (kind == "monitor.attach")
        return monitor_attach(self, *msg, id);
      if (kind == "customer.rate") {
        if (st.request_id.empty() || !st.desk)
          return send_error(st, "bad_state", "send customer.attach first", id);
        return desk_message(self,
                            caf::make_message(actors::desk_rate_atom::value,
                                              st.request_id, st.token,
                                              msg->dump()),
                            id, [](json&) {});
      }
      if (st.user != 0 && st.desk && kind.find('.') != std::string::npos) {
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
      self->state.cfg.out->send_text(text);
    },
    [self](ws_binary_atom, std::string& bytes) {
      // Screen frames: only a customer page that follows a request sends them.
      auto& st = self->state;
      if (st.request_id.empty() || bytes.empty())
        return;
      if (auto i = st.sessions.find(st.request_id); i != st.sessions.end())
        caf::anon_send(i->second, actors::session_frame_atom::value,
                       std::move(bytes));
    },
    [self](actors::screen_frame_atom, const std::string& tagged) {
      auto& st = self->state;
      if (st.cfg.out->queued_bytes() > screen_queue_limit) {
        // A slow viewer skips frames (the next one is newer anyway) and the
        // sender is asked to lower quality.
        uint64_t request = 0;
        for (size_t i = 0; i < 8 && i < tagged.size(); ++i)
          request = (request << 8) | static_cast<unsigned char>(tagged[i]);
        if (auto i = st.sessions.find(std::to_string(request));
            i != st.sessions.end())
          caf::anon_send(i->second, actors::session_slow_atom::value);
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
            // The person may have been deleted or given another role since.
            bool console = st.user != 0;
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
