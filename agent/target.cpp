#include "agent/target.hpp"

namespace openassist::agent {

namespace {

// "http://host:port" -> scheme, host, port; the rest after the authority
// is returned in `path`.
bool split_url(const std::string& url, target& t, std::string& path,
               std::string& problem) {
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    t.tls = true;
    rest = url.substr(8);
  } else {
    problem = "the address starts with http:// or https://";
    return false;
  }
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  path = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.empty()) {
    problem = "the address names no server";
    return false;
  }
  std::string host = authority;
  std::string port = t.tls ? "443" : "80";
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) {
      problem = "an IPv6 address in brackets";
      return false;
    }
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    problem = "the server's name or port is not valid";
    return false;
  }
  t.host = host;
  t.port = port;
  return true;
}

bool read_code(const std::string& typed, std::string& code,
               std::string& problem) {
  code.clear();
  for (char c : typed) {
    if (c >= '0' && c <= '9')
      code.push_back(c);
    else if (c != ' ' && c != '-') {
      problem = "the code has 10 digits";
      return false;
    }
  }
  if (code.size() != 10) {
    problem = "the code has 10 digits";
    return false;
  }
  return true;
}

} // namespace

std::optional<target> parse_link(const std::string& link,
                                 std::string& problem) {
  target t;
  std::string path;
  if (!split_url(link, t, path, problem))
    return std::nullopt;
  const std::string prefix = "/app/join/";
  if (path.rfind(prefix, 0) != 0) {
    problem = "a join link ends in /app/join/ and the code";
    return std::nullopt;
  }
  auto code = path.substr(prefix.size());
  if (auto q = code.find_first_of("?#"); q != std::string::npos)
    code.resize(q);
  if (!read_code(code, t.code, problem))
    return std::nullopt;
  return t;
}

std::optional<target> parse_server_and_code(const std::string& server,
                                            const std::string& code,
                                            std::string& problem) {
  target t;
  std::string path;
  if (!split_url(server, t, path, problem) || !read_code(code, t.code, problem))
    return std::nullopt;
  return t;
}

} // namespace openassist::agent
