#pragma once

#include <string>
#include <string_view>

namespace openassist::gateways {

/// What the support team sees of a customer's machine (spec 3, source
/// information), read from the User-Agent header. Never fails: unknown parts
/// are "unknown"; at most 512 bytes of the header are looked at.
struct client_info {
  std::string device = "desktop"; ///< desktop, mobile, tablet
  std::string os =
    "unknown"; ///< e.g. "Windows 10/11", "macOS 14.2", "Android 14"
  std::string browser = "unknown"; ///< e.g. "Chrome 120", "Firefox 121"
};

client_info parse_user_agent(std::string_view ua);

} // namespace openassist::gateways
