#include "gateways/upload_gate.hpp"

#include <memory>

#include <caf/event_based_actor.hpp>

#include "actors/intake/desk.hpp"
#include "gateways/public_api.hpp"

namespace openassist::gateways {

namespace {

std::string param(const path_params& params, const char* name) {
  auto i = params.find(name);
  return i == params.end() ? std::string{} : i->second;
}

bool valid_request_id(const std::string& id) {
  return !id.empty() && id.size() <= 18 &&
         id.find_first_not_of("0123456789") == std::string::npos;
}

// Inside a bridge: may `user` (0: the customer with `token`) send a file in
// request `id` of `account` now?
void ask_upload(const api_context& ctx, caf::event_based_actor* self,
                const std::string& account, const std::string& id,
                const std::string& token, uint64_t user, responder decide) {
  ask_desk(ctx, self, account,
           caf::make_message(actors::desk_upload_atom::value, id, token, user),
           decide, [=](std::string&) {
             decide(http_response{100, "application/json", {}, {}});
             self->quit();
           });
}

} // namespace

body_gate make_upload_gate(api_context ctx) {
  auto routes = std::make_shared<router>();
  routes->on_exception(ctx.on_exception);
  routes->add("POST",
              "/api/v1/public/portals/:account/:slug/requests/:id/files",
              [ctx](const http_request& req, const path_params& params,
                    responder decide) {
                auto account = param(params, "account");
                auto id = param(params, "id");
                if (!valid_account_id(account) || !valid_request_id(id))
                  return decide(
                    http_response::error(404, "not_found", "no such request"));
                auto token = std::string{req.header("X-Customer-Token")};
                spawn_bridge(ctx, decide, [=](caf::event_based_actor* self) {
                  ask_upload(ctx, self, account, id, token, 0, decide);
                });
              });
  routes->add("POST", "/api/v1/requests/:id/files",
              [ctx](const http_request& req, const path_params& params,
                    responder decide) {
                auto id = param(params, "id");
                if (!valid_request_id(id))
                  return decide(
                    http_response::error(404, "not_found", "no such request"));
                with_login(ctx, req, decide,
                           [=](caf::event_based_actor* self,
                               const std::string& account, uint64_t user) {
                             ask_upload(ctx, self, account, id, "", user,
                                        decide);
                           });
              });
  return [routes](const http_request& head, responder decide) {
    routes->dispatch(head, std::move(decide));
  };
}

} // namespace openassist::gateways
