#include "gateways/session_events.hpp"

#include "actors/session/file_record.hpp"

namespace openassist::gateways {

using json = nlohmann::json;

json synced_event(const std::string& request_id,
                  const actors::session_joined& x) {
  return {{"type", "chat.synced"},
          {"request_id", request_id},
          {"last_seq", x.last_seq}};
}

json ack_event(const std::string& request_id, const actors::chat_ack& x) {
  return {{"type", "chat.ack"},
          {"request_id", request_id},
          {"client_id", x.client_id},
          {"seq", x.seq}};
}

json screen_ack_event(const std::string& request_id,
                      const actors::screen_ack& x) {
  json out = {{"type", "ack"}, {"request_id", request_id}};
  if (x.action != "request")
    out["sharing"] = x.sharing;
  return out;
}

json file_sent_event(const std::string& request_id,
                     const actors::file_sent& x) {
  return {{"type", "file.sent"},
          {"request_id", request_id},
          {"seq", x.seq},
          {"file", actors::file_record(x.file)}};
}

} // namespace openassist::gateways
