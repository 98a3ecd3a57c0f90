// The presence entity of one technician, `presence/<account>/<technician>`
// (docs/design/entity-actors.md): the slots the technician uses against
// their maximum, and the presence's side of the accept protocol with the
// queues (accept_protocol.hpp, slot_ledger.hpp). Status, consoles, alerts and
// connection codes join it as the desk is split (issue 11, step 5).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/intake/entity_writes.hpp"
#include "actors/intake/slot_ledger.hpp"
#include "cluster/directory.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using presence_accept_atom = caf::atom_constant<caf::atom("pr_accept")>;
using presence_release_atom = caf::atom_constant<caf::atom("pr_release")>;
using presence_ended_atom = caf::atom_constant<caf::atom("pr_ended")>;
using presence_max_atom = caf::atom_constant<caf::atom("pr_max")>;
using presence_slots_atom = caf::atom_constant<caf::atom("pr_slots")>;
using presence_tick_atom = caf::atom_constant<caf::atom("pr_tick")>;

/// - `(presence_accept_atom, request, queue_key)` -> the held slot: the
///   technician takes the request of that queue. A slot is reserved and
///   stored, the queue claims the request, the slot is held and stored,
///   then the answer. errc::full (code `at_capacity`) at the maximum,
///   errc::taken / not_open as the queue says (a fenced claim reads as
///   taken), errc::bad_state while the same request is being settled,
///   errc::unavailable when the queue did not answer (the slot stays
///   reserved and the timer asks the queue `who_has`).
/// - `(presence_release_atom, request, front)` -> true once the queue has
///   stored the request given back (to the front of its queue, or closed);
///   false when the technician does not hold it.
/// - `(presence_ended_atom, ended_msg)`: the queue says a request is over.
/// - `(presence_max_atom, max)`: the account's new maximum for the
///   technician (slots already used stay; no new one beyond it).
/// - `(presence_slots_atom)` -> every slot.
/// - `(presence_tick_atom)`: its own timer (every `tick_interval`): asks
///   the queues about slots unsettled for `answer_timeout`.
///
/// Rehydration: behind a fence of its key, the stored ledger is read and
/// every slot is unsure until its queue has said who has the request.
/// Every change is stored before any message about it goes out; a write
/// that fails stops the actor (it answers storage_unavailable first), and
/// the directory's next lookup rehydrates it from what was stored.
using presence_actor = caf::typed_actor<
  caf::replies_to<presence_accept_atom, uint64_t,
                  std::string>::with<intake::slot>,
  caf::replies_to<presence_release_atom, uint64_t, bool>::with<bool>,
  caf::reacts_to<presence_ended_atom, intake::ended_msg>,
  caf::reacts_to<presence_max_atom, int32_t>,
  caf::replies_to<presence_slots_atom>::with<std::vector<intake::slot>>,
  caf::reacts_to<presence_tick_atom>>;

struct presence_config {
  std::string account;
  uint64_t technician = 0;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  cluster::directory_actor directory; ///< reaches the queues
  int32_t max_sessions = 1;
  std::function<int64_t()> now_ms; ///< wall clock in ms; tests set it
  std::chrono::milliseconds tick_interval{1000};
  /// How long a claim or release may go unanswered before the presence
  /// asks the queue, and the timeout of each of its requests to queues.
  std::chrono::milliseconds answer_timeout{5000};
  std::chrono::milliseconds write_deadline = storage::default_write_deadline;
};

struct presence_state {
  presence_config cfg;
  intake::slot_ledger slots;
  storage::writer_fence fence;
  uint64_t revision = 0;
  intake::write_order order; ///< answers wait for earlier writes
  std::set<uint64_t> asking; ///< requests with a question out to a queue
  static const char* name;
};

/// The entity key of a technician's presence.
std::string presence_key(const std::string& account, uint64_t technician);

presence_actor::behavior_type
presence_entity(presence_actor::stateful_pointer<presence_state> self,
                presence_config cfg);

} // namespace openassist::actors
