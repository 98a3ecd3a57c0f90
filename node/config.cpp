#include "node/config.hpp"

#include <filesystem>

#include <caf/config_option_adder.hpp>
#include <caf/settings.hpp>

#include "actors/dashboard/dashboard_feed.hpp"
#include "actors/errc.hpp"
#include "actors/intake/accept_protocol.hpp"
#include "actors/intake/claim_book.hpp"
#include "actors/intake/console_command.hpp"
#include "actors/intake/customer_input.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/intake/slot_ledger.hpp"
#include "actors/session/session_protocol.hpp"
#include "actors/shared_text.hpp"
#include "monitoring/logging.hpp"

namespace openassist::node {

node_config::node_config() {
  // One shared job queue woken by a condition variable: on the small machines
  // a node runs on, work stealing's sleeping workers add up to 10 ms to a
  // message's latency (docs/BENCHMARKS.md, intake).
  // `--scheduler.policy=stealing` restores CAF's default.
  set("scheduler.policy", caf::atom("sharing"));
  // Refusals of the project's actors read as "oa:<code>: <message>" in logs.
  add_error_category(actors::errc_category, actors::render_errc);
  // What sessions are told and answer (session_protocol.hpp), by name.
  add_message_type<actors::session_joined>("session_joined");
  add_message_type<actors::chat_ack>("chat_ack");
  add_message_type<actors::screen_ack>("screen_ack");
  add_message_type<actors::control_ack>("control_ack");
  add_message_type<actors::session_file>("session_file");
  add_message_type<actors::file_sent>("file_sent");
  add_message_type<actors::session_news>("session_news");
  // A broadcast's text, one buffer for all its receivers (shared_text.hpp).
  add_message_type<actors::shared_text>("shared_text");
  // A manager's narrowing of the session list (desk_history.hpp).
  add_message_type<actors::history_filter>("history_filter");
  add_message_type<actors::report_options>("report_options");
  add_message_type<actors::monthly_options>("monthly_options");
  // What the desk feeds dashboard monitors (dashboard_feed.hpp).
  add_message_type<actors::dashboard_feed>("dashboard_feed");
  add_message_type<actors::dashboard_scope>("dashboard_scope");
  add_message_type<std::vector<actors::dashboard_request>>(
    "dashboard_requests");
  // What customers send the intake, read at the gateway
  // (customer_input.hpp).
  add_message_type<actors::intake_form>("intake_form");
  add_message_type<actors::customer_choice>("customer_choice");
  add_message_type<actors::customer_rating>("customer_rating");
  // A technician console's command, read at the gateway (console_input.hpp).
  add_message_type<actors::console_command>("console_command");
  // The accept protocol between presences and queues (accept_protocol.hpp)
  // and what each of them stores (slot_ledger.hpp, claim_book.hpp).
  add_message_type<actors::intake::claim_msg>("claim_msg");
  add_message_type<actors::intake::claim_answer>("claim_answer");
  add_message_type<actors::intake::who_has_msg>("who_has_msg");
  add_message_type<actors::intake::holder_info>("holder_info");
  add_message_type<actors::intake::release_msg>("release_msg");
  add_message_type<actors::intake::ended_msg>("ended_msg");
  add_message_type<actors::intake::slot>("slot");
  add_message_type<actors::intake::claim_book::entry>("claim_entry");
  opt_group{custom_options_, "node"}
    .add(data_dir, "data-dir", "directory of the node's LMDB environment")
    .add(bind, "bind", "address of the public and admin ports")
    .add(public_port, "public-port", "HTTP/WebSocket port (0: any free)")
    .add(admin_bind, "admin-bind", "address of the admin port (keep private)")
    .add(admin_port, "admin-port", "metrics, health, backup port (0: any free)")
    .add(cluster_port, "cluster-port", "actor messages between nodes (0: off)")
    .add(log_level, "log-level", "trace, debug, info, warn, error, critical")
    .add(log_format, "log-format", "plain or json (one object per line)")
    .add(web_dir, "web-dir", "built web UIs (web/dist)")
    .add(downloads_dir, "downloads-dir",
         "the support app's packages, served under /downloads/ (make "
         "package-agent builds them)")
    .add(ready_file, "ready-file", "write the bound ports here as JSON")
    .add(io_threads, "io-threads", "threads running HTTP/WebSocket I/O")
    .add(demo, "demo", "seed the demo account on first start (a flag)")
    .add(public_url, "public-url", "base URL of links in e-mails")
    .add(test_hooks, "test-hooks",
         "admin routes that kill service actors (tests only; a flag)")
    .add(secure_cookies, "secure-cookies",
         "mark session cookies Secure (when served over HTTPS; a flag)");
  opt_group{custom_options_, "mail"}
    .add(smtp_url, "smtp-url",
         "SMTP server, smtp://host:port (empty: log mails)")
    .add(mail_from, "from", "sender address of the node's e-mails")
    .add(mail_first_retry_s, "first-retry-s",
         "seconds before a mail the SMTP server refused is tried again "
         "(doubling each time, up to an hour)")
    .add(report_check_s, "report-check-s",
         "seconds between looks for saved reports due to be e-mailed");
  opt_group{custom_options_, "reports"}.add(
    rollup_interval_s, "rollup-interval-s",
    "seconds between an account's roll-up runs for monthly reports (each "
    "writes the days not yet final, through today)");
  opt_group{custom_options_, "dashboards"}.add(
    monitor_run_s, "monitor-run-s",
    "seconds a dashboard monitor runs after it is added or restarted "
    "(default 12 hours)");
  opt_group{custom_options_, "storage"}
    .add(map_size_mb, "map-size-mb", "largest size of the LMDB map, MiB")
    .add(max_batches_per_commit, "max-batches-per-commit",
         "most write batches in one durable commit")
    .add(commit_interval_us, "commit-interval-us",
         "under load, the least time from one commit (fsync) to the next, "
         "gathering the writes meanwhile into it (0: commit at once)")
    .add(max_write_queue, "max-write-queue",
         "write batches waiting for the writer; beyond it writes are refused "
         "(busy)")
    .add(map_alert_percent, "map-alert-percent",
         "map use (percent) from which the node warns in its log and metrics")
    .add(map_refuse_percent, "map-refuse-percent",
         "map use (percent) above which new data is refused (storage_full)");
  opt_group{custom_options_, "gateway"}
    .add(max_connections, "max-connections", "open connections per port")
    .add(header_limit_kb, "header-limit-kb", "request line and headers, KiB")
    .add(body_limit_kb, "body-limit-kb", "request body, KiB")
    .add(request_timeout_ms, "request-timeout-ms",
         "a whole request must arrive within this (slow clients are cut)")
    .add(linger_ms, "linger-ms",
         "after an answer that closes the connection, read and discard what "
         "the client still sends for this long (so it reads the answer)")
    .add(keep_alive_timeout_s, "keep-alive-timeout-s",
         "an idle keep-alive connection is closed after this (announced in "
         "Keep-Alive: timeout=N)")
    .add(max_connections_per_address, "max-connections-per-address",
         "open connections per client address (IPv6: per /64)")
    .add(upload_budget_mb, "upload-budget-mb",
         "announced sizes of all uploads being read at once, MiB (503 beyond)")
    .add(download_budget_mb, "download-budget-mb",
         "large answers (files) being written at once, MiB (503 beyond)")
    .add(ws_max_queued_total_mb, "ws-max-queued-total-mb",
         "outbound WebSocket bytes queued across all connections, MiB; "
         "beyond it slow readers are dropped")
    .add(ws_max_message_kb, "ws-max-message-kb", "inbound WebSocket message")
    .add(ws_max_queued_kb, "ws-max-queued-kb",
         "outbound queue per WebSocket before a slow client is dropped")
    .add(ws_login_check_s, "ws-login-check-s",
         "consoles and observers re-check their login this often; an ended "
         "login closes them")
    .add(ws_idle_timeout_s, "ws-idle-timeout-s",
         "ping after half of it, drop after all of it without answer")
    .add(ws_max_frame_kb, "ws-max-frame-kb",
         "inbound binary WebSocket message (screen frames)")
    .add(trusted_proxies, "trusted-proxies",
         "comma-separated addresses of reverse proxies whose X-Forwarded-For "
         "names the client")
    .add(ws_messages_per_s, "ws-messages-per-s",
         "inbound WebSocket messages per connection and second (bursts of "
         "twice that)");
  opt_group{custom_options_, "intake"}
    .add(intake_per_address_per_min, "per-address-per-min",
         "customer requests per address and minute (0: unlimited)")
    .add(public_reads_per_address_per_min, "public-reads-per-address-per-min",
         "public portal data and status reads per address and minute (0: "
         "unlimited)")
    .add(offline_grace_s, "offline-grace-s",
         "a technician whose last console left is offline after this")
    .add(restart_grace_s, "restart-grace-s",
         "after a restart, consoles have this long to come back")
    .add(max_open_requests, "max-open-requests", "open requests per account");
  opt_group{custom_options_, "services"}
    .add(hashers, "hashers", "password hashing workers (0: one per core)")
    .add(hash_chunk, "hash-chunk",
         "passwords hashed per job of a bulk import (logins go between jobs)");
  opt_group{custom_options_, "retention"}
    .add(sweep_interval_s, "sweep-interval-s",
         "seconds between passes of the sweeper over old data")
    .add(sweep_batch, "sweep-batch", "records the sweeper looks at per step")
    .add(sweep_pause_ms, "sweep-pause-ms",
         "pause between the sweeper's steps (live traffic goes first)");
  opt_group{custom_options_, "memory"}.add(
    memory_trim_s, "trim-s",
    "seconds between giving freed heap memory back to the system (0: "
    "never)");
  opt_group{custom_options_, "recording"}
    .add(replay_piece_kb, "replay-piece-kb",
         "a replay is answered in pieces of about this size")
    .add(max_replays, "max-replays", "replays decrypting at once (503 beyond)")
    .add(ffmpeg, "ffmpeg",
         "the ffmpeg program that makes WebM exports (found on PATH unless a "
         "path)")
    .add(export_max_mb, "export-max-mb",
         "the largest exported video the node serves, MiB (413 beyond)");
}

std::string node_config::check_config_file() const {
  if (config_file_path.empty())
    return {};
  std::error_code ec;
  if (!std::filesystem::exists(config_file_path, ec)) {
    // CAF's default file name is optional; an explicit one must exist.
    if (config_file_path == "caf-application.ini")
      return {};
    return "config file " + config_file_path + " does not exist";
  }
  auto parsed = parse_config_file(config_file_path.c_str());
  if (!parsed)
    return "config file " + config_file_path + ": " +
           caf::to_string(parsed.error());
  for (const auto& [group, value] : *parsed) {
    if (group != "node" && group != "storage" && group != "gateway" &&
        group != "mail" && group != "intake" && group != "services" &&
        group != "retention" && group != "recording")
      continue; // CAF's own groups (scheduler, middleman, ...)
    if (!caf::holds_alternative<caf::settings>(value))
      return "config file " + config_file_path + ": '" + group +
             "' must be a group";
    for (const auto& [key, v] : caf::get<caf::settings>(value)) {
      auto opt = custom_options_.qualified_name_lookup(group, key);
      if (opt == nullptr)
        return "config file " + config_file_path + ": unknown key " + group +
               "." + key;
      if (auto err = opt->check(v))
        return "config file " + config_file_path + ": " + group + "." + key +
               ": " + caf::to_string(err);
    }
  }
  return {};
}

std::string node_config::validate() const {
  if (data_dir.empty())
    return "node.data-dir: must not be empty";
  if (io_threads == 0 || io_threads > 64)
    return "node.io-threads: must be between 1 and 64";
  if (map_size_mb < 16 || map_size_mb > (1u << 24))
    return "storage.map-size-mb: must be between 16 and 16777216";
  if (max_batches_per_commit == 0)
    return "storage.max-batches-per-commit: must be at least 1";
  if (commit_interval_us > 1000000)
    return "storage.commit-interval-us: must be at most 1000000";
  if (max_write_queue == 0)
    return "storage.max-write-queue: must be at least 1";
  if (map_alert_percent == 0 || map_alert_percent > 100)
    return "storage.map-alert-percent: must be between 1 and 100";
  if (map_refuse_percent == 0 || map_refuse_percent > 100)
    return "storage.map-refuse-percent: must be between 1 and 100";
  if (hashers > 256)
    return "services.hashers: must be between 0 (one per core) and 256";
  if (hash_chunk == 0 || hash_chunk > 1000)
    return "services.hash-chunk: must be between 1 and 1000";
  if (mail_first_retry_s == 0 || mail_first_retry_s > 3600)
    return "mail.first-retry-s: must be 1 to 3600";
  if (report_check_s == 0 || report_check_s > 3600)
    return "mail.report-check-s: must be 1 to 3600";
  if (rollup_interval_s == 0 || rollup_interval_s > 24 * 3600)
    return "reports.rollup-interval-s: must be 1 to 86400 (a day)";
  if (monitor_run_s == 0 || monitor_run_s > 7 * 24 * 3600)
    return "dashboards.monitor-run-s: must be 1 to 604800 (a week)";
  if (sweep_interval_s == 0)
    return "retention.sweep-interval-s: must be at least 1";
  if (sweep_batch == 0 || sweep_batch > 100000)
    return "retention.sweep-batch: must be between 1 and 100000";
  if (replay_piece_kb < 16 || replay_piece_kb > 65536)
    return "recording.replay-piece-kb: must be between 16 and 65536";
  if (max_replays == 0 || max_replays > 64)
    return "recording.max-replays: must be between 1 and 64";
  if (export_max_mb == 0 || export_max_mb > 4096)
    return "recording.export-max-mb: must be between 1 and 4096";
  if (ffmpeg.empty())
    return "recording.ffmpeg: must name a program";
  if (max_connections == 0)
    return "gateway.max-connections: must be at least 1";
  if (header_limit_kb == 0 || header_limit_kb > 1024)
    return "gateway.header-limit-kb: must be between 1 and 1024";
  if (body_limit_kb == 0 || body_limit_kb > 1024 * 1024)
    return "gateway.body-limit-kb: must be between 1 and 1048576";
  if (request_timeout_ms < 100)
    return "gateway.request-timeout-ms: must be at least 100";
  if (linger_ms > 60000)
    return "gateway.linger-ms: must be at most 60000";
  if (keep_alive_timeout_s == 0 || keep_alive_timeout_s > 3600)
    return "gateway.keep-alive-timeout-s: must be between 1 and 3600";
  if (max_connections_per_address == 0)
    return "gateway.max-connections-per-address: must be at least 1";
  if (upload_budget_mb == 0 || upload_budget_mb > (1u << 20))
    return "gateway.upload-budget-mb: must be between 1 and 1048576";
  if (download_budget_mb == 0 || download_budget_mb > (1u << 20))
    return "gateway.download-budget-mb: must be between 1 and 1048576";
  if (ws_max_queued_total_mb == 0 || ws_max_queued_total_mb > (1u << 20))
    return "gateway.ws-max-queued-total-mb: must be between 1 and 1048576";
  if (ws_max_message_kb == 0 || ws_max_queued_kb < ws_max_message_kb)
    return "gateway.ws-max-queued-kb: must be at least "
           "gateway.ws-max-message-kb";
  if (ws_max_frame_kb == 0)
    return "gateway.ws-max-frame-kb: must be at least 1";
  if (ws_messages_per_s == 0 || ws_messages_per_s > 1000000)
    return "gateway.ws-messages-per-s: must be between 1 and 1000000";
  if (ws_login_check_s < 1)
    return "gateway.ws-login-check-s: must be at least 1";
  if (ws_idle_timeout_s < 2)
    return "gateway.ws-idle-timeout-s: must be at least 2";
  if (public_port != 0 && public_port == admin_port)
    return "node.admin-port: must differ from node.public-port";
  return {};
}

} // namespace openassist::node
