#include "node/announce.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "monitoring/logging.hpp"
#include "monitoring/memory_keeper.hpp"

namespace openassist::node {

std::string announce_ready(const node_config& cfg, const std::string& node_id,
                           uint16_t public_port, uint16_t admin_port,
                           const std::string& demo_logins) {
  auto public_url = "http://" + cfg.bind + ":" + std::to_string(public_port);
  auto admin_url =
    "http://" + cfg.admin_bind + ":" + std::to_string(admin_port);
  if (!cfg.ready_file.empty()) {
    nlohmann::json ready = {{"public_port", public_port},
                            {"admin_port", admin_port},
                            {"node_id", node_id},
                            {"pid", ::getpid()}};
    auto tmp = cfg.ready_file + ".tmp";
    std::ofstream(tmp) << ready.dump() << '\n';
    std::error_code ec;
    std::filesystem::rename(tmp, cfg.ready_file, ec);
    if (ec)
      return "node.ready-file: cannot write " + cfg.ready_file + ": " +
             ec.message();
  }
  monitoring::component_logger("node")->info(
    "node {} ready: web {}/ , metrics {}/metrics (malloc: {}{})", node_id,
    public_url, admin_url, monitoring::allocator_name(),
    monitoring::allocator_returns_memory() ? ", background purge" : "");
  std::cout << "openassist is running (node " << node_id << ")\n"
            << "  web UIs:      " << public_url << "/\n"
            << "  status API:   " << public_url << "/api/v1/status\n"
            << "  metrics:      " << admin_url << "/metrics\n"
            << "  health:       " << admin_url << "/healthz  " << admin_url
            << "/readyz\n"
            << "  Management Center: " << public_url << "/manage/\n"
            << "  Technician console: " << public_url << "/console/\n";
  if (cfg.demo)
    std::cout
      << "  Customer portals (demo): " << public_url
      << "/p/demo/help (SmartBox), "
      << "/p/demo/experts (SmartMatch), /p/demo/button (SmartButton),\n"
      << "                           /p/demo/phone (SmartPin), /p/demo/queue "
         "(queue, skills routing)\n";
  if (!cfg.downloads_dir.empty())
    std::cout << "  Support app (Linux): " << public_url << "/downloads/\n";
  std::cout << demo_logins << std::flush;
  return {};
}

} // namespace openassist::node
