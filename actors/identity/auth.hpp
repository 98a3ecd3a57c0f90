#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/clock.hpp"
#include "actors/identity/hasher.hpp"
#include "actors/identity/login_gate.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/services/mailer.hpp"
#include "cluster/directory.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using login_atom = caf::atom_constant<caf::atom("login")>;
using authn_atom = caf::atom_constant<caf::atom("authn")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
using reset_request_atom = caf::atom_constant<caf::atom("reset_req")>;
using reset_confirm_atom = caf::atom_constant<caf::atom("reset_conf")>;
using public_url_atom = caf::atom_constant<caf::atom("pub_url")>;
using gate_tick_atom = caf::atom_constant<caf::atom("gate_tick")>;

/// Logins and sessions of the node's users (a service actor, one per node).
///
/// - `(login_atom, kind, email, password, remote_address, bearer)` ->
///   (body JSON, token), or a refusal of actors/errc.hpp. Browser logins
///   (bearer=false) get a session with a CSRF token; API managers get bearer
///   tokens (bearer=true). Failed logins are throttled per user id and per
///   address (errc::limited, retry after 900 s); checks from addresses that
///   have not signed in lately pass the login gate (errc::busy under a flood,
///   login_gate.hpp).
/// - `(authn_atom, token)` -> (account, user id, csrf token, bearer); an
///   empty account when the token is unknown or expired.
/// - `(logout_atom, token)` -> whether a session was ended.
/// - `(reset_request_atom, kind, email)` -> true; when the user exists, a
///   single-use link valid for one hour is e-mailed (at most 3 per 15 min).
/// - `(reset_confirm_atom, token, new_password)` -> body ("" for none): sets
///   the password once; the token is then gone (errc::bad_field
///   `invalid_token`).
/// - `(public_url_atom, url)`: the base of links in e-mails, sent by the node
///   once its public port is bound.
/// - `(gate_tick_atom)`: the actor's own timer; starts logins that waited
///   for the login gate's pace.
///
/// Tokens are random 256-bit values; only their digest is stored. Each
/// login is also indexed per user (table `user_sessions`): a password reset
/// or change ends every login and bearer token of the user (the account
/// writes that, login_sessions.hpp). Expired logins are purged by the
/// sweeper.
using auth_actor = caf::typed_actor<
  caf::replies_to<login_atom, std::string, std::string, std::string,
                  std::string, bool>::with<std::string, std::string>,
  caf::replies_to<authn_atom, std::string>::with<std::string, uint64_t,
                                                 std::string, bool>,
  caf::replies_to<logout_atom, std::string>::with<bool>,
  caf::replies_to<reset_request_atom, std::string, std::string>::with<bool>,
  caf::replies_to<reset_confirm_atom, std::string,
                  std::string>::with<std::string>,
  caf::reacts_to<public_url_atom, std::string>, caf::reacts_to<gate_tick_atom>>;

struct auth_config {
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  hasher_actor hasher;
  cluster::directory_actor directory;
  mailer_actor mailer;
  std::string public_url; ///< base of links in e-mails
  std::chrono::seconds reset_ttl{3600};
  std::chrono::seconds session_ttl{12 * 3600};
  std::chrono::seconds bearer_ttl{30 * 24 * 3600};
  size_t max_failures_per_user = 5;     ///< within failure_window
  size_t max_failures_per_address = 20; ///< within failure_window
  std::chrono::seconds failure_window{15 * 60};
  /// Password checks of addresses that have not signed in lately: at most
  /// `slots` at once (the node: one fewer than the hashers), a short queue,
  /// then errc::busy (login_gate.hpp).
  login_gate_limits gate;
  std::function<int64_t()> now_s = wall_s;
  /// When credentials were read (ms), against the time a password reset or
  /// change ended the user's logins (login_sessions.hpp): the same clock as
  /// the account's.
  std::function<int64_t()> now_ms = wall_ms;
};

struct auth_state {
  auth_config cfg;
  /// Failed logins by "user:<kind>:<email>" and by address (IPv6 by /64),
  /// and reset e-mails by "reset:<kind>:<email>", within failure_window.
  rate_limiter user_failures, address_failures, reset_requests;
  login_gate gate;
  bool gate_tick_pending = false;
  /// Digests of reset tokens being consumed (their erase is on its way).
  std::set<std::string> consuming;
  static const char* name;
};

auth_actor::behavior_type auth(auth_actor::stateful_pointer<auth_state> self,
                               auth_config cfg);

} // namespace openassist::actors
