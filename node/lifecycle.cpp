#include "node/lifecycle.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>
#include <tuple>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/dashboard/monitor.hpp"
#include "actors/intake/business_hours.hpp"
#include "actors/intake/desk.hpp"
#include "actors/org/account.hpp"
#include "actors/reports/facts_backfill.hpp"
#include "actors/services/report_mailer.hpp"
#include "actors/services/sweeper.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/keyring.hpp"
#include "actors/session/recording_export.hpp"
#include "actors/session/session.hpp"
#include "gateways/api_v1.hpp"
#include "gateways/app_codes.hpp"
#include "gateways/app_routes.hpp"
#include "gateways/connection.hpp"
#include "gateways/cookie.hpp"
#include "gateways/public_api.hpp"
#include "gateways/recording_routes.hpp"
#include "gateways/report_routes.hpp"
#include "gateways/routes.hpp"
#include "gateways/session_files.hpp"
#include "gateways/upload_gate.hpp"
#include "monitoring/logging.hpp"
#include "monitoring/memory_keeper.hpp"
#include "node/announce.hpp"
#include "node/demo.hpp"

namespace openassist::node {

namespace {

// A service the supervisor restarts, reached through a stable proxy.
template <class Spawn>
caf::actor restart_under(caf::actor_system& sys, supervisor_config& sv,
                         const std::string& name, Spawn spawn) {
  auto proxy = spawn_proxy(sys, name);
  sv.services.push_back({name,
                         [spawn](caf::actor_system& s) {
                           return caf::actor_cast<caf::actor>(spawn(s));
                         },
                         proxy, proxy});
  return proxy;
}

} // namespace

std::optional<std::string> parse_config(node_config& cfg, int argc,
                                        char** argv) {
  if (auto err = cfg.parse(argc, argv))
    return "bad configuration: " + caf::to_string(err);
  if (!cfg.remainder.empty()) {
    std::string unknown;
    for (auto& arg : cfg.remainder)
      unknown += (unknown.empty() ? "" : ", ") + arg;
    return "unknown option(s): " + unknown + " (see --help)";
  }
  if (auto problem = cfg.check_config_file(); !problem.empty())
    return problem;
  if (auto problem = cfg.validate(); !problem.empty())
    return problem;
  return std::nullopt;
}

node_runtime::node_runtime(caf::actor_system& sys, const node_config& cfg,
                           monitoring::node_metrics& metrics)
  : sys_(sys), cfg_(cfg), metrics_(metrics),
    desk_public_url_(std::make_shared<std::string>(cfg.public_url)) {}

std::string node_runtime::start() {
  auto started = std::chrono::system_clock::now();
  if (auto err = open_storage(); !err.empty())
    return err;
  // The service actors run under the node supervisor: those that can be
  // restarted are reached through stable proxies; the writer and the
  // directory are watched (their death makes the node not ready).
  supervisor_config sv = supervision(*metrics_.registry(), readiness_);
  sv.services.push_back(
    {"persistence", nullptr, caf::actor_cast<caf::actor>(persistence_), {}});
  start_services(sv);
  directory_ = sys_.spawn(cluster::directory, entity_factories());
  *directory_handle_ = directory_;
  sv.services.push_back(
    {"directory", nullptr, caf::actor_cast<caf::actor>(directory_), {}});
  start_directory_services(sv);
  supervisor_ = sys_.spawn(supervisor, std::move(sv));
  *auth_handle_ = auth_;

  io_ = std::make_shared<gateways::io_runtime>(
    static_cast<unsigned>(cfg_.io_threads));
  gateways::node_info info{
    env_->info().node_id, OPENASSIST_VERSION, env_->info().version,
    std::chrono::duration_cast<std::chrono::milliseconds>(
      started.time_since_epoch())
      .count()};
  auto opts = server_options();
  if (auto err = start_public(opts, info); !err.empty())
    return err;
  if (auto err = start_admin(opts); !err.empty())
    return err;
  io_->start();
  std::string demo_logins;
  if (cfg_.demo) {
    demo_logins = seed_demo(sys_, directory_);
    if (demo_logins.rfind("demo:", 0) == 0)
      return demo_logins;
  }
  ready_->store(true);

  auto public_url =
    "http://" + cfg_.bind + ":" + std::to_string(public_->port());
  caf::anon_send(auth_, actors::public_url_atom::value,
                 cfg_.public_url.empty() ? public_url : cfg_.public_url);
  return announce_ready(cfg_, info.node_id, public_->port(), admin_->port(),
                        demo_logins);
}

// Test hooks (--node.test-hooks, never in production): kill a service actor
// as a crash would, and read what the supervisor sees.
//   POST /debug/kill {"service":"auth"} -> {"killed":true} (404 unknown)
//   GET /debug/services -> {"<service>":{"up","restarts","restarted"}}

std::string node_runtime::open_storage() {
  auto log = monitoring::component_logger("node");
  storage::environment_options env_opts;
  env_opts.path = cfg_.data_dir;
  env_opts.map_size = static_cast<uint64_t>(cfg_.map_size_mb) << 20;
  auto env = storage::environment::open(env_opts);
  if (!env)
    return "node.data-dir: " + sys_.render(env.error());
  env_ = *env;
  log->info("storage open at {} (schema {}, node {}, last event {})",
            env_->path(), env_->info().version, env_->info().node_id,
            env_->last_event_seq());
  // Report facts for requests stored before they existed (once).
  uint64_t backfilled = 0;
  if (auto err =
        actors::reports::backfill_report_facts(*env_, 1000, backfilled))
    return "storage: report facts: " + sys_.render(err);
  if (backfilled > 0)
    log->info("report facts written for {} stored requests", backfilled);

  storage::persistence_config pcfg;
  pcfg.env = env_;
  pcfg.metrics = metrics_.storage;
  pcfg.max_batches_per_commit = cfg_.max_batches_per_commit;
  pcfg.max_queue = cfg_.max_write_queue;
  pcfg.commit_interval =
    std::chrono::microseconds{static_cast<int64_t>(cfg_.commit_interval_us)};
  pcfg.map_alert_ratio = static_cast<double>(cfg_.map_alert_percent) / 100.0;
  pcfg.map_refuse_ratio = static_cast<double>(cfg_.map_refuse_percent) / 100.0;
  metrics_.add_collector([status = pcfg.status, m = metrics_.storage] {
    storage::publish_queue(*status, m);
  });
  persistence_ = sys_.spawn<caf::detached>(storage::persistence, pcfg);

  return {};
}

void node_runtime::start_services(supervisor_config& sv) {
  actors::hasher_pool_config hcfg;
  hcfg.workers = cfg_.hashers;
  hcfg.chunk = cfg_.hash_chunk;
  hcfg.on_restart = [family = sv.restarts] {
    family->Add({{"service", "hasher-worker"}}).Increment();
  };
  hasher_ = caf::actor_cast<actors::hasher_actor>(
    restart_under(sys_, sv, "hasher", [hcfg](caf::actor_system& sys) {
      return sys.spawn(actors::hasher_pool, hcfg);
    }));
  auto blob_store =
    std::make_shared<storage::blob_store>(cfg_.data_dir + "/blobs");
  blobs_ =
    restart_under(sys_, sv, "blobs", [blob_store](caf::actor_system& sys) {
      return sys.spawn<caf::detached>(actors::blobs_actor, blob_store);
    });

  actors::keyring_config kcfg;
  kcfg.env = env_;
  kcfg.persistence = persistence_;
  kcfg.blobs = blob_store;
  kcfg.replay_piece_bytes = cfg_.replay_piece_kb * 1024;
  kcfg.max_replays = cfg_.max_replays;
  keyring_ = restart_under(sys_, sv, "keyring", [kcfg](caf::actor_system& sys) {
    return sys.spawn<caf::detached>(actors::keyring_actor, kcfg);
  });
  actors::mailer_config mcfg;
  mcfg.env = env_;
  mcfg.persistence = persistence_;
  mcfg.smtp_url = cfg_.smtp_url;
  mcfg.from = cfg_.mail_from;
  mcfg.first_retry = std::chrono::seconds(cfg_.mail_first_retry_s);
  mailer_ = caf::actor_cast<actors::mailer_actor>(
    restart_under(sys_, sv, "mailer", [mcfg](caf::actor_system& sys) {
      return sys.spawn<caf::detached>(actors::mailer, mcfg);
    }));
  actors::sweeper_config swcfg;
  swcfg.env = env_;
  swcfg.persistence = persistence_;
  swcfg.blobs = blobs_;
  swcfg.interval = std::chrono::seconds(cfg_.sweep_interval_s);
  swcfg.batch = cfg_.sweep_batch;
  swcfg.pause = std::chrono::milliseconds(cfg_.sweep_pause_ms);
  restart_under(sys_, sv, "sweeper", [swcfg](caf::actor_system& sys) {
    return sys.spawn(actors::sweeper, swcfg);
  });
  monitoring::memory_keeper_config mkcfg;
  mkcfg.interval = std::chrono::seconds(cfg_.memory_trim_s);
  mkcfg.trims = metrics_.memory.trims;
  mkcfg.released_bytes = metrics_.memory.released_bytes;
  mkcfg.trim_seconds = metrics_.memory.trim_seconds;
  restart_under(sys_, sv, "memory_keeper", [mkcfg](caf::actor_system& sys) {
    return sys.spawn(monitoring::memory_keeper, mkcfg);
  });
}

void node_runtime::start_directory_services(supervisor_config& sv) {
  actors::auth_config authcfg;
  authcfg.mailer = mailer_;
  authcfg.env = env_;
  authcfg.persistence = persistence_;
  authcfg.hasher = hasher_;
  {
    // One core stays with the actors however many addresses flood logins.
    size_t hashers = cfg_.hashers != 0
                       ? cfg_.hashers
                       : std::max(1u, std::thread::hardware_concurrency());
    authcfg.gate.slots = std::max<size_t>(1, hashers - 1);
  }
  authcfg.directory = directory_;
  auth_ = caf::actor_cast<actors::auth_actor>(
    restart_under(sys_, sv, "auth", [authcfg](caf::actor_system& sys) {
      return sys.spawn(actors::auth, authcfg);
    }));
  actors::report_mailer_config rmcfg;
  rmcfg.env = env_;
  rmcfg.directory = directory_;
  rmcfg.mailer = mailer_;
  rmcfg.check_every = std::chrono::seconds(cfg_.report_check_s);
  restart_under(sys_, sv, "report_mailer", [rmcfg](caf::actor_system& sys) {
    return sys.spawn(actors::report_mailer, rmcfg);
  });
}

gateways::server_options node_runtime::server_options() const {
  gateways::server_options opts;
  opts.address = cfg_.bind;
  opts.port = cfg_.public_port;
  opts.max_connections = cfg_.max_connections;
  opts.header_limit = cfg_.header_limit_kb * 1024;
  opts.body_limit = cfg_.body_limit_kb * 1024;
  opts.request_timeout = std::chrono::milliseconds(cfg_.request_timeout_ms);
  opts.linger_timeout = std::chrono::milliseconds(cfg_.linger_ms);
  opts.keep_alive_timeout = std::chrono::seconds(cfg_.keep_alive_timeout_s);
  opts.max_connections_per_address = cfg_.max_connections_per_address;
  opts.upload_budget = cfg_.upload_budget_mb << 20;
  opts.download_budget = cfg_.download_budget_mb << 20;
  opts.ws_max_queued_total = cfg_.ws_max_queued_total_mb << 20;
  opts.ws_max_message = cfg_.ws_max_message_kb * 1024;
  opts.ws_max_queued_bytes = cfg_.ws_max_queued_kb * 1024;
  opts.ws_idle_timeout = std::chrono::seconds(cfg_.ws_idle_timeout_s);
  opts.ws_messages_per_second = static_cast<double>(cfg_.ws_messages_per_s);
  opts.ws_max_binary = cfg_.ws_max_frame_kb * 1024;
  opts.trusted_proxies = gateways::parse_address_list(cfg_.trusted_proxies);
  opts.ws_burst = 2.0 * static_cast<double>(cfg_.ws_messages_per_s);

  return opts;
}

gateways::exception_hook node_runtime::exception_hook() {
  // An exception at a handler boundary is answered 500, counted and logged;
  // the node lives on.
  return [family = metrics_.gateway.handler_exceptions,
          gw_log = monitoring::component_logger("gateway")](
           const char* where, std::string_view what) {
    if (family != nullptr)
      family->Add({{"where", where}}).Increment();
    gw_log->warn("exception caught at the {} boundary: {}", where, what);
  };
}

std::string node_runtime::start_public(gateways::server_options opts,
                                       const gateways::node_info& info) {
  auto caught = exception_hook();
  gateways::router routes;
  routes.on_exception(caught);
  gateways::add_status_routes(routes, info);
  gateways::api_context api{&sys_, directory_, auth_};
  api.on_exception = caught;
  api.blobs = blobs_;
  api.keyring = keyring_;
  api.exports.spawn = [sys =
                         &sys_](const actors::recording::exporter_config& c) {
    return caf::actor{
      sys->spawn<caf::detached>(actors::recording::exporter, c)};
  };
  api.exports.ffmpeg = cfg_.ffmpeg;
  api.exports.work_dir = cfg_.data_dir + "/exports";
  api.exports.max_bytes = static_cast<uint64_t>(cfg_.export_max_mb) << 20;
  api.secure_cookies = cfg_.secure_cookies;
  api.join_codes = std::make_shared<gateways::app_codes>();
  gateways::add_api_v1_routes(routes, api);
  auto files = std::make_shared<gateways::static_files>(cfg_.web_dir);
  gateways::add_public_routes(routes, api, files,
                              cfg_.public_reads_per_address_per_min);
  gateways::add_app_routes(routes, api, files, cfg_.downloads_dir);
  gateways::add_file_routes(routes, api);
  opts.upload_gate = gateways::make_upload_gate(api);
  gateways::add_recording_routes(routes, api);
  gateways::add_report_routes(routes, api);
  gateways::add_static_routes(routes, files);
  auto ws = websocket_routes(info);
  auto pub = gateways::http_server::start(*io_, opts, std::move(routes),
                                          std::move(ws), metrics_.gateway);
  if (!pub)
    return "node.public-port: " + sys_.render(pub.error());
  public_ = std::move(*pub);
  if (desk_public_url_->empty())
    *desk_public_url_ =
      "http://" + cfg_.bind + ":" + std::to_string(public_->port());

  return {};
}

gateways::ws_routes
node_runtime::websocket_routes(const gateways::node_info& info) {
  gateways::ws_routes ws;
  auto* alive = metrics_.actors.alive;
  ws.emplace(
    "/ws/v1",
    [this, info, alive](const gateways::http_request& req,
                        std::shared_ptr<gateways::ws_outbox> out,
                        gateways::http_response& refuse)
      -> std::optional<gateways::ws_connection> {
      // Cross-site WebSocket hijacking: a browser page of another origin must
      // not use the visitor's session cookie.
      auto origin = req.header("Origin");
      auto host = req.header("Host");
      if (!origin.empty() && origin != "http://" + std::string{host} &&
          origin != "https://" + std::string{host}) {
        refuse = gateways::http_response::error(
          403, "forbidden_origin", "WebSocket from another origin");
        return std::nullopt;
      }
      gateways::connection_config ccfg;
      ccfg.out = std::move(out);
      ccfg.node_id = info.node_id;
      ccfg.version = info.version;
      ccfg.remote_address = req.remote_address;
      ccfg.directory = directory_;
      ccfg.auth = auth_;
      ccfg.session_token =
        gateways::cookie_value(req.header("Cookie"), "oa_session");
      ccfg.login_check_every = std::chrono::seconds(cfg_.ws_login_check_s);
      ccfg.mailbox = metrics_.gateway.connection_mailbox;
      auto conn = sys_.spawn(gateways::connection, std::move(ccfg));
      if (alive != nullptr) {
        alive->Add({{"kind", "connection"}}).Increment();
        conn->attach_functor([alive] {
          alive->Add({{"kind", "connection"}}).Decrement();
        });
      }
      gateways::ws_connection handlers;
      handlers.on_text = [conn](std::string text) {
        caf::anon_send(conn, gateways::ws_text_atom::value, std::move(text));
      };
      handlers.on_binary = [conn](std::string bytes) {
        caf::anon_send(conn, gateways::ws_binary_atom::value, std::move(bytes));
      };
      handlers.on_close = [conn] {
        caf::anon_send(conn, gateways::ws_closed_atom::value);
      };
      return std::optional<gateways::ws_connection>{std::move(handlers)};
    });
  return ws;
}

std::string node_runtime::start_admin(gateways::server_options opts) {
  auto caught = exception_hook();
  auto admin_opts = opts;
  admin_opts.name = "admin";
  admin_opts.address = cfg_.admin_bind;
  admin_opts.port = cfg_.admin_port;
  admin_opts.max_connections = 64;
  admin_opts.upload_gate = nullptr; // no uploads on the admin port
  auto admin_routes = gateways::make_admin_router(
    [m = &metrics_] { return m->scrape(); }, ready_,
    [env = env_](const std::string& dir) -> std::string {
      // A fresh or empty directory only: never overwrite a data directory.
      std::error_code ec;
      if (std::filesystem::exists(dir, ec) &&
          !std::filesystem::is_empty(dir, ec))
        return "directory " + dir + " exists and is not empty";
      if (auto err = env->backup_to(dir))
        return caf::to_string(err);
      monitoring::component_logger("storage")->info("backup written to {}",
                                                    dir);
      return {};
    },
    [why = readiness_] { return why->why_not(); });
  if (cfg_.test_hooks)
    add_test_hooks(admin_routes);
  admin_routes.on_exception(caught);
  gateways::api_context operator_api{&sys_, directory_, auth_};
  operator_api.on_exception = caught;
  gateways::add_operator_routes(admin_routes, operator_api);
  auto admin = gateways::http_server::start(*io_, admin_opts,
                                            std::move(admin_routes), {}, {});
  if (!admin)
    return "node.admin-port: " + sys_.render(admin.error());
  admin_ = std::move(*admin);
  return {};
}

void node_runtime::add_test_hooks(gateways::router& routes) {
  auto sys = &sys_;
  auto sv = supervisor_;
  routes.add(
    "POST", "/debug/kill",
    [sys, sv](const gateways::http_request& req, const gateways::path_params&,
              gateways::responder respond) {
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("service") ||
          !body["service"].is_string())
        return respond(gateways::http_response::error(
          400, "bad_field", "service: must be a service name"));
      auto name = body["service"].get<std::string>();
      sys->spawn([sv, name, respond](caf::event_based_actor* self) {
        self
          ->request(sv, std::chrono::seconds(10), service_kill_atom::value,
                    name)
          .then(
            [self, respond](bool killed) {
              respond(killed
                        ? gateways::http_response::json(200, {{"killed", true}})
                        : gateways::http_response::error(404, "not_found",
                                                         "no such service"));
              self->quit();
            },
            [self, respond](caf::error&) {
              respond(gateways::http_response::error(503, "unavailable",
                                                     "try again"));
              self->quit();
            });
      });
    });
  routes.add(
    "GET", "/debug/services",
    [sys, sv](const gateways::http_request&, const gateways::path_params&,
              gateways::responder respond) {
      sys->spawn([sv, respond](caf::event_based_actor* self) {
        self->request(sv, std::chrono::seconds(10), service_status_atom::value)
          .then(
            [self, respond](std::string& body) {
              respond(gateways::http_response::raw_json(200, std::move(body)));
              self->quit();
            },
            [self, respond](caf::error&) {
              respond(gateways::http_response::error(503, "unavailable",
                                                     "try again"));
              self->quit();
            });
      });
    });
}

void node_runtime::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  ready_->store(false);
  auto log = monitoring::component_logger("node");
  step_->store("closing the ports");
  if (public_)
    public_->stop();
  if (admin_)
    admin_->stop();
  // Entities and services first; writes they already handed to the writer
  // stay in its mailbox and are committed by the sync below.
  step_->store("stopping actors");
  // The supervisor first, so that services stopping now are not restarted
  // (its exit ends the incarnations it started).
  if (supervisor_)
    caf::anon_send_exit(supervisor_, caf::exit_reason::user_shutdown);
  if (directory_)
    caf::anon_send_exit(directory_, caf::exit_reason::user_shutdown);
  if (auth_)
    caf::anon_send_exit(auth_, caf::exit_reason::user_shutdown);
  if (hasher_)
    caf::anon_send_exit(hasher_, caf::exit_reason::user_shutdown);
  if (mailer_)
    caf::anon_send_exit(mailer_, caf::exit_reason::user_shutdown);
  if (blobs_)
    caf::anon_send_exit(blobs_, caf::exit_reason::user_shutdown);
  if (keyring_)
    caf::anon_send_exit(keyring_, caf::exit_reason::user_shutdown);
  step_->store("finishing HTTP/WebSocket I/O");
  if (io_)
    io_->stop();
  public_.reset();
  admin_.reset();
  step_->store("committing pending writes");
  if (persistence_) {
    caf::scoped_actor self{sys_};
    self
      ->request(persistence_, std::chrono::seconds(30),
                storage::sync_atom::value)
      .receive(
        [&](uint64_t commits) {
          log->info("storage synced ({} commits)", commits);
        },
        [&](caf::error& err) {
          log->error("storage sync failed: {}", sys_.render(err));
        });
    self->send_exit(persistence_, caf::exit_reason::user_shutdown);
  }
  step_->store("waiting for actors to finish");
  log->info("stopped");
}

} // namespace openassist::node
