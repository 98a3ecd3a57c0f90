#pragma once

#include <atomic>

#include <functional>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/identity/auth.hpp"
#include "actors/session/recording_export.hpp"
#include "cluster/directory.hpp"
#include "gateways/router.hpp"

namespace openassist::gateways {

class app_codes;

struct api_context {
  caf::actor_system* sys = nullptr;
  cluster::directory_actor directory;
  actors::auth_actor auth;
  caf::actor blobs{};               ///< actors::blobs_actor (files, recordings)
  caf::actor keyring{};             ///< actors::keyring_actor (recording keys)
  std::chrono::seconds timeout{15}; ///< per actor request
  bool secure_cookies = false;      ///< add "Secure" (served over HTTPS)
  exception_hook on_exception{};    ///< told of exceptions in bridges
  /// The support app's join codes (app_codes.hpp); none: no app joins.
  std::shared_ptr<app_codes> join_codes{};
  /// WebM exports of recordings (actors/session/recording_export.hpp): the
  /// ffmpeg program, the private directory of the files being made, the
  /// largest video served, and how many run now (one at a time).
  struct export_settings {
    /// Spawns an exporter (recording_export.hpp) with its configuration;
    /// none: exports answer 503 export_failed.
    std::function<caf::actor(const actors::recording::exporter_config&)> spawn;
    std::string ffmpeg = "ffmpeg";
    std::string work_dir = "./data/exports";
    uint64_t max_bytes = 200ull << 20;
    std::shared_ptr<std::atomic<int>> running =
      std::make_shared<std::atomic<int>>(0);
  } exports{};
};

/// Spawns the one-shot bridge actor of a request and runs `init(self)` in
/// it. An exception thrown there or in any later handler of that actor
/// answers the client 500 (through `respond`, the router's at-most-once
/// responder, so nothing is answered twice), is reported to
/// `ctx.on_exception` as "bridge" and ends the actor; the node lives on.
void spawn_bridge(const api_context& ctx, const responder& respond,
                  std::function<void(caf::event_based_actor*)> init);

/// The REST API v1 of accounts, people and portals (docs/api.md): each route
/// authenticates (session cookie with CSRF token, or bearer token), then
/// forwards the operation to the caller's account actor through the
/// directory. No business rule lives here.
void add_api_v1_routes(router& r, api_context ctx);

/// Authenticates a request (session cookie with the CSRF token for unsafe
/// methods, or a bearer token) and runs `next(self, account, user)` inside a
/// one-shot bridge actor, which `next` must end with `self->quit()`.
void with_login(
  const api_context& ctx, const http_request& req, responder respond,
  std::function<void(caf::event_based_actor*, const std::string&, uint64_t)>
    next);

/// Operator routes for the admin port: `POST /accounts` {"id","name",
/// "manager_email","manager_password"} creates a tenant with its first
/// company manager (201; 409 if the id or the login exists).
void add_operator_routes(router& r, api_context ctx);

} // namespace openassist::gateways
