#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/identity/hasher.hpp"
#include "actors/org/account_service.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using account_op_atom = caf::atom_constant<caf::atom("acct_op")>;
using credentials_atom = caf::atom_constant<caf::atom("acct_cred")>;
using account_create_atom = caf::atom_constant<caf::atom("acct_new")>;
using org_snapshot_atom = caf::atom_constant<caf::atom("acct_org")>;
using org_subscribe_atom = caf::atom_constant<caf::atom("acct_osub")>;
/// Pushed to subscribers: `(org_changed_atom, revision, storage JSON)`.
using org_changed_atom = caf::atom_constant<caf::atom("acct_ochg")>;

/// One account (tenant): its people, teams and portals. Key `account/<id>`,
/// reached through the directory. Operations are serialised: each is
/// validated, made durable (with its audit entries and login index changes)
/// and only then answered. It reads storage only after a fence (a barrier
/// behind everything queued in the writer). A change whose write fails is
/// undone in memory only once the writer has said it was not stored (the
/// fence that follows any failure tells); if that cannot be known the
/// account answers so and stops, to start again from storage.
///
/// - `(account_op_atom, caller_user_id, op, args_json)` -> (created, body
///   JSON): whether the operation created something, and its answer (""
///   when it has none to give); refusals are `caf::error`s of
///   actors/errc.hpp with the client's code, field and rule as details.
/// - `(credentials_atom, user_id)` -> (password hash, kind, role, language);
///   an empty hash for unknown or deleted users.
/// - `(account_create_atom, name, manager_email, manager_password)` ->
///   body: creates the account with its first company manager;
///   errc::bad_state `account_exists` if it exists.
/// - `(org_snapshot_atom, known_revision)` -> (revision, storage JSON without
///   password hashes, "" when the revision is `known_revision`); revision 0
///   when the account does not exist.
/// - `(org_subscribe_atom, subscriber, known_revision)` -> as
///   `org_snapshot_atom`; from then on every stored change of the
///   organisation is pushed to `subscriber` as `(org_changed_atom, revision,
///   storage JSON without password hashes)`, until it or this actor stops
///   (a subscriber monitors the account and subscribes again). The desk
///   follows the organisation so; it asks with `org_snapshot_atom` only for a
///   name it does not know (a push still on its way from another node).
using account_actor = caf::typed_actor<
  caf::replies_to<account_op_atom, uint64_t, std::string,
                  std::string>::with<bool, std::string>,
  caf::replies_to<credentials_atom, uint64_t>::with<std::string, std::string,
                                                    std::string, std::string>,
  caf::replies_to<account_create_atom, std::string, std::string,
                  std::string>::with<std::string>,
  caf::replies_to<org_snapshot_atom, uint64_t>::with<uint64_t, std::string>,
  caf::replies_to<org_subscribe_atom, caf::actor, uint64_t>::with<uint64_t,
                                                                  std::string>>;

struct account_config {
  std::string id; ///< the account id (the part after "account/")
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  hasher_actor hasher;
  std::function<bool(const std::string&)> valid_time_zone;
  /// How long a change may wait in the writer's queue (its batch deadline);
  /// the answer is awaited storage::write_timeout() of it.
  std::chrono::milliseconds write_deadline = storage::default_write_deadline;
  /// How long a dashboard monitor runs from when it is added or restarted.
  std::chrono::milliseconds monitor_run{monitor_run_ms};
};

struct account_state {
  account_config cfg;
  org_account org;
  bool exists = false;
  bool damaged = false;
  /// This incarnation's fence (`account/<id>`): every change carries it, and
  /// the account fences again to learn the fate of a change whose answer
  /// was an error.
  storage::writer_fence fence;
  /// Who is told of each stored change of the organisation.
  std::vector<caf::actor> org_subscribers;
  static const char* name;
};

account_actor::behavior_type
account(account_actor::stateful_pointer<account_state> self,
        account_config cfg);

/// Audit table key: account id, NUL, big-endian sequence.
std::string audit_key(const std::string& account, uint64_t seq);

} // namespace openassist::actors
