#pragma once

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace openassist::loadgen {

/// What the node answered a set-up call: status, parsed JSON body (null when
/// not JSON) and the session cookie it set ("name=value", or empty).
struct http_answer {
  unsigned status = 0;
  nlohmann::json body;
  std::string cookie;
};

/// One blocking HTTP/1.1 call to 127.0.0.1:`port` on a connection of its
/// own, for set-up and metrics, not for load. Throws boost::system::
/// system_error when the node cannot be reached.
http_answer http_call(unsigned short port, boost::beast::http::verb verb,
                      const std::string& target,
                      const nlohmann::json& body = nullptr,
                      const std::string& cookie = {},
                      const std::string& csrf = {});

/// The text of GET /metrics on the admin port.
std::string metrics_text(unsigned short admin_port);
/// The value of the first sample whose line starts with `name` followed by a
/// space or `{`, or 0.
double metric_value(const std::string& text, const std::string& name);

/// Logs in on the demo account; the answer carries the cookie and, in the
/// body, the CSRF token. Throws std::runtime_error on refusal.
http_answer demo_login(unsigned short port, const std::string& kind,
                       const std::string& email, const std::string& password);

} // namespace openassist::loadgen
