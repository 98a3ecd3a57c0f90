// The queue entity of one portal, `queue/<account>/<portal>`
// (docs/design/entity-actors.md): who holds each of the portal's open
// requests, and the queue's side of the accept protocol with the technicians'
// presences (accept_protocol.hpp, claim_book.hpp). The waiting order, the
// lifecycle, routing and alerts join it as the desk is split (issue 11,
// step 5).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/intake/claim_book.hpp"
#include "actors/intake/entity_writes.hpp"
#include "cluster/directory.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using queue_open_atom = caf::atom_constant<caf::atom("qu_open")>;
using queue_claim_atom = caf::atom_constant<caf::atom("qu_claim")>;
using queue_who_has_atom = caf::atom_constant<caf::atom("qu_whohas")>;
using queue_release_atom = caf::atom_constant<caf::atom("qu_release")>;
using queue_close_atom = caf::atom_constant<caf::atom("qu_close")>;
using queue_holder_atom = caf::atom_constant<caf::atom("qu_holder")>;

/// - `(queue_open_atom, request)` -> true once the new request is stored as
///   waiting (false: it was open already).
/// - `(queue_claim_atom, claim_msg)` -> claim_answer: the first valid claim
///   takes a waiting request (stored before the answer); the same claim
///   again is `claimed` again; a fenced number is `stale`.
/// - `(queue_who_has_atom, who_has_msg)` -> holder_info, after fencing the
///   asker's numbers up to the one asked about (stored before the answer).
/// - `(queue_release_atom, release_msg)` -> true once stored: the holder
///   gave the request back (waiting at the front, or closed); a release of
///   a number that does not hold it is acknowledged and changes nothing.
/// - `(queue_close_atom, request)` -> true once the request is stored as
///   closed; its holder's presence is then told `(presence_ended_atom,
///   ended_msg)`. False for a request that is not open.
/// - `(queue_holder_atom, request)` -> holder_info (no fence).
///
/// Rehydration behind a fence of its key, as the presence; every answer
/// waits until each write before it is durable; a failed write stops the
/// actor.
using queue_actor = caf::typed_actor<
  caf::replies_to<queue_open_atom, uint64_t>::with<bool>,
  caf::replies_to<queue_claim_atom,
                  intake::claim_msg>::with<intake::claim_answer>,
  caf::replies_to<queue_who_has_atom,
                  intake::who_has_msg>::with<intake::holder_info>,
  caf::replies_to<queue_release_atom, intake::release_msg>::with<bool>,
  caf::replies_to<queue_close_atom, uint64_t>::with<bool>,
  caf::replies_to<queue_holder_atom, uint64_t>::with<intake::holder_info>>;

struct queue_config {
  std::string account;
  uint64_t portal = 0;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  cluster::directory_actor directory; ///< reaches the presences
  std::chrono::milliseconds write_deadline = storage::default_write_deadline;
};

struct queue_state {
  queue_config cfg;
  intake::claim_book book;
  storage::writer_fence fence;
  uint64_t revision = 0;
  intake::write_order order;
  static const char* name;
};

/// The entity key of a portal's queue.
std::string queue_key(const std::string& account, uint64_t portal);

queue_actor::behavior_type
queue_entity(queue_actor::stateful_pointer<queue_state> self, queue_config cfg);

} // namespace openassist::actors
