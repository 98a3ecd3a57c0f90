#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

namespace openassist::actors {

using hash_atom = caf::atom_constant<caf::atom("hash")>;
using verify_atom = caf::atom_constant<caf::atom("verify")>;
using hasher_workers_atom = caf::atom_constant<caf::atom("hash_wrk")>;

/// Password hashing off the scheduler: argon2id is deliberately slow.
///
/// - `(hash_atom, passwords)` -> plaintext -> argon2id hash, for each
/// - `(verify_atom, stored_hash, password)` -> whether it matches
///
/// One `hasher` is a single worker (spawn detached). The node uses a
/// `hasher_pool` behind the same interface.
using hasher_actor = caf::typed_actor<
  caf::replies_to<hash_atom, std::vector<std::string>>::with<
    std::map<std::string, std::string>>,
  caf::replies_to<verify_atom, std::string, std::string>::with<bool>>;

hasher_actor::behavior_type hasher(hasher_actor::pointer self);

/// A pool of detached `hasher` workers, sized to the cores, with the
/// hasher's interface plus `(hasher_workers_atom)` -> the workers now (for
/// tests and the node's test hooks).
///
/// Interactive work (a verify, or a hash of one password: logins, password
/// changes) goes first. A longer list (a bulk import) is split into chunks
/// of `chunk` passwords that queue behind it and use at most all workers
/// but one while interactive work waits, so a login waits for at most one
/// chunk, and an import still makes progress during a login flood. A worker
/// that dies is replaced; the job it had fails (the caller sees an error).
using hasher_pool_actor = hasher_actor::extend<
  caf::replies_to<hasher_workers_atom>::with<std::vector<caf::actor>>>;

struct hasher_pool_config {
  size_t workers = 0;        ///< 0: one per core
  size_t chunk = 4;          ///< passwords per bulk job
  size_t max_queued = 10000; ///< jobs waiting; beyond, callers get an error
  bool detached = true;      ///< false in deterministic tests
  /// Detached workers lower their thread's priority by this much (nice; 19
  /// is the lowest): hashing, memory-hard and slow by design, takes the
  /// cores only when live traffic leaves them.
  int nice = 19;
  /// Told when a worker died and was replaced.
  std::function<void()> on_restart;
};

struct hasher_pool_state {
  struct job {
    uint64_t id = 0;
    bool verify = false;
    std::vector<std::string> passwords;     ///< hash: the chunk
    std::string stored;                     ///< verify: the stored hash
    std::function<void(caf::message)> done; ///< the worker's answer
    std::function<void(caf::error)> failed;
  };
  struct worker {
    hasher_actor handle;
    uint64_t job = 0; ///< in flight, 0 when idle
    bool bulk = false;
  };
  hasher_pool_config cfg;
  std::vector<worker> workers;
  std::deque<job> interactive;
  std::deque<job> bulk;
  std::map<uint64_t, job> running;
  uint64_t next_job = 1;
  bool last_was_interactive = false;
  static const char* name;
};

hasher_pool_actor::behavior_type
hasher_pool(hasher_pool_actor::stateful_pointer<hasher_pool_state> self,
            hasher_pool_config cfg);

} // namespace openassist::actors
