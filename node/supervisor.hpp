#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

// Supervision of the node's service actors (docs/ARCHITECTURE.md,
// "Supervision"): a service that dies is restarted behind a stable proxy
// handle, or, where a restart is not safe, the node reports not ready.
namespace openassist::node {

using proxy_target_atom = caf::atom_constant<caf::atom("px_target")>;
using service_kill_atom = caf::atom_constant<caf::atom("svc_kill")>;
using service_status_atom = caf::atom_constant<caf::atom("svc_stat")>;
using service_restart_atom = caf::atom_constant<caf::atom("svc_again")>;

/// Why the node is not ready, shared with the admin port's /readyz.
class readiness {
public:
  void set(const std::string& what, std::string why);
  void clear(const std::string& what);
  /// "" when ready, else every reason, "; "-separated.
  std::string why_not() const;

private:
  mutable std::mutex m_;
  std::map<std::string, std::string> reasons_;
};

/// A stable handle in front of a service that may be restarted: forwards
/// every message to the current incarnation (delegating, so the answer goes
/// to the sender) and holds up to `max_held` messages while there is none.
/// `(proxy_target_atom, actor)` sets the incarnation (an invalid actor: none).
caf::actor spawn_proxy(caf::actor_system& sys, std::string name,
                       size_t max_held = 10000);

struct service_spec {
  std::string name;
  /// Spawns an incarnation; null for a service that is not restarted (its
  /// `actor` is only watched, and its death makes the node not ready).
  std::function<caf::actor(caf::actor_system&)> spawn;
  /// The handle the others hold: the proxy of a restarted service, else the
  /// service itself.
  caf::actor handle;
  /// Restarted services: the proxy (spawn_proxy).
  caf::actor proxy;
};

struct supervisor_config {
  std::vector<service_spec> services;
  std::shared_ptr<readiness> ready;
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{10000};
  /// An incarnation that lived this long resets the back-off.
  std::chrono::milliseconds stable_after{60000};
  prometheus::Family<prometheus::Counter>* restarts = nullptr; ///< service
  prometheus::Family<prometheus::Gauge>* up = nullptr;         ///< service
};

/// A configuration with the supervisor's metrics registered in `registry`
/// (openassist_service_restarts_total, openassist_service_up) and `ready`.
supervisor_config supervision(prometheus::Registry& registry,
                              std::shared_ptr<readiness> ready);

struct supervisor_state {
  struct service {
    service_spec spec;
    caf::actor current;
    std::chrono::steady_clock::time_point started;
    size_t failures = 0; ///< in a row, for the back-off
    uint64_t restarts = 0;
  };
  supervisor_config cfg;
  std::map<std::string, service> services;
  static const char* name;
};

/// The node supervisor. Spawns the restarted services' first incarnations
/// and watches all of them.
///
/// - `(service_status_atom)` -> JSON `{"<service>":{"up","restarts"}}`
/// - `(service_kill_atom, name)` -> whether there was such a service (test
///   hook: ends its incarnation as a crash would, with reason
///   unhandled_exception; "hasher-worker" ends a worker of the hasher pool).
/// Incarnations are linked to the supervisor (an exit reason `kill` cannot
/// be trapped and would take the supervisor along: nothing sends it).
/// On its own exit it stops every incarnation it started.
caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         supervisor_config cfg);

} // namespace openassist::node
