#pragma once

#include <caf/actor_system.hpp>

#include "actors/auth.hpp"
#include "cluster/directory.hpp"
#include "gateways/router.hpp"

namespace openassist::gateways {

struct api_context {
  caf::actor_system* sys = nullptr;
  cluster::directory_actor directory;
  actors::auth_actor auth;
  std::chrono::seconds timeout{15};  ///< per actor request
  bool secure_cookies = false;       ///< add "Secure" (served over HTTPS)
};

/// The REST API v1 of accounts, people and portals (docs/api.md): each route
/// authenticates (session cookie with CSRF token, or bearer token), then
/// forwards the operation to the caller's account actor through the
/// directory. No business rule lives here.
void add_api_v1_routes(router& r, api_context ctx);

/// Operator routes for the admin port: `POST /accounts` {"id","name",
/// "manager_email","manager_password"} creates a tenant with its first
/// company manager (201; 409 if the id or the login exists).
void add_operator_routes(router& r, api_context ctx);

} // namespace openassist::gateways
