// A technician's console: console.hello (authenticated by the session cookie
// of the upgrade request) and its commands to the account's desk.

#include <caf/all.hpp>

#include "gateways/connection_internal.hpp"
#include "gateways/console_input.hpp"

namespace openassist::gateways::connection_detail {

void console_hello(self_ptr self, const json& id) {
  auto& st = self->state;
  if (st.role == connection_role::customer)
    return send_error(st, "bad_state", "this connection follows a request", id);
  if (st.role == connection_role::observer)
    return send_error(st, "bad_state", "this connection watches sessions", id);
  if (st.cfg.session_token.empty())
    return send_error(st, "unauthenticated", "please log in", id);
  st.busy = true;
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, id](std::string& account, uint64_t user, std::string&, bool) {
        auto& st = self->state;
        if (account.empty()) {
          st.busy = false;
          return send_error(st, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        if (st.role == connection_role::console &&
            (account != st.account || user != st.user)) {
          st.busy = false;
          return send_error(st, "bad_state",
                            "this connection is another user's console", id);
        }
        with_desk(
          self, account, id, [self, account, user, id](caf::actor desk) {
            self
              ->request(desk, desk_timeout, actors::desk_console_atom::value,
                        user, caf::actor_cast<caf::actor>(self))
              .then(
                [self, desk, account, user, id](std::string& body) {
                  auto& st = self->state;
                  st.busy = false;
                  st.role = connection_role::console;
                  st.account = account;
                  st.user = user;
                  watch_desk(self, desk);
                  relay(st, body, id, [](json&) {});
                },
                [self, id](caf::error& err) {
                  self->state.busy = false;
                  refusal(self->state, err, id);
                });
          });
      },
      [self, id](caf::error&) {
        self->state.busy = false;
        send_error(self->state, "unavailable", "try again", id);
      });
}

void console_command(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto cmd = read_console(msg);
  if (!cmd)
    return refusal(st, cmd.error(), id);
  desk_message(self,
               caf::make_message(actors::desk_command_atom::value, st.user,
                                 std::move(*cmd)),
               id, [id](json& body) {
                 json ack = {{"type", "ack"}};
                 if (!id.is_null())
                   ack["id"] = id;
                 if (body.is_object())
                   ack.update(body);
                 body = std::move(ack);
               });
}

} // namespace openassist::gateways::connection_detail
