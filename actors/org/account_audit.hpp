#pragma once

#include <variant>

#include <nlohmann/json.hpp>

#include "actors/org/account.hpp"
#include "actors/org/account_service.hpp"

namespace openassist::actors {

/// Reads the account's audit log for `caller` (company managers only),
/// newest first: `{"entries":[...],"next_before":seq|null}`, each entry with
/// actor_name, target_name and changes. `args` (strings): limit (1..1000,
/// 100), before (a sequence number), actor (a user id), kind (the action's
/// first part), from/to (YYYY-MM-DD, inclusive, in the caller's time zone).
/// With filters one call reads at most 10,000 entries and may answer fewer
/// than `limit` while `next_before` goes on.
std::variant<nlohmann::json, op_error> audit_list(const account_state& st,
                                                  const org_user& caller,
                                                  const nlohmann::json& args);

} // namespace openassist::actors
