#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/reports/rollup.hpp"
#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using rollup_day_atom = caf::atom_constant<caf::atom("rollup_day")>;

/// Writes an account's daily roll-ups (reports/rollup.hpp; docs/reports.md,
/// "Monthly reports"), one day per message, then stops. Its account's desk
/// starts one at its first tick and then every `reports.rollup-interval-s`.
///
/// Each day from the one after the last *final* day (meta
/// `rollups/<account>`: YYYY-MM-DD) through today, cut in the account's
/// time zone: the day's report facts are read once and summed into a
/// roll-up, which replaces the day's record (no record for a day without
/// requests). A day is final two days after it ended; the write of a final
/// day moves the mark with it, in one batch, so a restart goes on from
/// there and writes each day at least once. The first run starts at the
/// account's oldest facts, at most rollups' 400 days back.
struct rollup_closer_config {
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  std::string account;
  std::string time_zone = "UTC";
  int64_t now_ms = 0;
};

struct rollup_closer_state {
  rollup_closer_config cfg;
  std::vector<std::string> days; ///< still to write, oldest first
  std::string last_final;        ///< days up to this one are final
  static const char* name;
};

/// The roll-up of `day` (YYYY-MM-DD in `time_zone`) from the account's
/// report facts; nullopt when storage cannot be read or the day or zone is
/// not one.
std::optional<reports::day_rollup> roll_up_day(const storage::environment& env,
                                               const std::string& account,
                                               const std::string& time_zone,
                                               const std::string& day);

/// Meta key of an account's last final roll-up day.
std::string rollup_mark_key(const std::string& account);

caf::behavior rollup_closer(caf::stateful_actor<rollup_closer_state>* self,
                            rollup_closer_config cfg);

} // namespace openassist::actors
