#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace openassist::loadgen {

/// The node under load: a fresh Release node with the demo account in a
/// temporary directory (as bench/lib.mjs starts it), or one already running
/// (`--port`, `--admin-port`, optionally `--pid` for its memory).
class node_process {
public:
  /// Starts `bin` with the demo account, limits for load off and `extra`
  /// options; waits for its ready file. Throws std::runtime_error when it
  /// does not start within 60 s.
  static node_process start(const std::string& bin,
                            const std::vector<std::string>& extra);
  static node_process attach(unsigned short port, unsigned short admin,
                             pid_t pid);

  node_process(node_process&& other) noexcept;
  node_process& operator=(node_process&&) = delete;
  node_process(const node_process&) = delete;
  ~node_process();

  unsigned short port() const { return port_; }
  unsigned short admin_port() const { return admin_; }
  pid_t pid() const { return pid_; }
  /// Whether the node we started is still running (always true when
  /// attached).
  bool alive() const;
  /// RssAnon of /proc/<pid>/status in KiB, or -1 when unknown.
  long rss_anon_kib() const;
  /// CPU time (user and system) the node has used so far, in seconds, or
  /// -1 when unknown.
  double cpu_seconds() const;
  /// SIGTERM, wait, remove the temporary directory (only a node we started).
  void stop();

private:
  node_process() = default;
  pid_t pid_ = -1;
  bool owned_ = false;
  unsigned short port_ = 0;
  unsigned short admin_ = 0;
  std::string work_dir_;
};

} // namespace openassist::loadgen
