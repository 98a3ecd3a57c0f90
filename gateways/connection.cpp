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
  st.cfg.out->send_text(msg.dump(-1, ' ', false, json::error_handler_t::replace));
}

void send_error(connection_state& st, const std::string& code, const std::string& message,
                const json& id = nullptr) {
  json msg = {{"type", "error"}, {"error", {{"code", code}, {"message", message}}}};
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
void relay(connection_state& st, unsigned status, const std::string& body, const json& id,
           const std::function<void(json&)>& ok) {
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
void watch_desk(self_ptr self, caf::actor desk) {
  if (self->state.desk == desk)
    return;
  self->state.desk = desk;
  self->monitor(desk);
}

void with_desk(self_ptr self, const std::string& account, json id,
               std::function<void(caf::actor)> next) {
  self->request(self->state.cfg.directory, desk_timeout, cluster::lookup_atom::value,
                "desk/" + account)
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
  if (account.empty() || account.size() > 40 || request_id.empty() || token.empty())
    return send_error(st, "bad_field", "account, request_id and token are required", id);
  if (st.user != 0)
    return send_error(st, "bad_state", "this connection is a console", id);
  st.busy = true;
  with_desk(self, account, id, [self, request_id, token, id](caf::actor desk) {
    self->request(desk, desk_timeout, actors::desk_attach_atom::value, request_id, token,
                  caf::actor_cast<caf::actor>(self))
      .then(
        [self, desk, request_id, token, id](unsigned status, std::string& body) {
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
  self->request(st.cfg.auth, desk_timeout, actors::authn_atom::value, st.cfg.session_token)
    .then(
      [self, id](std::string& account, uint64_t user, std::string&, bool) {
        if (account.empty()) {
          self->state.busy = false;
          return send_error(self->state, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        with_desk(self, account, id, [self, user, id](caf::actor desk) {
          self->request(desk, desk_timeout, actors::desk_console_atom::value, user,
                        caf::actor_cast<caf::actor>(self))
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
      [self, id](caf::error&) { send_error(self->state, "unavailable", "try again", id); });
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
    if (msg.source == self->state.desk.address()) {
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
        return send_error(st, "busy", "wait for the answer to your last hello or attach",
                          id);
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
      if (st.user != 0 && st.desk && kind.find('.') != std::string::npos) {
        return desk_message(self,
                            caf::make_message(actors::desk_command_atom::value, st.user,
                                              msg->dump()),
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
    [self](ws_closed_atom) { self->quit(); },
  };
}

} // namespace openassist::gateways
