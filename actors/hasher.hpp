#pragma once

#include <map>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace openassist::actors {

using hash_atom = caf::atom_constant<caf::atom("hash")>;
using verify_atom = caf::atom_constant<caf::atom("verify")>;

/// Password hashing off the scheduler: argon2id is deliberately slow, so it
/// runs in a detached actor (spawn with caf::detached).
///
/// - `(hash_atom, passwords)` -> plaintext -> argon2id hash, for each
/// - `(verify_atom, stored_hash, password)` -> whether it matches
using hasher_actor = caf::typed_actor<
  caf::replies_to<hash_atom, std::vector<std::string>>::with<
    std::map<std::string, std::string>>,
  caf::replies_to<verify_atom, std::string, std::string>::with<bool>>;

hasher_actor::behavior_type hasher(hasher_actor::pointer self);

} // namespace openassist::actors
