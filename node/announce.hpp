#pragma once

#include <cstdint>
#include <string>

#include "node/config.hpp"

namespace openassist::node {

/// Says that the node is ready: the ready file (--node.ready-file, written
/// whole or not at all), the log line and the URLs on standard output (with
/// the demo's logins). "" or what went wrong.
std::string announce_ready(const node_config& cfg, const std::string& node_id,
                           uint16_t public_port, uint16_t admin_port,
                           const std::string& demo_logins);

} // namespace openassist::node
