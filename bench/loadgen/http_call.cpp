#include "http_call.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>
#include <stdexcept>

namespace openassist::loadgen {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

http::response<http::string_body>
raw_call(unsigned short port, http::verb verb, const std::string& target,
         std::string body, const std::string& cookie, const std::string& csrf) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(
    tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::user_agent, "openassist-loadgen");
  if (!cookie.empty())
    req.set(http::field::cookie, cookie);
  if (!csrf.empty())
    req.set("X-CSRF-Token", csrf);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(stream, buffer, parser);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return parser.release();
}

} // namespace

http_answer http_call(unsigned short port, http::verb verb,
                      const std::string& target, const nlohmann::json& body,
                      const std::string& cookie, const std::string& csrf) {
  auto res = raw_call(port, verb, target, body.is_null() ? "" : body.dump(),
                      cookie, csrf);
  http_answer out;
  out.status = res.result_int();
  out.body = nlohmann::json::parse(res.body(), nullptr, false);
  if (out.body.is_discarded())
    out.body = nullptr;
  if (auto it = res.find(http::field::set_cookie); it != res.end()) {
    const auto value = std::string(it->value());
    out.cookie = value.substr(0, value.find(';'));
  }
  return out;
}

std::string metrics_text(unsigned short admin_port) {
  return raw_call(admin_port, http::verb::get, "/metrics", {}, {}, {}).body();
}

double metric_value(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() <= name.size() || line.compare(0, name.size(), name) != 0)
      continue;
    const char next = line[name.size()];
    if (next != ' ' && next != '{')
      continue;
    return std::strtod(line.c_str() + line.rfind(' ') + 1, nullptr);
  }
  return 0;
}

http_answer demo_login(unsigned short port, const std::string& kind,
                       const std::string& email, const std::string& password) {
  auto answer =
    http_call(port, http::verb::post, "/api/v1/auth/login",
              {{"kind", kind}, {"email", email}, {"password", password}});
  if (answer.status != 200 || answer.cookie.empty())
    throw std::runtime_error("login of " + email +
                             " refused: " + std::to_string(answer.status));
  return answer;
}

} // namespace openassist::loadgen
