// oa_loadgen: the load generator of docs/BENCHMARKS.md (issue 15). Plays
// customers and technicians against a node over loopback from several
// threads; see options.cpp for the command line.
#include "options.hpp"
#include "scenarios.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <sys/resource.h>

using namespace openassist::loadgen;

int main(int argc, char** argv) {
  std::string error;
  const auto opt = parse_options(argc, argv, error);
  if (!opt) {
    std::cerr << error << "\n";
    return error.starts_with("oa_loadgen:") ? 0 : 2;
  }
  // Idle connections need as many descriptors as the system allows us.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  std::signal(SIGPIPE, SIG_IGN);
  try {
    if (opt->scenario == "targets")
      return run_targets(*opt);
    auto args = node_args_for(opt->scenario);
    args.insert(args.end(), opt->node_args.begin(), opt->node_args.end());
    auto node = opt->port
                  ? node_process::attach(opt->port, opt->admin_port, opt->pid)
                  : node_process::start(opt->bin, args);
    result r = opt->scenario == "intake"   ? run_intake(*opt, node)
               : opt->scenario == "chat"   ? run_chat(*opt, node)
               : opt->scenario == "frames" ? run_frames(*opt, node)
                                           : run_idle(*opt, node);
    const bool survived = node.alive();
    std::cout << describe(r);
    if (!survived)
      std::cout << "  the node died under the load\n";
    if (!opt->json_path.empty())
      std::ofstream(opt->json_path) << to_json(r).dump(2) << "\n";
    // The exit status is what the regression check reads: errors, cut
    // connections, lost messages or a dead node fail; timings never do.
    return r.clean() && survived ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "oa_loadgen: " << e.what() << "\n";
    return 2;
  }
}
