// What a technician's console asks the live intake, already read from its
// JSON by the gateway (gateways/console_input.hpp): one typed command per
// message. The desk checks the rules (who may, what state, which values);
// the shape (which fields, of which types) was checked when it was read.
// Registered by name in the node's config, like every message that may
// cross a node.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openassist::actors {

/// The console's commands, by their `type` in docs/intake.md.
enum class console_op : uint8_t {
  status_set,        ///< status.set {status}
  code_create,       ///< code.create {portal_id}
  code_revoke,       ///< code.revoke {code}
  chat_authorize,    ///< chat.authorize {request_id}
  request_accept,    ///< request.accept {request_id}
  request_decline,   ///< request.decline {request_id}
  request_assign_me, ///< request.assign_me {request_id}
  request_unassign,  ///< request.unassign {request_id}
  request_join,      ///< request.join {request_id}
  request_transfer,  ///< request.transfer {request_id, technician_id | team_id,
                     ///< note}
  request_close,     ///< request.close {request_id, resolution, notes}
  request_invite,    ///< request.invite {request_id, technician_id | anyone,
                     ///< rights, hidden}
  invite_accept,     ///< invite.accept {request_id, invite_id}
  invite_decline,    ///< invite.decline {request_id, invite_id}
  request_leave,     ///< request.leave {request_id}
};

/// The command's name as the console sends it (and as events repeat it).
std::string_view name_of(console_op op);

/// The command of that name; none for a name the console protocol lacks.
std::optional<console_op> console_op_named(std::string_view name);

/// A command with the fields its kind uses; the others keep their defaults.
/// Ids are 0 when absent; text is "" when absent.
struct console_command {
  console_op op = console_op::status_set;
  uint64_t request_id = 0;
  uint64_t portal_id = 0;
  uint64_t technician_id = 0;
  uint64_t team_id = 0;
  uint64_t invite_id = 0;
  std::string status;     ///< status.set
  std::string code;       ///< code.revoke
  std::string resolution; ///< request.close
  std::string notes;      ///< request.close
  std::string note;       ///< request.transfer
  std::string rights;     ///< request.invite: view or full ("" is view)
  bool hidden = false;    ///< request.invite
  bool anyone = false;    ///< request.invite
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, console_command& x) {
  return f(x.op, x.request_id, x.portal_id, x.technician_id, x.team_id,
           x.invite_id, x.status, x.code, x.resolution, x.notes, x.note,
           x.rights, x.hidden, x.anyone);
}

} // namespace openassist::actors
