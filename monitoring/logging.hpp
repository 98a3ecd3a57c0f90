#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace openassist::monitoring {

enum class log_format { plain, json };

/// Sets up the node's logging: one stderr sink, plain text or one JSON object
/// per line. Returns an error message for a bad level or format, else "".
std::string setup_logging(const std::string& level, const std::string& format);

/// The named logger of a component ("node", "storage", "gateway", ...),
/// created on first use with the node's sink and level.
std::shared_ptr<spdlog::logger> component_logger(const std::string& name);

} // namespace openassist::monitoring
