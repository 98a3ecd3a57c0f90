#include "gateways/user_agent.hpp"

#include <cctype>

namespace openassist::gateways {

namespace {

bool has(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// The version after `token` ("Chrome/120.0.1" -> "120"), digits and dots,
// up to `parts` dot-separated parts; "" when absent.
std::string version_after(std::string_view s, std::string_view token,
                          int parts = 1) {
  auto i = s.find(token);
  if (i == std::string_view::npos)
    return {};
  i += token.size();
  std::string out;
  int seen = 1;
  for (; i < s.size() && out.size() < 16; ++i) {
    char c = s[i];
    if (c == '.' || c == '_') {
      if (seen >= parts)
        break;
      ++seen;
      out.push_back('.');
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else {
      break;
    }
  }
  while (!out.empty() && out.back() == '.')
    out.pop_back();
  return out;
}

std::string named(const char* name, const std::string& version) {
  return version.empty() ? std::string{name}
                         : std::string{name} + " " + version;
}

} // namespace

client_info parse_user_agent(std::string_view ua) {
  if (ua.size() > 512)
    ua = ua.substr(0, 512);
  client_info out;
  if (ua.empty())
    return out;
  // Device.
  if (has(ua, "iPad") || (has(ua, "Android") && !has(ua, "Mobile")) ||
      has(ua, "Tablet"))
    out.device = "tablet";
  else if (has(ua, "Mobile") || has(ua, "iPhone") || has(ua, "Android"))
    out.device = "mobile";
  // Operating system.
  if (has(ua, "Windows NT 10.0"))
    out.os = "Windows 10/11";
  else if (has(ua, "Windows NT 6.3"))
    out.os = "Windows 8.1";
  else if (has(ua, "Windows NT 6.1"))
    out.os = "Windows 7";
  else if (has(ua, "Windows"))
    out.os = "Windows";
  else if (has(ua, "iPhone OS") || has(ua, "iPad"))
    out.os = named("iOS", version_after(ua, "OS ", 2));
  else if (has(ua, "Mac OS X"))
    out.os = named("macOS", version_after(ua, "Mac OS X ", 2));
  else if (has(ua, "Android"))
    out.os = named("Android", version_after(ua, "Android ", 1));
  else if (has(ua, "CrOS"))
    out.os = "ChromeOS";
  else if (has(ua, "Linux"))
    out.os = "Linux";
  // Browser: the order matters, as most claim to be several.
  if (has(ua, "Edg/"))
    out.browser = named("Edge", version_after(ua, "Edg/"));
  else if (has(ua, "OPR/"))
    out.browser = named("Opera", version_after(ua, "OPR/"));
  else if (has(ua, "Firefox/"))
    out.browser = named("Firefox", version_after(ua, "Firefox/"));
  else if (has(ua, "HeadlessChrome/"))
    out.browser =
      named("Chrome Headless", version_after(ua, "HeadlessChrome/"));
  else if (has(ua, "Chrome/"))
    out.browser = named("Chrome", version_after(ua, "Chrome/"));
  else if (has(ua, "Safari/") && has(ua, "Version/"))
    out.browser = named("Safari", version_after(ua, "Version/"));
  else if (has(ua, "curl/"))
    out.browser = named("curl", version_after(ua, "curl/", 2));
  return out;
}

} // namespace openassist::gateways
