#pragma once

#include <nlohmann/json.hpp>

// The computer's details the technician may ask for (docs/remote-control.md,
// "Diagnostics"), read from /proc, /etc/os-release, uname and the mounted
// file systems; at most 48 KiB as JSON.
namespace openassist::agent {

nlohmann::json collect_diagnostics();

} // namespace openassist::agent
