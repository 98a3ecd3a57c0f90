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

#include "actors/recording_crypto.hpp"
#include "storage/blob_store.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using key_set_atom = caf::atom_constant<caf::atom("key_set")>;
using key_list_atom = caf::atom_constant<caf::atom("key_list")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;
using recording_info_atom = caf::atom_constant<caf::atom("rec_info")>;
using recording_sweep_atom = caf::atom_constant<caf::atom("rec_sweep")>;

/// The portals' recording keys and the replay of recordings
/// (docs/recording.md), one per node. Spawn detached: argon2id and decryption
/// take CPU time.
///
/// - `(key_set_atom, account, portal_id, passphrase)` -> (status, body): a new
///   key pair for the portal's future recordings, wrapped with the passphrase
///   (at least 10 characters); body `{"generation","created_ms"}`.
/// - `(key_list_atom, account, portal_id)` -> (status, body)
///   `{"generations":[{"generation","created_ms"}]}`, newest first.
/// - `(replay_atom, account, request_id, passphrase)` -> (status, body): the
///   decrypted recording as a replay stream (`OAREPLAY1\n`, then records of
///   be32 length, kind byte, be64 time ms, payload), or an error:
///   `wrong_passphrase` (403), `no_recording` (404), `too_many_attempts` (429).
/// - `(recording_info_atom, account, request_id)` -> (status, body): whether
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
};

struct keyring_state {
  keyring_config cfg;
  /// Wrong passphrases per account: times of the last ones.
  std::map<std::string, std::vector<int64_t>> failures;
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
