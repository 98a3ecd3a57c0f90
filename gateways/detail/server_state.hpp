#pragma once

// Private to the gateway's Beast code: included only by gateways/*.cpp.

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "gateways/detail/connection_caps.hpp"
#include "gateways/detail/outbound_budget.hpp"
#include "gateways/detail/write_pump.hpp"
#include "gateways/server.hpp"
#include "monitoring/logging.hpp"

namespace openassist::gateways {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

/// Something the server can ask to close when it stops.
class closable {
public:
  virtual ~closable() = default;
  virtual void shutdown() = 0;
};

struct http_server::state {
  state(net::io_context& ctx, server_options opts, router r, ws_routes w,
        monitoring::gateway_metrics m)
    : ioc(ctx), acceptor(net::make_strand(ctx)), options(std::move(opts)),
      routes(std::move(r)), ws(std::move(w)), metrics(m),
      log(monitoring::component_logger("gateway")),
      caps(options.max_connections_per_address),
      ws_budget(options.ws_max_queued_bytes, options.ws_max_queued_total,
                metrics.ws_queued_bytes),
      pump(std::make_shared<write_pump>(ctx, ws_write_slice)) {}

  /// Sockets written per turn of the I/O thread for pushes nobody waits on
  /// (a write is about 10 us on loopback: a turn stays well under a
  /// millisecond, and a broadcast's overhead of posting turns stays small).
  static constexpr size_t ws_write_slice = 32;

  net::io_context& ioc;
  tcp::acceptor acceptor;
  server_options options;
  router routes;
  ws_routes ws;
  monitoring::gateway_metrics metrics;
  std::shared_ptr<spdlog::logger> log;
  connection_caps caps;      ///< per client address
  outbound_budget ws_budget; ///< outbound WebSocket bytes, all connections
  /// Wakes WebSocket sessions for pushes, a slice per turn.
  std::shared_ptr<write_pump> pump;
  std::atomic<size_t> ws_open{0}; ///< open WebSocket sessions
  std::atomic<size_t> connections{0};
  /// Announced bodies of uploads being read.
  std::atomic<size_t> upload_bytes{0};
  /// Large answers being written.
  std::atomic<size_t> download_bytes{0};
  std::atomic<bool> stopping{false};
  uint16_t port = 0;

  std::mutex mtx;
  /// Open sessions, guarded by mtx. Weak references: stop() takes strong
  /// ones and calls them outside the lock, because a session may be
  /// destroyed (and untrack itself) while being shut down.
  std::unordered_map<closable*, std::weak_ptr<closable>> live;

  void track(const std::shared_ptr<closable>& c) {
    std::lock_guard<std::mutex> guard{mtx};
    live.emplace(c.get(), c);
  }
  void untrack(closable* c) {
    std::lock_guard<std::mutex> guard{mtx};
    live.erase(c);
  }
  void reject(const char* reason) {
    if (metrics.rejected != nullptr)
      metrics.rejected->Add({{"reason", reason}}).Increment();
  }
};

/// Starts the HTTP session of an accepted socket; `slot` counts it against
/// its address (it moves on to the WebSocket session after an upgrade).
void run_http_session(tcp::socket socket,
                      std::shared_ptr<http_server::state> st,
                      address_slot slot);

/// The outbox a WebSocket endpoint hands to its connection actor; it becomes
/// live when run_websocket_session attaches it to the session.
std::shared_ptr<ws_outbox> make_ws_outbox();

/// Takes over a socket whose upgrade request the endpoint accepted.
void run_websocket_session(beast::tcp_stream stream,
                           http::request<http::string_body> req,
                           const std::shared_ptr<ws_outbox>& out,
                           ws_connection handlers,
                           std::shared_ptr<http_server::state> st,
                           address_slot slot);

/// Converts a Beast response from ours, with the security headers.
http::response<http::string_body> to_beast(http_response res, unsigned version,
                                           bool keep_alive, bool head);

} // namespace openassist::gateways
