#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "monitoring/metrics.hpp"

namespace openassist::cluster {

/// Why the directory could not hand out an entity.
enum class directory_errc : uint8_t {
  bad_key = 1,  ///< not of the form <kind>/<id>, or too long
  unknown_kind, ///< no factory for the kind
  spawn_failed, ///< the factory returned an invalid actor
};

const char* to_string(directory_errc x);

inline caf::error make_error(directory_errc x, std::string context = {}) {
  return {static_cast<uint8_t>(x), caf::atom("directory"),
          caf::make_message(std::move(context))};
}

using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using count_atom = caf::atom_constant<caf::atom("count")>;

/// Spawns the actor of one entity; it rehydrates its own state from storage
/// before it handles its first message.
using entity_factory =
  std::function<caf::actor(caf::actor_system& sys, const std::string& key)>;

/// The one way to reach an entity actor. Keys are `<kind>/<id>` (e.g.
/// `portal/7`). On one node it is a local map; the cluster replaces its
/// placement, so no other component keeps entity actors by other means.
///
/// - `(lookup_atom, key)` -> the live actor for the key, spawned on first use
///   (and again after it stopped); errors: bad_key, unknown_kind,
///   spawn_failed.
/// - `(count_atom)` -> number of live entity actors.
using directory_actor =
  caf::typed_actor<caf::replies_to<lookup_atom, std::string>::with<caf::actor>,
                   caf::replies_to<count_atom>::with<uint64_t>>;

struct directory_config {
  std::unordered_map<std::string, entity_factory> factories; ///< by kind
  monitoring::actor_metrics metrics;
};

struct directory_state {
  directory_config cfg;
  std::unordered_map<std::string, caf::actor> live;        ///< by key
  std::unordered_map<caf::actor_addr, std::string> key_of; ///< for down_msg
  static const char* name;
};

/// Longest accepted entity key.
inline constexpr size_t max_key_length = 256;

/// Splits `key` into kind and id, or returns false for a malformed key.
bool split_key(const std::string& key, std::string& kind, std::string& id);

directory_actor::behavior_type
directory(directory_actor::stateful_pointer<directory_state> self,
          directory_config cfg);

} // namespace openassist::cluster
