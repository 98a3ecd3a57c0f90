// The entity actors a node places through its directory (docs/ARCHITECTURE.md):
// accounts, their desks, dashboard monitors and sessions, each spawned on
// first use of its key and only for an account (and request) that exists.

#include <optional>
#include <tuple>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/dashboard/monitor.hpp"
#include "actors/intake/business_hours.hpp"
#include "actors/intake/desk.hpp"
#include "actors/org/account.hpp"
#include "actors/session/session.hpp"
#include "node/lifecycle.hpp"

namespace openassist::node {

namespace {

/// `<kind>/<account>/<id>` as (account, id), or nullopt when the id is not
/// 1 to 18 digits.
std::optional<std::pair<std::string, uint64_t>>
account_and_id(const std::string& key) {
  auto rest = key.substr(key.find('/') + 1);
  auto slash = rest.find('/');
  if (slash == std::string::npos)
    return std::nullopt;
  auto id = rest.substr(slash + 1);
  if (id.empty() || id.size() > 18 ||
      id.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::make_pair(rest.substr(0, slash), std::stoull(id));
}

} // namespace

cluster::directory_config node_runtime::entity_factories() {
  cluster::directory_config dcfg;
  dcfg.metrics = metrics_.actors;
  dcfg.factories.emplace(
    "account", [env = env_, persistence = persistence_, hasher = hasher_,
                run = std::chrono::seconds(cfg_.monitor_run_s)](
                 caf::actor_system& sys, const std::string& key) {
      actors::account_config acfg;
      acfg.id = key.substr(key.find('/') + 1);
      acfg.env = env;
      acfg.persistence = persistence;
      acfg.hasher = hasher;
      acfg.valid_time_zone = actors::valid_time_zone;
      acfg.monitor_run = run;
      return caf::actor_cast<caf::actor>(sys.spawn(actors::account, acfg));
    });
  // The desk of an account (intake, routing, presence) exists only for an
  // account that does: unknown names from the public routes spawn nothing.
  actors::desk_config desk_cfg;
  desk_cfg.env = env_;
  desk_cfg.persistence = persistence_;
  desk_cfg.mailer = mailer_;
  desk_cfg.metrics = metrics_.intake;
  desk_cfg.intake_per_address_per_min =
    static_cast<int>(cfg_.intake_per_address_per_min);
  desk_cfg.settings.offline_grace_ms =
    static_cast<int64_t>(cfg_.offline_grace_s) * 1000;
  desk_cfg.settings.restart_grace_ms =
    static_cast<int64_t>(cfg_.restart_grace_s) * 1000;
  desk_cfg.settings.max_open_requests = cfg_.max_open_requests;
  desk_cfg.rollup_interval = std::chrono::seconds(cfg_.rollup_interval_s);
  auto directory_handle = directory_handle_;
  auto auth_handle = auth_handle_;
  auto desk_public_url = desk_public_url_;
  dcfg.factories.emplace(
    "desk", [env = env_, desk_cfg, directory_handle,
             desk_public_url](caf::actor_system& sys, const std::string& key) {
      auto account = key.substr(key.find('/') + 1);
      auto exists = env->get(storage::table::entities, "account/" + account);
      if (!exists || !*exists)
        return caf::actor{};
      auto c = desk_cfg;
      c.account = account;
      c.directory = *directory_handle;
      c.public_url = *desk_public_url;
      return sys.spawn(actors::desk_actor, c);
    });
  // A dashboard monitor (key monitor/<account>/<id>); it asks the desk
  // whether the account has it, and stops if not.
  dcfg.factories.emplace(
    "monitor", [env = env_, directory_handle,
                auth_handle](caf::actor_system& sys, const std::string& key) {
      auto named = account_and_id(key);
      if (!named)
        return caf::actor{};
      actors::monitor_config c;
      std::tie(c.account, c.id) = *named;
      auto exists = env->get(storage::table::entities, "account/" + c.account);
      if (!exists || !*exists)
        return caf::actor{};
      c.directory = *directory_handle;
      c.auth = *auth_handle;
      c.now_ms = actors::wall_ms;
      return sys.spawn(actors::monitor_actor, c);
    });
  // The session of a request that exists (key session/<account>/<id>).
  dcfg.factories.emplace(
    "session", [env = env_, persistence = persistence_, directory_handle,
                auth_handle, metrics = metrics_.sessions, blobs = blobs_](
                 caf::actor_system& sys, const std::string& key) {
      auto named = account_and_id(key);
      if (!named)
        return caf::actor{};
      actors::session_config c;
      std::tie(c.account, c.request) = *named;
      auto exists = env->get(storage::table::requests,
                             actors::request_key(c.account, c.request));
      if (!exists || !*exists)
        return caf::actor{};
      c.env = env;
      c.persistence = persistence;
      c.directory = *directory_handle;
      c.auth = *auth_handle;
      c.metrics = metrics;
      c.blobs = blobs;
      return sys.spawn(actors::session_actor, c);
    });
  return dcfg;
}

} // namespace openassist::node
