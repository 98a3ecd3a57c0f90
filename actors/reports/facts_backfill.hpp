#pragma once

#include <caf/error.hpp>

#include "storage/environment.hpp"

namespace openassist::actors::reports {

/// Once per data directory, before anything writes: the report facts of
/// every stored request document (`report_facts`, facts_record.hpp), for
/// documents stored before facts existed. Marked done in `meta` under
/// `report_facts`; later runs return at once. Writes in batches of
/// `batch` documents; `done` is how many documents it read.
caf::error backfill_report_facts(storage::environment& env, size_t batch,
                                 uint64_t& done);

} // namespace openassist::actors::reports
