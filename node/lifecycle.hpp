#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/identity/auth.hpp"
#include "actors/identity/hasher.hpp"
#include "cluster/directory.hpp"
#include "gateways/io_runtime.hpp"
#include "gateways/routes.hpp"
#include "gateways/server.hpp"
#include "monitoring/metrics.hpp"
#include "node/config.hpp"
#include "node/supervisor.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::node {

/// Parses the command line and config file into `cfg` and validates it;
/// returns a message naming the key on failure.
std::optional<std::string> parse_config(node_config& cfg, int argc,
                                        char** argv);

/// Start-up and orderly shutdown of one node's components, in dependency
/// order. Owns nothing but the handles; main owns the actor system.
class node_runtime {
public:
  node_runtime(caf::actor_system& sys, const node_config& cfg,
               monitoring::node_metrics& metrics);

  /// Opens storage, spawns the service actors, binds the ports, writes the
  /// ready file. Returns "" or what went wrong (naming the key).
  std::string start();

  /// Stops accepting, lets in-flight requests and writes finish, commits
  /// pending writes, stops the actors and the I/O threads. Idempotent.
  void stop();

  /// What stop() is doing, for the shutdown watchdog's message; shared so
  /// that it outlives the runtime during the actor system's own shutdown.
  std::shared_ptr<std::atomic<const char*>> step() const { return step_; }

  /// The HTTP/WebSocket I/O context (stopped by stop(), not destroyed). The
  /// caller keeps it until the actor system is gone: actors that stop late
  /// still hold answers for connections, whose sockets belong to it.
  std::shared_ptr<gateways::io_runtime> io() const { return io_; }

private:
  // start(), phase by phase.
  std::string open_storage(); ///< storage, the report facts, the writer
  /// Hasher, blobs, keyring, mailer, sweeper, memory keeper.
  void start_services(supervisor_config& sv);
  /// What the directory spawns by key (entities.cpp).
  cluster::directory_config entity_factories();
  /// Auth and the report mailer (they need the directory).
  void start_directory_services(supervisor_config& sv);
  gateways::server_options server_options() const;
  /// Counts and logs an exception at a handler boundary (answered 500).
  gateways::exception_hook exception_hook();
  std::string start_public(gateways::server_options opts,
                           const gateways::node_info& info);
  gateways::ws_routes websocket_routes(const gateways::node_info& info);
  std::string start_admin(gateways::server_options opts);
  void add_test_hooks(gateways::router& routes);

  std::shared_ptr<std::atomic<const char*>> step_ =
    std::make_shared<std::atomic<const char*>>("running");
  caf::actor_system& sys_;
  const node_config& cfg_;
  monitoring::node_metrics& metrics_;
  std::shared_ptr<std::atomic<bool>> ready_ =
    std::make_shared<std::atomic<bool>>(false);
  /// Why the node is not ready although started (a service died).
  std::shared_ptr<readiness> readiness_ = std::make_shared<readiness>();
  caf::actor supervisor_;
  std::shared_ptr<storage::environment> env_;
  storage::persistence_actor persistence_;
  cluster::directory_actor directory_;
  actors::hasher_actor hasher_;
  actors::auth_actor auth_;
  actors::mailer_actor mailer_;
  caf::actor blobs_;
  caf::actor keyring_;
  std::shared_ptr<gateways::io_runtime> io_;
  std::unique_ptr<gateways::http_server> public_;
  std::unique_ptr<gateways::http_server> admin_;
  /// Filled in once they exist, for the directory's factories made before:
  /// the directory itself, the auth service, and the base of links in
  /// customers' mails (node.public-url, else the public port's address,
  /// known once it is bound, before any desk can be spawned).
  std::shared_ptr<cluster::directory_actor> directory_handle_ =
    std::make_shared<cluster::directory_actor>();
  std::shared_ptr<actors::auth_actor> auth_handle_ =
    std::make_shared<actors::auth_actor>();
  std::shared_ptr<std::string> desk_public_url_;
  bool stopped_ = false;
};

} // namespace openassist::node
