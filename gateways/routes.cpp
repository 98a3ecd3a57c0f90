#include "gateways/routes.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace openassist::gateways {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
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
                         std::shared_ptr<std::atomic<bool>> ready) {
  router r;
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
        [ready](const http_request&, const path_params&, responder respond) {
          if (ready->load())
            respond(http_response::json(200, {{"status", "ready"}}));
          else
            respond(http_response::error(503, "not_ready",
                                         "node is starting or stopping"));
        });
  return r;
}

} // namespace openassist::gateways
