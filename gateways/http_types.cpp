#include "gateways/http_types.hpp"

#include <strings.h>

#include <nlohmann/json.hpp>

namespace openassist::gateways {

std::string_view http_request::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (k.size() == name.size() &&
        strncasecmp(k.data(), name.data(), name.size()) == 0)
      return v;
  return {};
}

http_response http_response::json(unsigned status, const nlohmann::json& body) {
  http_response res;
  res.status = status;
  // Replace invalid UTF-8 instead of throwing: output must never fail.
  res.body =
    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

http_response http_response::raw_json(unsigned status, std::string body) {
  http_response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

http_response http_response::error(unsigned status, std::string_view code,
                                   std::string_view message) {
  return json(status, {{"error", {{"code", code}, {"message", message}}}});
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view raw, std::string& out,
                    bool plus_is_space) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size())
        return false;
      int hi = hex_value(raw[i + 1]);
      int lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0)
        return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0')
      return false;
    out.push_back(c);
  }
  return true;
}

} // namespace

bool decode_path(std::string_view raw, std::string& out) {
  return percent_decode(raw, out, false);
}

bool split_target(std::string_view target, std::string& path,
                  std::string& query) {
  if (target.empty() || target.front() != '/')
    return false;
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string{}
                                      : std::string{target.substr(q + 1)};
  if (auto hash = query.find('#'); hash != std::string::npos)
    query.resize(hash);
  return decode_path(raw_path, path);
}

std::string query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    std::string key;
    if (percent_decode(pair.substr(0, eq), key, true) && key == name) {
      std::string value;
      if (eq != std::string_view::npos &&
          percent_decode(pair.substr(eq + 1), value, true))
        return value;
      return {};
    }
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

const header_list& security_headers() {
  static const header_list headers = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
     "connect-src 'self'; object-src 'none'; base-uri 'none'; "
     "frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
  };
  return headers;
}

} // namespace openassist::gateways
