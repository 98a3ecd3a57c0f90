#include "gateways/connection.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "gateways/json_body.hpp"

namespace openassist::gateways {

const char* connection_state::name = "connection";

namespace {

using json = nlohmann::json;

void send(connection_state& st, const json& msg) {
  st.cfg.out->send_text(
    msg.dump(-1, ' ', false, json::error_handler_t::replace));
}

void send_error(connection_state& st, const char* code,
                const std::string& message, const json& id = nullptr) {
  json msg = {{"type", "error"}, {"error", {{"code", code}, {"message", message}}}};
  if (!id.is_null())
    msg["id"] = id;
  send(st, msg);
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
      if (*type == "ping") {
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
        json pong = {{"type", "pong"}, {"server_time_ms", now}};
        if (!id.is_null())
          pong["id"] = id;
        return send(st, pong);
      }
      send_error(st, "unknown_type",
                 "unknown message type '" + type->get<std::string>() + "'", id);
    },
    [self](ws_closed_atom) { self->quit(); },
  };
}

} // namespace openassist::gateways
