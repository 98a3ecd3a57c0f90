// The openassist node: wires configuration, logging, metrics, storage, the
// actor system and the gateways together, then waits for SIGTERM/SIGINT.

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "cluster/directory.hpp"
#include "gateways/connection.hpp"
#include "gateways/routes.hpp"
#include "gateways/server.hpp"
#include "monitoring/logging.hpp"
#include "monitoring/metrics.hpp"
#include "node/config.hpp"
#include "node/lifecycle.hpp"
#include "storage/persistence.hpp"

using namespace openassist;

// jemalloc's options, read when it starts (the Release node is linked with
// it; elsewhere this is an unused string; MALLOC_CONF in the environment
// overrides them). A background thread returns freed pages after the decay
// time even while the node is idle: RssAnon then follows the heap smoothly,
// with no periodic purge (whose sawtooth was a third of the level at 5,000
// chat lines/s). A decay of 1 s instead of 10 s keeps it within a few per
// cent of the heap in use under steady load (docs/BENCHMARKS.md, "The
// allocator").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000";
}

int main(int argc, char** argv) {
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  node::node_config cfg;
  cfg.load<caf::io::middleman>();
  if (auto err = node::parse_config(cfg, argc, argv)) {
    std::cerr << "openassist: " << *err << '\n';
    return 2;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  if (auto problem = monitoring::setup_logging(cfg.log_level, cfg.log_format);
      !problem.empty()) {
    std::cerr << "openassist: " << problem << '\n';
    return 2;
  }
  monitoring::node_metrics metrics;
  // Declared before the actor system, so destroyed after it (and before the
  // metrics its connections count in): actors that stop late still hold
  // answers for connections of this I/O context.
  std::shared_ptr<gateways::io_runtime> io;
  caf::actor_system sys{cfg};
  node::node_runtime runtime{sys, cfg, metrics};
  auto problem = runtime.start();
  io = runtime.io();
  if (!problem.empty()) {
    std::cerr << "openassist: " << problem << '\n';
    runtime.stop();
    return 1;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  auto log = monitoring::component_logger("node");
  log->info("signal {}: shutting down", sig);
  // Shutdown is bounded: acknowledged writes are durable already, so a node
  // that cannot stop in time exits rather than hang its supervisor.
  std::thread([step = runtime.step(), log] {
    std::this_thread::sleep_for(std::chrono::seconds(20));
    log->error("shutdown did not finish within 20 s (at: {}); exiting",
               step->load());
    log->flush();
    std::_Exit(3);
  }).detach();
  runtime.stop();
  runtime.step()->store("shutting down the actor system");
  return 0;
}
