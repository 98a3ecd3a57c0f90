#include "agent/join.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace openassist::agent {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using json = nlohmann::json;

joined join_request(const target& t) {
  if (t.tls)
    throw std::runtime_error(
      "https links are not supported by this build; use the http address");
  net::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(15));
  stream.connect(resolver.resolve(t.host, t.port));
  http::request<http::string_body> req{http::verb::post, "/api/v1/app/join",
                                       11};
  req.set(http::field::host, t.host + ":" + t.port);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "openassist-agent");
  req.body() = json{{"code", t.code}}.dump();
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  auto doc = json::parse(res.body(), nullptr, false);
  if (res.result_int() != 200) {
    std::string message = "the server refused the code";
    if (doc.is_object() && doc.contains("error") && doc["error"].is_object())
      message = doc["error"].value("message", message);
    throw std::runtime_error(message);
  }
  if (!doc.is_object())
    throw std::runtime_error("the server's answer is not understood");
  joined j;
  j.account = doc.value("account", "");
  j.request_id = doc.value("request_id", "");
  j.token = doc.value("token", "");
  j.portal = doc.value("portal", "");
  if (j.account.empty() || j.request_id.empty() || j.token.empty())
    throw std::runtime_error("the server's answer lacks the request");
  return j;
}

} // namespace openassist::agent
