#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

// The gateway's own view of HTTP, free of Beast: routes, handlers and the
// fuzz targets work on these.
namespace openassist::gateways {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< as sent: path and query
  std::string path;   ///< percent-decoded path, no query
  std::string query;  ///< raw query string without '?'
  header_list headers;
  std::string body;
  std::string remote_address;
  std::string request_id; ///< for logs; echoed as X-Request-Id

  /// First header of that name (case-insensitive), "" if absent.
  std::string_view header(std::string_view name) const;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  header_list headers;

  static http_response json(unsigned status, const nlohmann::json& body);
  /// A JSON body already serialised (an actor's (status, body) answer).
  static http_response raw_json(unsigned status, std::string body);
  /// The error format of every API: {"error":{"code":..., "message":...}}.
  static http_response error(unsigned status, std::string_view code,
                             std::string_view message);
};

/// Delivers the response of one request. Call exactly once, from any thread.
using responder = std::function<void(http_response)>;

/// Percent-decodes a URL path; false on bad escapes, NUL or invalid bytes.
bool decode_path(std::string_view raw, std::string& out);

/// Splits a request target into decoded path and raw query; false when the
/// target is not an origin-form path ("/...").
bool split_target(std::string_view target, std::string& path,
                  std::string& query);

/// Value of `name` in an application/x-www-form-urlencoded query, "" if absent.
std::string query_param(std::string_view query, std::string_view name);

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), the same rule nlohmann's dump() and
/// parse() apply.
bool valid_utf8(std::string_view text);

/// Why the outside text of a request is unusable, "" when it is fine: the
/// decoded path (without control characters), every decoded query name and
/// value (no malformed escapes, no NUL) and every header value must be valid
/// UTF-8. The router checks this before
/// any route sees the request (400 bad_encoding).
std::string encoding_problem(const http_request& req);

/// Headers that every response carries (CSP, nosniff, frame denial, ...).
const header_list& security_headers();

} // namespace openassist::gateways
