#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/session/recording_crypto.hpp"
#include "storage/blob_store.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using key_set_atom = caf::atom_constant<caf::atom("key_set")>;
using key_list_atom = caf::atom_constant<caf::atom("key_list")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;
using recording_info_atom = caf::atom_constant<caf::atom("rec_info")>;
using recording_sweep_atom = caf::atom_constant<caf::atom("rec_sweep")>;
using replay_next_atom = caf::atom_constant<caf::atom("replay_nxt")>;
using replay_failed_atom = caf::atom_constant<caf::atom("replay_bad")>;

/// The portals' recording keys and the replay of recordings
/// (docs/recording.md), one per node. Spawn detached: argon2id and decryption
/// take CPU time.
///
/// Answers are the body (JSON text, or the replay's bytes with its cursor) or
/// a refusal of actors/errc.hpp whose details carry the client's code.
///
/// - `(key_set_atom, account, portal_id, passphrase)` -> body: a new
///   key pair for the portal's future recordings, wrapped with the passphrase
///   (at least 10 characters); body `{"generation","created_ms"}`.
/// - `(key_list_atom, account, portal_id)` -> body
///   `{"generations":[{"generation","created_ms"}]}`, newest first.
/// - `(replay_atom, account, request_id, passphrase)` -> (bytes, cursor): the
///   first piece of the decrypted recording as a replay stream
///   (`OAREPLAY1\n`, then records of be32 length, kind byte, be64 time ms,
///   payload), or a refusal: `wrong_passphrase` (forbidden), `no_recording`
///   (not_found), `too_many_attempts` (limited), `busy` (more than
///   `max_replays` at once). A non-empty cursor means more pieces follow:
/// - `(replay_next_atom, account, request_id, cursor)` -> (bytes, cursor):
///   the next piece (not_found `replay_gone` for an unknown or idle cursor).
///   A replay runs in its own actor (spawned detached): argon2id and the
///   decryption never hold up key operations; a piece is about
///   `replay_piece_bytes`, so no replay holds a recording whole.
/// - `(recording_info_atom, account, request_id)` -> body: whether
///   and how the session was recorded: `{"recorded","started_ms","ended_ms",
///   "bytes","truncated","expires_ms","generation","recording"}`.
/// - `(recording_sweep_atom)`: deletes recordings past their retention; runs
///   at start and every hour.
struct keyring_config {
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  std::shared_ptr<storage::blob_store> blobs;
  std::function<int64_t()> now_ms;
  std::chrono::milliseconds sweep_interval{3600 * 1000};
  size_t replay_piece_bytes = 1u << 20;
  size_t max_replays = 2;                       ///< at once; errc::busy beyond
  std::chrono::milliseconds replay_idle{60000}; ///< a cursor unused ends
  bool detached_replays = true; ///< false in deterministic tests
};

struct keyring_state {
  keyring_config cfg;
  /// Wrong passphrases per account: times of the last ones.
  std::map<std::string, std::vector<int64_t>> failures;
  struct replay_job {
    caf::actor worker;
    std::string account;
    uint64_t request = 0;
  };
  /// Replays under way, by cursor.
  std::map<std::string, replay_job> replays;
  static const char* name;
};

caf::behavior keyring_actor(caf::stateful_actor<keyring_state>* self,
                            keyring_config cfg);

/// Key of a portal's key pair in `portal_keys`, and of a recording in
/// `recordings`.
std::string portal_key_key(const std::string& account, uint64_t portal,
                           uint64_t generation);
std::string recording_key(const std::string& account, uint64_t request);

/// The portal's newest key pair (what new recordings are encrypted to).
std::optional<recording::portal_key>
current_portal_key(const storage::environment& env, const std::string& account,
                   uint64_t portal);

/// Wrong passphrases allowed per account in 10 minutes.
inline constexpr size_t replay_attempts = 10;

} // namespace openassist::actors
