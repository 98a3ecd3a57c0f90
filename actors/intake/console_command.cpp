#include "actors/intake/console_command.hpp"

#include <array>
#include <utility>

namespace openassist::actors {

namespace {

constexpr std::array<std::pair<console_op, std::string_view>, 15> names{{
  {console_op::status_set, "status.set"},
  {console_op::code_create, "code.create"},
  {console_op::code_revoke, "code.revoke"},
  {console_op::chat_authorize, "chat.authorize"},
  {console_op::request_accept, "request.accept"},
  {console_op::request_decline, "request.decline"},
  {console_op::request_assign_me, "request.assign_me"},
  {console_op::request_unassign, "request.unassign"},
  {console_op::request_join, "request.join"},
  {console_op::request_transfer, "request.transfer"},
  {console_op::request_close, "request.close"},
  {console_op::request_invite, "request.invite"},
  {console_op::invite_accept, "invite.accept"},
  {console_op::invite_decline, "invite.decline"},
  {console_op::request_leave, "request.leave"},
}};

} // namespace

std::string_view name_of(console_op op) {
  for (auto& [o, name] : names)
    if (o == op)
      return name;
  return "unknown";
}

std::optional<console_op> console_op_named(std::string_view name) {
  for (auto& [o, n] : names)
    if (n == name)
      return o;
  return std::nullopt;
}

} // namespace openassist::actors
