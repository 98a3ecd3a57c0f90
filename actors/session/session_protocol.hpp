// What the session actor answers (actors/session/session.hpp lists its
// messages): plain values, or a caf::error of actors::errc (or of
// storage::storage_errc when storage did not take a change). The gateways
// turn them into the client's JSON (gateways/session_events.hpp).
#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

namespace openassist::actors {

/// The answer to `session_subscribe_atom`: the connection is a member.
struct session_joined {
  std::string member;    ///< the key the connection presents from now on
  bool live = false;     ///< resumed: the stored lines were pushed before it
  uint64_t last_seq = 0; ///< with `live`: every line up to it was stored
};

/// The answer to `session_send_atom`: the line is stored as `seq`.
struct chat_ack {
  uint64_t seq = 0;
  std::string client_id; ///< as the sender gave it
};

/// The answer to `session_screen_atom`.
struct screen_ack {
  std::string action;   ///< request, accept, decline, stop
  bool sharing = false; ///< the screen is shared after it
};

/// A file of a session's chat, as stored in the `files` table.
struct session_file {
  std::string id; ///< 32 hex digits
  std::string name;
  uint64_t size = 0;
  std::string mime = "application/octet-stream";
  bool from_technician = false;
  uint64_t technician_id = 0;
  bool hidden = false; ///< a hidden colleague's: technicians only
};

/// The answer to `session_file_atom`: the file's line is stored as `seq`.
struct file_sent {
  uint64_t seq = 0;
  session_file file;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_joined& x) {
  return f(caf::meta::type_name("session_joined"), x.member, x.live,
           x.last_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chat_ack& x) {
  return f(caf::meta::type_name("chat_ack"), x.seq, x.client_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, screen_ack& x) {
  return f(caf::meta::type_name("screen_ack"), x.action, x.sharing);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_file& x) {
  return f(caf::meta::type_name("session_file"), x.id, x.name, x.size, x.mime,
           x.from_technician, x.technician_id, x.hidden);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, file_sent& x) {
  return f(caf::meta::type_name("file_sent"), x.seq, x.file);
}

} // namespace openassist::actors
