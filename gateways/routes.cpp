#include "gateways/routes.hpp"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "gateways/json_body.hpp"

namespace openassist::gateways {

namespace {

int64_t now_ms() {
  return actors::wall_ms();
}

} // namespace

void add_status_routes(router& r, node_info info) {
  r.add("GET", "/api/v1/status",
        [info](const http_request&, const path_params&, responder respond) {
          respond(http_response::json(
            200, {{"name", "openassist"},
                  {"version", info.version},
                  {"node_id", info.node_id},
                  {"uptime_seconds", (now_ms() - info.started_unix_ms) / 1000},
                  {"storage", {{"schema_version", info.schema_version}}}}));
        });
}

void add_static_routes(router& r, std::shared_ptr<static_files> files) {
  r.add(
    "GET", "/*",
    [files](const http_request& req, const path_params&, responder respond) {
      // Unknown API paths answer in the API's error format, not index.html.
      if (req.path.rfind("/api/", 0) == 0)
        return respond(
          http_response::error(404, "not_found", "no such API resource"));
      respond(files->serve(req.path, req.header("If-None-Match")));
    },
    "static");
}

router make_admin_router(std::function<std::string()> scrape,
                         std::shared_ptr<std::atomic<bool>> ready,
                         backup_function backup,
                         std::function<std::string()> not_ready) {
  router r;
  auto busy = std::make_shared<std::atomic<bool>>(false);
  r.add("POST", "/backup",
        [backup, busy](const http_request& req, const path_params&,
                       responder respond) {
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          auto dir = body->find("directory");
          if (dir == body->end() || !dir->is_string() ||
              dir->get<std::string>().empty() ||
              dir->get<std::string>().front() != '/' ||
              dir->get<std::string>().size() > 4096)
            return respond(http_response::error(
              400, "bad_field", "directory: must be an absolute path"));
          if (busy->exchange(true))
            return respond(http_response::error(409, "backup_running",
                                                "a backup is already running"));
          // mdb_env_copy2 takes as long as the data: not on an I/O thread.
          std::thread([backup, busy, respond, path = dir->get<std::string>()] {
            auto started = std::chrono::steady_clock::now();
            auto problem = backup(path);
            busy->store(false);
            if (!problem.empty())
              return respond(
                http_response::error(500, "backup_failed", problem));
            respond(http_response::json(
              200, {{"directory", path},
                    {"seconds", std::chrono::duration<double>(
                                  std::chrono::steady_clock::now() - started)
                                  .count()}}));
          }).detach();
        });
  r.add("GET", "/metrics",
        [scrape](const http_request&, const path_params&, responder respond) {
          http_response res;
          res.content_type = "text/plain; version=0.0.4; charset=utf-8";
          res.body = scrape();
          respond(std::move(res));
        });
  r.add("GET", "/healthz",
        [](const http_request&, const path_params&, responder respond) {
          respond(http_response::json(200, {{"status", "ok"}}));
        });
  r.add("GET", "/readyz",
        [ready, not_ready](const http_request&, const path_params&,
                           responder respond) {
          if (!ready->load())
            return respond(http_response::error(
              503, "not_ready", "node is starting or stopping"));
          // A service that died and is not (yet) back says why.
          if (auto why = not_ready ? not_ready() : std::string{}; !why.empty())
            return respond(http_response::error(503, "not_ready", why));
          respond(http_response::json(200, {{"status", "ready"}}));
        });
  return r;
}

} // namespace openassist::gateways
