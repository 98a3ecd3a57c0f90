#pragma once

#include <optional>
#include <string>
#include <vector>

namespace openassist::loadgen {

/// The command line (oa_loadgen --help prints it).
struct options {
  /// intake, chat, frames, idle, or targets (every target of issue 15 in
  /// turn, each on a fresh node, as one table).
  std::string scenario = "targets";
  std::string bin = "build/release/node/openassist";
  /// An already running node instead of starting one.
  unsigned short port = 0;
  unsigned short admin_port = 0;
  int pid = -1;
  std::vector<std::string> node_args;

  /// Items per second in all (intakes, chat lines, frames); 0: flat out.
  double rate = 1000;
  double seconds = 10;
  /// The first part of the run that is not measured.
  double warmup = 1;
  unsigned threads = 2;
  /// Loopback source addresses 127.0.0.2, ... (0: the default address).
  unsigned addresses = 4;
  /// Chat: sessions; frames: viewers; idle: connections held.
  unsigned sessions = 20;
  unsigned viewers = 1;
  unsigned idle = 1000;
  unsigned frame_kb = 64;
  /// Flat out: lines or requests in flight per client.
  unsigned window = 8;
  /// Intake: HTTP connections per worker thread at most.
  unsigned connections = 64;
  /// Runs per target in the targets table.
  unsigned runs = 1;
  /// Ask the node for batches (several messages in one frame when a socket
  /// is behind); --no-batch for one frame per message.
  bool batch = true;
  std::string json_path;
  bool quiet = false;
};

/// Parses argv; on a bad or unknown argument returns nothing and writes why
/// to `error` (the usage when --help).
std::optional<options> parse_options(int argc, char** argv, std::string& error);

} // namespace openassist::loadgen
