#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "gateways/router.hpp"
#include "gateways/static_files.hpp"

namespace openassist::gateways {

/// What the node tells about itself on GET /api/v1/status.
struct node_info {
  std::string node_id;
  std::string version;
  uint32_t schema_version = 0;
  int64_t started_unix_ms = 0;
};

/// Routes of the public port that belong to the node itself: the status API
/// and the web UIs (static files, GET/HEAD of everything not routed before).
/// Feature routes are added before `add_static_routes`.
void add_status_routes(router& r, node_info info);
void add_static_routes(router& r, std::shared_ptr<static_files> files);

/// Makes an online copy of the node's storage into a new or empty
/// directory; returns "" or what went wrong. Runs on its own thread.
using backup_function = std::function<std::string(const std::string& dir)>;

/// The admin port: /metrics (Prometheus text), /healthz (process alive),
/// /readyz (200 while `ready` and `not_ready` says "", else 503 with the
/// reason), POST /backup {"directory": ...}.
router make_admin_router(std::function<std::string()> scrape,
                         std::shared_ptr<std::atomic<bool>> ready,
                         backup_function backup,
                         std::function<std::string()> not_ready = {});

} // namespace openassist::gateways
