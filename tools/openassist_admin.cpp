// openassist-admin: the SRE's tool, talks to a node's admin port.
//
//   openassist-admin [--admin http://HOST:PORT] health | ready | metrics
//   [PREFIX]
//                                             | backup DIR
//                 | create-account ID NAME MANAGER_EMAIL MANAGER_PASSWORD
//
// Exit codes: 0 ok, 1 the node answered with an error or is not ready,
// 2 usage, 3 the node could not be reached.

#include <iostream>
#include <sstream>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

struct reply {
  unsigned status = 0;
  std::string body;
};

bool call(const std::string& host, const std::string& port, http::verb verb,
          const std::string& target, const std::string& body, reply& out,
          std::string& problem) {
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(600));
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "openassist-admin");
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    out.status = res.result_int();
    out.body = res.body();
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    return true;
  } catch (const std::exception& e) {
    problem = e.what();
    return false;
  }
}

int usage() {
  std::cerr
    << "usage: openassist-admin [--admin http://HOST:PORT] "
       "health | ready | metrics [PREFIX] | backup DIR\n"
       "       | create-account ID NAME MANAGER_EMAIL MANAGER_PASSWORD\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string admin = "http://127.0.0.1:9090";
  int i = 1;
  if (i + 1 < argc && std::string{argv[i]} == "--admin") {
    admin = argv[i + 1];
    i += 2;
  }
  if (i >= argc)
    return usage();
  std::string command = argv[i++];
  if (admin.rfind("http://", 0) != 0)
    return usage();
  auto hostport = admin.substr(7);
  if (auto slash = hostport.find('/'); slash != std::string::npos)
    hostport.resize(slash);
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos)
    return usage();
  auto host = hostport.substr(0, colon);
  auto port = hostport.substr(colon + 1);

  reply res;
  std::string problem;
  bool reached = false;
  if (command == "health" || command == "ready") {
    reached =
      call(host, port, http::verb::get,
           command == "health" ? "/healthz" : "/readyz", "", res, problem);
  } else if (command == "metrics") {
    reached = call(host, port, http::verb::get, "/metrics", "", res, problem);
    if (reached && res.status == 200 && i < argc) {
      std::string prefix = argv[i];
      std::string filtered, line;
      std::istringstream in(res.body);
      while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0)
          filtered += line + '\n';
      res.body = filtered;
    }
  } else if (command == "backup" && i < argc) {
    nlohmann::json body = {{"directory", argv[i]}};
    reached =
      call(host, port, http::verb::post, "/backup", body.dump(), res, problem);
  } else if (command == "create-account" && i + 3 < argc) {
    nlohmann::json body = {{"id", argv[i]},
                           {"name", argv[i + 1]},
                           {"manager_email", argv[i + 2]},
                           {"manager_password", argv[i + 3]}};
    reached = call(host, port, http::verb::post, "/accounts", body.dump(), res,
                   problem);
    if (reached && res.status == 201)
      res.status = 200;
  } else {
    return usage();
  }
  if (!reached) {
    std::cerr << "openassist-admin: cannot reach " << admin << ": " << problem
              << '\n';
    return 3;
  }
  std::cout << res.body;
  if (!res.body.empty() && res.body.back() != '\n')
    std::cout << '\n';
  return res.status == 200 ? 0 : 1;
}
