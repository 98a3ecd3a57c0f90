// What the session actor is told by the desk and what it answers
// (actors/session/session.hpp lists its messages): plain values, or a
// caf::error of actors::errc (or of storage::storage_errc when storage did not
// take a change). The gateways turn them into the client's JSON
// (gateways/session_events.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

/// The answer to `session_control_atom` (docs/remote-control.md).
struct control_ack {
  std::string action;       ///< request, accept, decline, stop
  bool controlling = false; ///< a technician controls the app's computer
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

/// A colleague in the session, as the desk tells it.
struct session_colleague {
  uint64_t technician_id = 0;
  std::string name; ///< as customers see it
  bool hidden = false;
  bool full = false; ///< full rights (else view only)
};

/// What the desk tells a session of its request (`session_update_atom`, and
/// its answer to `desk_request_atom`): who has it, in which state, how it is
/// recorded, and the system line its step adds to the chat.
struct session_news {
  std::string status; ///< waiting, assigned, active, closed, abandoned, ...
  uint64_t technician_id = 0;
  std::string technician_name; ///< as customers see it
  std::string customer_name;
  uint64_t portal_id = 0;
  bool records = false; ///< the portal records its sessions
  uint64_t recording_max_mb = 200;
  int64_t retention_days = 90;
  std::vector<session_colleague> colleagues;
  std::string token_digest; ///< of the customer's token
  /// The session's technicians (its technician and colleagues with full
  /// rights) whose feature switches allow remote control, and diagnostics,
  /// on this portal (docs/remote-control.md).
  std::vector<uint64_t> may_control;
  std::vector<uint64_t> may_diagnose;
  /// A system line to add (actors/session/session_lines.hpp): its code ("":
  /// none), parameters and whether it is for technicians only.
  std::string system_code;
  std::map<std::string, std::string> system_params;
  bool system_private = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_colleague& x) {
  return f(caf::meta::type_name("session_colleague"), x.technician_id, x.name,
           x.hidden, x.full);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_news& x) {
  return f(caf::meta::type_name("session_news"), x.status, x.technician_id,
           x.technician_name, x.customer_name, x.portal_id, x.records,
           x.recording_max_mb, x.retention_days, x.colleagues, x.token_digest,
           x.may_control, x.may_diagnose, x.system_code, x.system_params,
           x.system_private);
}

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
typename Inspector::result_type inspect(Inspector& f, control_ack& x) {
  return f(caf::meta::type_name("control_ack"), x.action, x.controlling);
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
