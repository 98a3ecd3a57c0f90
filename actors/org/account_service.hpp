#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "actors/errc.hpp"
#include "actors/org/org_model.hpp"
#include "storage/write_batch.hpp"

// The business rules of an account's organisation, as a pure class the
// account actor drives: it takes one operation (named like the REST route,
// e.g. "technicians.create") with JSON arguments from a caller, checks role
// and account scope, validates, changes the state and says what to store.
namespace openassist::actors {

/// A refused operation: its kind (the gateways' error table gives the HTTP
/// status), the client's code and message, and the field and rule.
struct op_error {
  errc kind = errc::bad_field;
  std::string code;
  std::string message;
  std::string field;
  /// For bad_field: which rule the input broke, so that UIs can say it in
  /// their language: required, length, email, format, unknown, range, type,
  /// choice, taken. min/max for length and range (-1: none).
  std::string rule;
  int min = -1;
  int max = -1;
};

struct audit_record {
  std::string action; ///< e.g. "technician.create"
  std::string target; ///< e.g. "technician/12"
  json before;
  json after;
};

/// A done operation: its answer (a null body: nothing to say), whether it
/// created something (a new user, team, portal, …).
struct op_outcome {
  bool created = false;
  json body;
  bool changed = false; ///< state must be persisted
  std::vector<audit_record> audit;
  std::vector<storage::put_op> index_ops; ///< login index changes
};

using op_result = std::variant<op_outcome, op_error>;

/// The refusal as actors answer it (errc category with its details).
caf::error to_error(const op_error& e);

struct op_context {
  uint64_t caller_id = 0;
  /// argon2id hashes of the passwords in the arguments, computed beforehand
  /// (passwords_in) off the account actor's thread.
  std::map<std::string, std::string> hashes;
  /// Whether a login (kind "manager"/"technician", e-mail) exists anywhere
  /// in the cluster (the global login index).
  std::function<bool(const std::string&, const std::string&)> login_taken;
  /// Checks a time zone name.
  std::function<bool(const std::string&)> valid_time_zone;
  /// Current time (Unix seconds) for open/closed answers; injected in tests.
  int64_t now_unix = 0;
  /// How long a monitor added or restarted now runs (the node's setting).
  int64_t monitor_run_ms = actors::monitor_run_ms;
};

/// Login index key of a user identity.
std::string login_key(const std::string& kind, const std::string& email);

class account_service {
public:
  explicit account_service(org_account& state) : a_(state) {}

  op_result apply(const std::string& op, const json& args,
                  const op_context& ctx);

  /// The plaintext passwords an operation will store (to hash them first).
  static std::vector<std::string> passwords_in(const std::string& op,
                                               const json& args);

  /// Teams the caller may see and manage.
  std::set<uint64_t> scope_of(const org_user& caller) const;

private:
  op_result teams_list(const org_user& caller);
  op_result teams_create(const org_user& caller, const json& args);
  op_result teams_update(const org_user& caller, const json& args);
  op_result teams_delete(const org_user& caller, const json& args);
  op_result technicians_list(const org_user& caller);
  op_result technicians_create(const org_user& caller, const json& args,
                               const op_context& ctx);
  op_result technicians_update(const org_user& caller, const json& args,
                               const op_context& ctx);
  op_result technicians_delete(const org_user& caller, const json& args);
  op_result technicians_move(const org_user& caller, const json& args);
  op_result technicians_bulk(const org_user& caller, const json& args,
                             const op_context& ctx);
  op_result technicians_features(const org_user& caller, const json& args);
  op_result managers_list(const org_user& caller);
  op_result managers_create(const org_user& caller, const json& args,
                            const op_context& ctx);
  op_result managers_update(const org_user& caller, const json& args,
                            const op_context& ctx);
  op_result managers_delete(const org_user& caller, const json& args);
  op_result portals_list(const org_user& caller);
  op_result portals_write(const org_user& caller, const json& args,
                          bool create);
  op_result portals_delete(const org_user& caller, const json& args);
  op_result portals_open_state(const org_user& caller, const json& args,
                               const op_context& ctx);
  op_result hours_list(const org_user& caller);
  op_result hours_write(const org_user& caller, const json& args, bool create);
  op_result hours_delete(const org_user& caller, const json& args);
  op_result monitors_list(const org_user& caller, const op_context& ctx);
  op_result monitors_write(const org_user& caller, const json& args,
                           const op_context& ctx, bool create);
  op_result monitors_restart(const org_user& caller, const json& args,
                             const op_context& ctx);
  op_result monitors_delete(const org_user& caller, const json& args);
  op_result saved_reports_list(const org_user& caller);
  op_result saved_reports_write(const org_user& caller, const json& args,
                                const op_context& ctx, bool create);
  op_result saved_reports_delete(const org_user& caller, const json& args);
  /// The scheduler delivered a saved report for `slot_ms` (not an API op).
  op_result saved_reports_delivered(const org_user& caller, const json& args);
  op_result session_audit(const org_user& caller, const json& args);
  op_result me_settings(org_user& caller, const json& args,
                        const op_context& ctx);
  op_result account_get(const org_user& caller);
  op_result account_update(const org_user& caller, const json& args);

  /// The caller's own saved report named by args["id"].
  std::variant<saved_report*, op_error> saved_report_of(const org_user& caller,
                                                        const json& args);
  /// The monitor named by args["id"] if the caller may see it.
  std::variant<dashboard_monitor*, op_error>
  monitor_in_scope(const org_user& caller, const json& args);
  /// The technician named by args["id"] if the caller may manage them.
  std::variant<org_user*, op_error> technician_in_scope(const org_user& caller,
                                                        const json& args);
  /// Adds a new user (id, audit entry, login index), or `duplicate_user` if the
  /// login is taken.
  op_result add_user(org_user u, const op_context& ctx);
  /// Login index changes when a user's e-mail changed; an error if taken.
  std::optional<op_error> login_change(const org_user& before,
                                       const org_user& after,
                                       const op_context& ctx, op_outcome& out);

  std::vector<const feature_overrides*> team_chain(uint64_t team_id) const;
  bool in_subtree(uint64_t team_id, uint64_t root) const;
  size_t technicians_in(uint64_t team_id) const;

  org_account& a_;
  std::function<bool(const std::string&)> ctx_valid_tz_;
};

} // namespace openassist::actors
