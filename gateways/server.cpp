#include "gateways/server.hpp"

#include <algorithm>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/sec.hpp>

#include "gateways/detail/server_state.hpp"

namespace openassist::gateways {

namespace {

// Accepts connections forever; over the connection caps (global and per
// address) it answers 503 and closes, so a flood cannot exhaust file
// descriptors or one client hold every slot.
class listener : public std::enable_shared_from_this<listener> {
public:
  explicit listener(std::shared_ptr<http_server::state> st)
    : st_(std::move(st)), retry_(st_->acceptor.get_executor()) {}

  void run() { do_accept(); }

private:
  static constexpr std::chrono::milliseconds first_backoff{100};
  static constexpr std::chrono::milliseconds max_backoff{1000};

  void do_accept() {
    st_->acceptor.async_accept(
      net::make_strand(st_->ioc),
      beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (st_->stopping || !st_->acceptor.is_open())
      return;
    if (ec) {
      // EMFILE and friends: the pending connection stays in the backlog, so
      // accepting again at once would spin. Wait a little, longer each time
      // (100 ms up to 1 s), until descriptors are free again.
      st_->log->warn("[{}] accept failed: {}; retrying in {} ms",
                     st_->options.name, ec.message(), backoff_.count());
      st_->reject("accept_error");
      retry_.expires_after(backoff_);
      backoff_ = std::min(backoff_ * 2, max_backoff);
      retry_.async_wait([self = shared_from_this()](beast::error_code) {
        if (!self->st_->stopping && self->st_->acceptor.is_open())
          self->do_accept();
      });
      return;
    }
    backoff_ = first_backoff;
    if (st_->connections.load() >= st_->options.max_connections) {
      st_->reject("connection_cap");
      refuse(socket, "too many connections, retry later");
    } else if (auto slot = address_slot_of(socket); !slot && capped(socket)) {
      st_->reject("address_cap");
      refuse(socket, "too many connections from your address, retry later");
    } else {
      // Small messages (answers, WebSocket pushes) go out at once, not
      // after the peer's delayed ACK of the previous one (Nagle).
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      run_http_session(std::move(socket), st_, std::move(slot));
    }
    do_accept();
  }

  // Whether the peer's connections are counted: trusted proxies carry many
  // clients and are not.
  bool capped(const tcp::socket& socket) const {
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    if (ec)
      return false;
    auto& trusted = st_->options.trusted_proxies;
    return std::find(trusted.begin(), trusted.end(),
                     peer.address().to_string()) == trusted.end();
  }

  // A slot for the peer's address, empty when it is at its cap or not
  // counted.
  address_slot address_slot_of(const tcp::socket& socket) {
    if (!capped(socket))
      return {};
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    return st_->caps.try_acquire(address_group(peer.address()));
  }

  // Answers 503 and closes without a session (no memory is spent on it).
  static void refuse(tcp::socket& socket, const std::string& message) {
    auto body =
      R"({"error":{"code":"overloaded","message":")" + message + R"("}})";
    auto answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                  "application/json\r\nConnection: close\r\nRetry-After: "
                  "1\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body;
    beast::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(net::buffer(answer), ignored);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    // What the client sent already (its request) is read first: closing
    // with unread bytes resets the connection, and the client may lose the
    // answer with it.
    char sink[4096];
    for (int i = 0; i < 16 && !ignored; ++i)
      socket.read_some(net::buffer(sink), ignored);
    socket.close(ignored);
  }

  std::shared_ptr<http_server::state> st_;
  net::steady_timer retry_;
  std::chrono::milliseconds backoff_ = first_backoff;
};

} // namespace

http_server::http_server(std::shared_ptr<state> st) : state_(std::move(st)) {}

http_server::~http_server() {
  stop();
}

uint16_t http_server::port() const {
  return state_->port;
}

caf::expected<std::unique_ptr<http_server>>
http_server::start(io_runtime& io, server_options options, router routes,
                   ws_routes ws, monitoring::gateway_metrics metrics) {
  auto st = std::make_shared<state>(io.context(), std::move(options),
                                    std::move(routes), std::move(ws), metrics);
  auto fail = [&](const std::string& what, const beast::error_code& ec) {
    return caf::make_error(
      caf::sec::cannot_open_port,
      st->options.name + " port: " + what + " " + st->options.address + ":" +
        std::to_string(st->options.port) + ": " + ec.message());
  };
  beast::error_code ec;
  auto address = net::ip::make_address(st->options.address, ec);
  if (ec)
    return fail("bad address", ec);
  tcp::endpoint endpoint{address, st->options.port};
  st->acceptor.open(endpoint.protocol(), ec);
  if (ec)
    return fail("cannot open", ec);
  st->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  st->acceptor.bind(endpoint, ec);
  if (ec)
    return fail("cannot bind", ec);
  st->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("cannot listen on", ec);
  st->port = st->acceptor.local_endpoint().port();
  std::make_shared<listener>(st)->run();
  return std::unique_ptr<http_server>(new http_server(st));
}

void http_server::stop() {
  if (state_->stopping.exchange(true))
    return;
  auto st = state_;
  net::post(st->acceptor.get_executor(), [st] {
    beast::error_code ignored;
    st->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<closable>> open;
  {
    std::lock_guard<std::mutex> guard{st->mtx};
    for (auto& [raw, weak] : st->live)
      if (auto c = weak.lock())
        open.push_back(std::move(c));
  }
  // Outside the lock: dropping the last reference runs a destructor that
  // takes the lock itself.
  for (auto& c : open)
    c->shutdown();
}

namespace {

// The normal form of an address, or "" for something that is not one.
std::string normal_address(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string{text}, ec);
  return ec ? std::string{} : a.to_string();
}

} // namespace

std::vector<std::string> parse_address_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto a = normal_address(list.substr(0, comma));
    if (!a.empty())
      out.push_back(a);
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string client_address(const std::string& peer,
                           std::string_view forwarded_for,
                           const std::vector<std::string>& trusted) {
  auto is_trusted = [&](const std::string& a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (!is_trusted(peer) || forwarded_for.empty())
    return peer;
  // Right to left: each proxy appends the address it got the request from.
  std::string client = peer;
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto entry = comma == std::string_view::npos
                   ? forwarded_for
                   : forwarded_for.substr(comma + 1);
    auto a = normal_address(entry);
    if (a.empty())
      return client; // garbage: trust no further
    client = a;
    if (!is_trusted(a))
      return client;
    if (comma == std::string_view::npos)
      break;
    forwarded_for = forwarded_for.substr(0, comma);
  }
  return client;
}

bool upload_request(std::string_view path, std::string_view customer_token,
                    std::string_view cookie, std::string_view authorization) {
  // Splits into segments: /api/v1/requests/<id>/files or
  // /api/v1/public/portals/<account>/<slug>/requests/<id>/files.
  std::vector<std::string_view> seg;
  for (size_t at = 1; at <= path.size();) {
    auto slash = path.find('/', at);
    if (slash == std::string_view::npos)
      slash = path.size();
    seg.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  auto digits = [](std::string_view v) {
    return !v.empty() && v.size() <= 18 &&
           v.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (path.empty() || path[0] != '/')
    return false;
  if (seg.size() == 5 && seg[0] == "api" && seg[1] == "v1" &&
      seg[2] == "requests" && digits(seg[3]) && seg[4] == "files")
    return cookie.find("oa_session=") != std::string_view::npos ||
           authorization.rfind("Bearer ", 0) == 0;
  if (seg.size() == 9 && seg[0] == "api" && seg[1] == "v1" &&
      seg[2] == "public" && seg[3] == "portals" && seg[6] == "requests" &&
      digits(seg[7]) && seg[8] == "files")
    return customer_token.size() >= 20 && customer_token.size() <= 128;
  return false;
}

} // namespace openassist::gateways
