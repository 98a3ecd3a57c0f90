// The connection actor's behaviour: parsing and dispatching the client's
// messages, the login check, and the helpers its roles share.

#include "gateways/connection.hpp"
#include "actors/clock.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/errc.hpp"
#include "gateways/connection_internal.hpp"
#include "gateways/json_body.hpp"

namespace openassist::gateways {

const char* connection_state::name = "connection";

namespace connection_detail {

void send(connection_state& st, const json& msg) {
  st.cfg.out->send_text(
    msg.dump(-1, ' ', false, json::error_handler_t::replace));
}

void send_error(connection_state& st, const std::string& code,
                const std::string& message, const json& id) {
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

bool digits(const std::string& s) {
  return !s.empty() && s.size() < 19 &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

void relay(connection_state& st, const std::string& body, const json& id,
           const std::function<void(json&)>& ok) {
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_discarded())
    return send_error(st, "unavailable", "try again", id);
  ok(doc);
  if (!id.is_null() && doc.is_object())
    doc["id"] = id;
  send(st, doc);
}

namespace {

// Starts the periodic check of a logged-in connection's login.
void check_login_later(self_ptr self) {
  auto& st = self->state;
  if (st.login_checks || st.cfg.session_token.empty())
    return;
  st.login_checks = true;
  self->delayed_send(self, st.cfg.login_check_every, login_check_atom::value);
}

} // namespace

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

void desk_message(self_ptr self, const caf::message& msg, json id,
                  std::function<void(json&)> ok) {
  self->request(self->state.desk, desk_timeout, msg)
    .then(
      [self, id, ok](std::string& body) { relay(self->state, body, id, ok); },
      [self, id](caf::error& err) { refusal(self->state, err, id); });
}

} // namespace connection_detail

namespace {

using namespace connection_detail;

// Answers a message by its type, once no hello or attach is under way.
void dispatch(self_ptr self, const std::string& kind, const json& msg,
              const json& id) {
  auto& st = self->state;
  if (kind == "customer.attach")
    return customer_attach(self, msg, id);
  if (kind == "console.hello")
    return console_hello(self, id);
  if (kind == "customer.cancel" || kind == "customer.wait" ||
      kind == "customer.contact" || kind == "customer.rate")
    return customer_request(self, kind, msg, id);
  bool member =
    st.role == connection_role::customer || st.role == connection_role::console;
  if (kind == "chat.resume" || kind == "chat.send" || kind == "chat.typing") {
    if (!member)
      return send_error(st, "bad_state",
                        "send customer.attach or console.hello first", id);
    return chat_message(self, kind, msg, id);
  }
  if (kind == "screen.request" || kind == "screen.accept" ||
      kind == "screen.decline" || kind == "screen.stop" ||
      kind == "screen.share" || kind == "screen.present" ||
      kind == "screen.unpresent") {
    if (!member)
      return send_error(st, "bad_state", "attach to a request first", id);
    return screen_message(self, kind, msg, id);
  }
  if (kind.rfind("control.", 0) == 0 || kind.rfind("diagnostics.", 0) == 0) {
    if (!member)
      return send_error(st, "bad_state", "attach to a request first", id);
    if (kind == "control.input")
      return input_message(self, msg, id);
    if (kind == "control.request" || kind == "control.accept" ||
        kind == "control.decline" || kind == "control.stop")
      return control_message(self, kind, msg, id);
    if (kind == "diagnostics.request" || kind == "diagnostics.report")
      return diagnostics_message(self, kind, msg, id);
  }
  if (kind == "monitor.attach")
    return monitor_attach(self, msg, id);
  if (kind == "dashboard.watch")
    return dashboard_watch(self, msg, id);
  if (kind == "dashboard.unwatch")
    return dashboard_unwatch(self, msg, id);
  if (kind == "dashboards.follow")
    return dashboards_follow(self, id);
  if (st.role == connection_role::console &&
      kind.find('.') != std::string::npos)
    return console_command(self, msg, id);
  send_error(st, "unknown_type", "unknown message type '" + kind + "'", id);
}

// A text frame: one JSON object with a `type` and, optionally, an `id` that
// the answer repeats.
void on_text(self_ptr self, const std::string& text) {
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
    auto now = actors::wall_ms();
    json pong = {{"type", "pong"}, {"server_time_ms", now}};
    if (!id.is_null())
      pong["id"] = id;
    return send(st, pong);
  }
  if (st.busy)
    return send_error(st, "busy",
                      "wait for the answer to your last hello or attach", id);
  dispatch(self, kind, *msg, id);
}

// The desk or a session stopped.
void on_down(self_ptr self, const caf::down_msg& msg) {
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
}

// The periodic check of a console's or an observer's login: a login that
// ended, or a user removed or given another role, closes the connection.
void check_login(self_ptr self) {
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
      [self, ended, again](std::string& account, uint64_t user, std::string&,
                           bool) {
        auto& st = self->state;
        if (account.empty())
          return ended("your login has ended; please log in again");
        if (!st.desk)
          return again();
        if (st.role == connection_role::observer) {
          recheck_observing(self);
          recheck_dashboards(self);
        }
        // The person may have been deleted or given another role since.
        bool console = st.role == connection_role::console;
        self
          ->request(st.desk, desk_timeout, actors::desk_user_atom::value, user)
          .then(
            [ended, again, console](std::string& body) {
              auto doc = json::parse(body, nullptr, false);
              auto role = doc.is_object() ? doc.value("role", std::string{})
                                          : std::string{};
              bool ok = console ? role == "technician"
                                : !role.empty() && role != "technician";
              if (!ok)
                return ended("your user was removed or its role changed");
              again();
            },
            [ended, again](caf::error& err) {
              if (actors::is(err, actors::errc::not_found))
                return ended("your user was removed");
              again();
            });
      },
      [again](caf::error&) {
        // The auth service is busy: try again later rather than cut off.
        again();
      });
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
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  return {
    [self](ws_text_atom, const std::string& text) {
      self->state.mailbox.sample(self);
      on_text(self, text);
    },
    [self](actors::desk_push_atom, const std::string& text) {
      self->state.mailbox.sample(self);
      if (text.find("\"chat.revoked\"") != std::string::npos)
        forget_membership(self, text);
      self->state.cfg.out->send_text(text);
    },
    [self](actors::desk_push_atom, const actors::shared_text& text) {
      self->state.mailbox.sample(self);
      if (text.text)
        self->state.cfg.out->send_shared(text.text);
    },
    [self](ws_binary_atom, std::string& bytes) {
      frame_from_client(self, bytes);
    },
    [self](actors::screen_frame_atom, const std::string& tagged) {
      frame_to_client(self, tagged);
    },
    [self](ws_closed_atom) { self->quit(); },
    [self](login_check_atom) { check_login(self); },
  };
}

} // namespace openassist::gateways
