#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/services/mailer.hpp"
#include "cluster/directory.hpp"
#include "storage/environment.hpp"

namespace openassist::actors {

using report_mail_tick_atom = caf::atom_constant<caf::atom("rep_tick")>;

/// E-mail delivery of saved reports (docs/reports.md, "E-mail delivery"),
/// one per node. Every `check_every` it reads the accounts' stored saved
/// reports; a report whose latest delivery time (its schedule in its
/// owner's time zone) is after the one it was last delivered for is run by
/// its account's desk as its owner (so it holds what the owner may read
/// then), its CSV is handed to the mailer's durable outbox (which retries
/// until the SMTP server takes it), and only then is the delivery recorded
/// at the account. A node that stops between the two sends that report
/// again after the restart: at least once, never lost. A report the desk
/// refuses for good (its fixed days beyond the retention) is recorded as
/// delivered without a mail; one it cannot run now waits for the next pass.
struct report_mailer_config {
  std::shared_ptr<storage::environment> env;
  cluster::directory_actor directory;
  mailer_actor mailer;
  std::chrono::milliseconds check_every{60 * 1000};
  std::function<int64_t()> now_ms;
};

struct report_mailer_state {
  report_mailer_config cfg;
  /// "<account>/<report id>" being delivered: a pass meanwhile skips them.
  std::set<std::string> busy;
  static const char* name;
};

caf::behavior report_mailer(caf::stateful_actor<report_mailer_state>* self,
                            report_mailer_config cfg);

} // namespace openassist::actors
