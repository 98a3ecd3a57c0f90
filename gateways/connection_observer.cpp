// A manager watching sessions invisibly: monitor.attach, and the right to
// watch checked again with every login check.

#include <string>
#include <vector>

#include <caf/all.hpp>

#include "gateways/connection_internal.hpp"
#include "gateways/error_table.hpp"

namespace openassist::gateways::connection_detail {

// A manager watches a session invisibly: chat (with private notes) arrives,
// nothing is shown to anyone, nothing can be written.
void monitor_attach(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto request = text_of(msg, "request_id");
  auto after = msg.find("after_seq");
  uint64_t after_seq = after != msg.end() && after->is_number_unsigned()
                         ? after->get<uint64_t>()
                         : 0;
  if (!digits(request))
    return send_error(st, "bad_field", "request_id: the request's id", id);
  with_observer_login(
    self, id,
    [self, request, after_seq, id](const std::string& account, uint64_t user) {
      with_desk(self, account, id,
                [self, account, user, request, after_seq, id](caf::actor desk) {
                  self
                    ->request(desk, desk_timeout,
                              actors::desk_monitor_atom::value, user, request)
                    .then(
                      [self, desk, account, user, request, after_seq,
                       id](std::string&) {
                        auto& st = self->state;
                        st.busy = false;
                        st.role = connection_role::observer;
                        st.account = account;
                        st.user = user;
                        watch_desk(self, desk);
                        st.observing.insert(request);
                        // The session checks the login and the right to watch
                        // itself; the answer (chat.synced) goes to the client.
                        with_member(self, request, true, after_seq, id,
                                    [](const session_link&) {});
                      },
                      [self, id](caf::error& err) {
                        self->state.busy = false;
                        refusal(self->state, err, id);
                      });
                });
    });
}

void with_observer_login(
  self_ptr self, const json& id,
  std::function<void(const std::string&, uint64_t)> next) {
  auto& st = self->state;
  if (st.cfg.session_token.empty())
    return send_error(st, "unauthenticated", "please log in", id);
  if (st.role == connection_role::console ||
      st.role == connection_role::customer)
    return send_error(st, "bad_state",
                      "this connection is a console or a customer page", id);
  st.busy = true;
  self
    ->request(st.cfg.auth, desk_timeout, actors::authn_atom::value,
              st.cfg.session_token)
    .then(
      [self, id, next](std::string& account, uint64_t user, std::string&,
                       bool) {
        auto& st = self->state;
        if (account.empty()) {
          st.busy = false;
          return send_error(st, "unauthenticated",
                            "session expired or unknown; please log in", id);
        }
        if (st.role == connection_role::observer &&
            (account != st.account || user != st.user)) {
          st.busy = false;
          return send_error(st, "bad_state",
                            "this connection watches for another user", id);
        }
        next(account, user);
      },
      [self, id](caf::error&) {
        self->state.busy = false;
        send_error(self->state, "unavailable", "try again", id);
      });
}

void recheck_observing(self_ptr self) {
  auto& st = self->state;
  for (auto& request :
       std::vector<std::string>(st.observing.begin(), st.observing.end()))
    self
      ->request(st.desk, desk_timeout, actors::desk_monitor_atom::value,
                st.user, request)
      .then([](std::string&) {},
            [self, request](caf::error& err) {
              auto status = describe(err).status;
              if (status != 403 && status != 404)
                return;
              auto& st = self->state;
              st.observing.erase(request);
              auto i = st.sessions.find(session_key(st, request));
              if (i != st.sessions.end() && !i->second.member.empty()) {
                caf::anon_send(i->second.actor,
                               actors::session_leave_atom::value,
                               i->second.member);
                i->second.member.clear();
                i->second.live = false;
              }
              send(st, {{"type", "chat.revoked"},
                        {"request_id", request},
                        {"reason", "you may no longer watch this session"}});
            });
}

} // namespace openassist::gateways::connection_detail
