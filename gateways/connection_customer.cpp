// A customer page's requests: attaching to its request, then cancel, wait,
// contact and rate through the account's desk.

#include <caf/all.hpp>

#include "gateways/account_id.hpp"
#include "gateways/connection_internal.hpp"
#include "gateways/customer_input.hpp"

namespace openassist::gateways::connection_detail {

void customer_attach(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto account = text_of(msg, "account");
  auto request_id = text_of(msg, "request_id");
  auto token = text_of(msg, "token");
  if (account.empty() || request_id.empty() || token.empty())
    return send_error(st, "bad_field",
                      "account, request_id and token are required", id);
  if (!valid_account_id(account) || !digits(request_id) || token.size() > 128)
    return send_error(st, "not_found", "no such request, or a wrong token", id);
  // The support app says so (docs/remote-control.md); a page says nothing.
  auto client = text_of(msg, "client");
  if (!client.empty() && client != "app" && client != "page")
    return send_error(st, "bad_field", "client: app or page", id);
  bool app = client == "app";
  if (st.role == connection_role::customer &&
      (account != st.account || request_id != st.request_id ||
       token != st.token || app != st.app))
    return send_error(st, "bad_state",
                      "this connection follows another request; open a new "
                      "one",
                      id);
  if (st.role == connection_role::console ||
      st.role == connection_role::observer)
    return send_error(st, "bad_state", "this connection is a console", id);
  // Nothing of the connection changes before the desk accepted the token.
  st.busy = true;
  with_desk(
    self, account, id,
    [self, account, request_id, token, app, id](caf::actor desk) {
      self
        ->request(desk, desk_timeout, actors::desk_attach_atom::value,
                  request_id, token, caf::actor_cast<caf::actor>(self))
        .then(
          [self, desk, account, request_id, token, app, id](std::string& body) {
            auto& st = self->state;
            st.busy = false;
            st.role = connection_role::customer;
            st.account = account;
            st.request_id = request_id;
            st.token = token;
            st.app = app;
            watch_desk(self, desk);
            relay(st, body, id, [](json&) {});
          },
          [self, id](caf::error& err) {
            self->state.busy = false;
            refusal(self->state, err, id);
          });
    });
}

void customer_request(self_ptr self, const std::string& kind, const json& msg,
                      const json& id) {
  auto& st = self->state;
  if (st.role != connection_role::customer)
    return send_error(st, "bad_state", "send customer.attach first", id);
  if (kind == "customer.cancel")
    return desk_message(self,
                        caf::make_message(actors::desk_cancel_atom::value,
                                          st.request_id, st.token),
                        id, [](json&) {});
  if (kind == "customer.rate")
    return desk_message(self,
                        caf::make_message(actors::desk_rate_atom::value,
                                          st.request_id, st.token,
                                          read_rating(msg)),
                        id, [](json&) {});
  // customer.wait or customer.contact: once nobody answered in time, keep
  // waiting or leave an e-mail.
  desk_message(self,
               caf::make_message(actors::desk_choice_atom::value, st.request_id,
                                 st.token, read_choice(msg)),
               id, [](json&) {});
}

} // namespace openassist::gateways::connection_detail
