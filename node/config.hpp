#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>

namespace openassist::node {

/// The node's configuration: CAF's config file (`--config-file=...`, INI
/// syntax) plus command-line options, one group per component. Validated at
/// start-up; a bad value stops the node with a message naming the key.
class node_config : public caf::actor_system_config {
public:
  node_config();

  // [node]
  std::string data_dir = "./data";
  std::string bind = "127.0.0.1";
  uint16_t public_port = 8080;
  std::string admin_bind = "127.0.0.1"; ///< keep the admin port private
  uint16_t admin_port = 9090;
  uint16_t cluster_port = 0; ///< 0: single node, no cluster listener
  std::string log_level = "info";
  std::string log_format = "plain";
  std::string web_dir = "web/dist";
  /// Packages of the support app served under /downloads/ ("": none).
  std::string downloads_dir;
  std::string ready_file; ///< JSON with the bound ports, once ready
  size_t io_threads = 1;
  bool demo = false;           ///< seed the demo account (make run)
  std::string public_url;      ///< base URL in e-mails (default: bind:port)
  bool secure_cookies = false; ///< behind HTTPS: mark cookies Secure
  bool test_hooks = false;     ///< admin /debug routes (tests only)
  // [mail]
  std::string smtp_url; ///< smtp://host:port (empty: log mails)
  std::string mail_from = "openassist@localhost";
  size_t mail_first_retry_s = 30; ///< first retry of a mail SMTP refused
  size_t report_check_s = 60;     ///< between looks for saved reports due
  // [reports]
  size_t rollup_interval_s = 3600; ///< between an account's roll-up runs
  // [dashboards]
  size_t monitor_run_s = 12 * 3600; ///< a monitor stops by itself after
  // [storage]
  size_t map_size_mb = 4096;
  size_t max_batches_per_commit = 4096;
  size_t commit_interval_us = 1000; ///< least time between commits under load
  size_t max_write_queue = 10000;   ///< batches waiting; beyond: busy (503)
  size_t map_alert_percent = 80;    ///< warn (log, metric) from this map use
  size_t map_refuse_percent = 95;   ///< refuse new data (storage_full) above
  // [gateway]
  size_t max_connections = 10000;
  size_t header_limit_kb = 16;
  size_t body_limit_kb = 1024;
  size_t request_timeout_ms = 10000;
  size_t linger_ms = 2000;          ///< read-and-discard after a closing answer
  size_t keep_alive_timeout_s = 15; ///< idle between requests (announced)
  size_t max_connections_per_address = 256; ///< IPv6: per /64
  size_t upload_budget_mb = 256;            ///< announced uploads read at once
  size_t download_budget_mb = 256;          ///< large answers written at once
  size_t ws_max_queued_total_mb = 256; ///< outbound WebSocket, all connections
  size_t ws_max_message_kb = 64;
  size_t ws_max_queued_kb = 8192;
  size_t ws_idle_timeout_s = 30;
  size_t ws_login_check_s = 30;  ///< logged-in sockets re-check their login
  size_t ws_max_frame_kb = 1024; ///< inbound binary message (screen frames)
  /// Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs).
  std::string trusted_proxies;
  size_t ws_messages_per_s =
    200; ///< inbound per connection; bursts of twice that
  // [intake]
  size_t intake_per_address_per_min = 30; ///< customer requests; 0: unlimited
  size_t public_reads_per_address_per_min =
    120;                       ///< portal data, status; 0: unlimited
  size_t offline_grace_s = 15; ///< console gone -> technician offline after
  size_t restart_grace_s = 60; ///< after a restart, for consoles to return
  size_t max_open_requests = 100000; ///< per account
  // [services]
  size_t hashers = 0;    ///< password hashing workers; 0: one per core
  size_t hash_chunk = 4; ///< passwords per job of a bulk import
  // [retention]
  size_t sweep_interval_s = 3600; ///< between passes of the sweeper
  size_t memory_trim_s = 10;      ///< between returns of freed heap (0: never)
  size_t sweep_batch = 200;       ///< records looked at per step
  size_t sweep_pause_ms = 200;    ///< between steps: live traffic goes first
  // [recording]
  size_t replay_piece_kb = 1024; ///< replay answered in pieces of this size
  size_t max_replays = 2;        ///< replays decrypting at once (503 beyond)
  std::string ffmpeg = "ffmpeg"; ///< for WebM exports (on PATH unless a path)
  size_t export_max_mb = 200;    ///< the largest exported video served

  /// Checks values that the option parser cannot; "" when all is well, else
  /// a message naming the key.
  std::string validate() const;

  /// Checks the config file (if one was given) strictly: every key must be
  /// known and every value of the right type. CAF's own parser only warns.
  std::string check_config_file() const;
};

} // namespace openassist::node
