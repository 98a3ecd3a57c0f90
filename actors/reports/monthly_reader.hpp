#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/reports/monthly.hpp"
#include "storage/environment.hpp"

// Reading the roll-ups of an account for monthly reports (monthly.hpp):
// the months there are, and a report over a range of them. Nullopt when
// storage cannot be read.
namespace openassist::actors::reports {

/// The months (YYYY-MM, ascending) with at least one day's roll-up.
std::optional<std::vector<std::string>>
rollup_months(storage::environment& env, const std::string& account);

/// The monthly report of `req`: the roll-ups of its months, in scope.
std::optional<nlohmann::json> read_monthly(storage::environment& env,
                                           const std::string& account,
                                           monthly_request req);

} // namespace openassist::actors::reports
