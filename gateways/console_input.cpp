#include "gateways/console_input.hpp"

#include "actors/errc.hpp"

namespace openassist::gateways {

using json = nlohmann::json;
using actors::console_op;
using actors::errc;

namespace {

std::string text_of(const json& j, const char* key) {
  auto i = j.find(key);
  return i != j.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

// A positive whole number, or digits (ids are sent either way); 0 otherwise.
uint64_t id_of(const json& j, const char* key) {
  auto i = j.find(key);
  if (i == j.end())
    return 0;
  if (i->is_number_unsigned())
    return i->get<uint64_t>();
  if (i->is_number_integer() && i->get<int64_t>() > 0)
    return static_cast<uint64_t>(i->get<int64_t>());
  if (i->is_string()) {
    auto s = i->get<std::string>();
    if (!s.empty() && s.size() < 19 &&
        s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoull(s);
  }
  return 0;
}

caf::error refuse(std::string code, std::string field, std::string rule,
                  std::string message) {
  actors::error_details d;
  d.code = std::move(code);
  d.field = std::move(field);
  d.rule = std::move(rule);
  return actors::make_error(errc::bad_field, std::move(message), d);
}

} // namespace

caf::expected<actors::console_command> read_console(const json& msg) {
  if (!msg.is_object())
    return refuse("bad_json", "", "", "a command is a JSON object");
  auto type = text_of(msg, "type");
  auto op = actors::console_op_named(type);
  if (!op)
    return refuse("unknown_type", "", "",
                  "unknown message type '" + type + "'");
  actors::console_command cmd;
  cmd.op = *op;
  cmd.request_id = id_of(msg, "request_id");
  cmd.portal_id = id_of(msg, "portal_id");
  cmd.technician_id = id_of(msg, "technician_id");
  cmd.team_id = id_of(msg, "team_id");
  cmd.invite_id = id_of(msg, "invite_id");
  cmd.status = text_of(msg, "status");
  cmd.code = text_of(msg, "code");
  cmd.resolution = text_of(msg, "resolution");
  cmd.notes = text_of(msg, "notes");
  cmd.note = text_of(msg, "note");
  cmd.rights = text_of(msg, "rights");
  if (auto h = msg.find("hidden"); h != msg.end()) {
    if (!h->is_boolean())
      return refuse("bad_field", "hidden", "type", "hidden: true or false");
    cmd.hidden = h->get<bool>();
  }
  auto a = msg.find("anyone");
  cmd.anyone = a != msg.end() && a->is_boolean() && a->get<bool>();
  return cmd;
}

} // namespace openassist::gateways
