#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using sweep_atom = caf::atom_constant<caf::atom("sweep")>;
using sweep_step_atom = caf::atom_constant<caf::atom("sweep_step")>;
using sweep_stats_atom = caf::atom_constant<caf::atom("sweep_stat")>;

/// Retention (docs/ARCHITECTURE.md, "Retention"): one per node. Deletes
/// what is older than its account's `retention_days` (default 365):
/// closed requests with their chat lines, files (rows, then blobs) and
/// recordings; events; the presence log; roll-ups older than 400 days; and
/// expired logins and reset links,
/// whatever their account. It works in small steps (`batch` records looked at,
/// one write) with a pause between them, so live traffic never waits long
/// behind it; a pass starts at spawn and every `interval`.
///
/// - `(sweep_atom)`: starts a pass now, unless one runs.
/// - `(sweep_stats_atom)` -> (passes finished, records deleted so far).
struct sweeper_config {
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  caf::actor blobs; ///< blobs_actor: files and recordings on disk
  std::chrono::milliseconds interval{3600 * 1000};
  std::chrono::milliseconds pause{200};
  size_t batch = 200;
  int default_retention_days = 365; ///< accounts without the setting
  std::function<int64_t()> now_ms;
};

struct sweeper_state {
  enum class phase {
    requests,
    events,
    presence,
    rollups,
    logins,
    resets,
    done
  };
  sweeper_config cfg;
  phase at = phase::done;
  std::string cursor; ///< next key to look at in the phase's table
  /// Retention (days) of the accounts met in this pass.
  std::map<std::string, int> retention;
  uint64_t passes = 0;
  uint64_t deleted = 0;
  bool step_pending = false;
  static const char* name;
};

caf::behavior sweeper(caf::stateful_actor<sweeper_state>* self,
                      sweeper_config cfg);

} // namespace openassist::actors
