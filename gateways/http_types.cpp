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

bool valid_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < n) {
    auto c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80; // bounds of the second byte
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0; // overlong
      else if (c == 0xED)
        hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90; // overlong
      else if (c == 0xF4)
        hi = 0x8F; // above U+10FFFF
    } else {
      return false; // continuation byte, C0, C1 or F5..FF as a lead
    }
    if (n - i < len || byte(i + 1) < lo || byte(i + 1) > hi)
      return false;
    for (size_t k = 2; k < len; ++k)
      if ((byte(i + k) & 0xC0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

std::string encoding_problem(const http_request& req) {
  if (!valid_utf8(req.path))
    return "the path is not valid UTF-8";
  for (unsigned char c : req.path)
    if (c < 0x20 || c == 0x7F)
      return "the path has control characters";
  std::string_view query = req.query;
  std::string key;
  std::string value;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (!percent_decode(pair.substr(0, eq), key, true) ||
        (eq != std::string_view::npos &&
         !percent_decode(pair.substr(eq + 1), value, true)))
      return "the query has a malformed %-escape or a NUL byte";
    if (!valid_utf8(key))
      return "a query parameter name is not valid UTF-8";
    if (eq != std::string_view::npos && !valid_utf8(value))
      return "query parameter " + key + " is not valid UTF-8";
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  for (auto& [name, field] : req.headers)
    if (!valid_utf8(field))
      return "header " + name + " is not valid UTF-8";
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
