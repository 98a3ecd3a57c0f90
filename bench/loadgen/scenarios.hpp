#pragma once

#include "node_process.hpp"
#include "options.hpp"
#include "result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace openassist::loadgen {

/// Node options a scenario needs on a node it starts (limits meant for
/// browsers raised so the load, not a limit, is what is measured).
std::vector<std::string> node_args_for(const std::string& scenario);

class workers;

/// What a scenario does beside the intakes: `before` runs once anna's
/// console is connected and read, before the load, on the main thread (it
/// may use the workers' loops for blocking set-up); `after` once the load
/// has drained, while the loops still run.
struct intake_hooks {
  std::function<void(workers&)> before;
  std::function<void()> after;
};

/// Customers post requests to the demo portal (open loop at --rate, or flat
/// out over --connections per thread); technician anna's console is
/// connected. Latency: scheduled send to the alert on the console; answer:
/// to the 201.
result run_intake(const options& opt, node_process& node,
                  const intake_hooks& hooks = {});

/// --sessions customers in sessions anna joined send lines at --rate in all
/// (or --window in flight each, flat out). Latency: scheduled send to the
/// line on anna's console; answer: to the customer's chat.ack.
result run_chat(const options& opt, node_process& node);

/// One customer shares its screen: --frame-kb frames at --rate (flat out:
/// whenever its socket drained) to anna and --viewers - 1 observers.
/// Latency: send to arrival at a viewer.
result run_frames(const options& opt, node_process& node);

/// --idle customers wait attached to their requests; memory per connection
/// from the node's RssAnon; then intakes at --rate for --seconds beside them.
result run_idle(const options& opt, node_process& node);

/// Every target of issue 15, each on a fresh node, as one table.
int run_targets(const options& opt);

/// The demo account's technician whose console the scenarios use.
struct demo_technician {
  std::string id;
  std::string cookie;
};
/// Raises anna's maximum sessions to `max_sessions` (as the manager) and logs
/// her in.
demo_technician prepare_anna(unsigned short port, unsigned max_sessions);

} // namespace openassist::loadgen
