#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/expected.hpp>

#include "gateways/http_types.hpp"
#include "gateways/io_runtime.hpp"
#include "gateways/router.hpp"
#include "gateways/ws_outbox.hpp"
#include "monitoring/metrics.hpp"

namespace openassist::gateways {

/// Decides on a request from its headers alone, before its body is read:
/// calls `decide` once, from any thread, with status 100 to go on (the body
/// is read and the request routed), or with the answer that refuses it.
using body_gate =
  std::function<void(const http_request& head, responder decide)>;

struct server_options {
  std::string name = "public"; ///< for logs
  std::string address = "127.0.0.1";
  uint16_t port = 0;              ///< 0 picks a free port
  size_t max_connections = 10000; ///< HTTP + WebSocket
  /// Open connections per client address (IPv6: per /64), so one client
  /// cannot hold every slot; trusted proxies are not capped.
  size_t max_connections_per_address = 256;
  size_t header_limit = 16 * 1024; ///< bytes of request line + headers
  size_t body_limit = 1024 * 1024; ///< bytes of request body
  /// File uploads (POST to a path ending in /files) may be larger, and get
  /// longer to arrive; the account's own limit is checked after.
  size_t upload_limit = 100u << 20;
  std::chrono::milliseconds upload_timeout{300000};
  /// All uploads being read at once may announce at most this many bytes;
  /// more get 503 (memory is bounded whatever clients announce).
  size_t upload_budget = 256u << 20;
  /// Checks an upload's credentials from its headers (the customer's token
  /// or the login, asked of the desk) before the budget is reserved and the
  /// body read. Without it, headers that look credentialed are enough.
  body_gate upload_gate;
  /// Large answers (64 KiB and more: file downloads, transcripts, replays)
  /// being written at once may hold at most this many bytes; beyond it they
  /// are answered 503 busy (one alone is always sent), so slow readers
  /// cannot make the node hold unbounded answers.
  size_t download_budget = 256u << 20;
  /// A whole request (headers and body) must arrive within this, on a new
  /// connection from its start. Slow clients (slowloris) are cut off.
  std::chrono::milliseconds request_timeout{10000};
  /// After an answer, the next request on the connection must start within
  /// this (announced as `Keep-Alive: timeout=N`), else the connection is
  /// closed; from its first byte the request limit applies.
  std::chrono::milliseconds keep_alive_timeout{15000};
  std::chrono::milliseconds write_timeout{30000};
  /// After an answer that closes the connection (a refusal, `Connection:
  /// close`), the server stops sending and reads and discards what the
  /// client still sends, for at most this long and this many bytes, before
  /// it closes (RFC 9112 §9.6): a client still sending its body then reads
  /// the answer instead of a reset.
  std::chrono::milliseconds linger_timeout{2000};
  size_t linger_bytes = 16u << 20;
  size_t ws_max_message = 64 * 1024;    ///< bytes of one inbound message
  size_t ws_max_queued_bytes = 8 << 20; ///< outbound queue per connection
  /// Outbound bytes queued across all WebSocket connections; beyond it
  /// connections holding more than their share are dropped (slow readers).
  size_t ws_max_queued_total = 256u << 20;
  size_t ws_max_binary = 1 << 20; ///< inbound binary message (screen frames)
  double ws_messages_per_second = 200; ///< inbound rate per connection
  double ws_burst = 400;
  std::chrono::seconds ws_idle_timeout{30}; ///< pings after half of it
  /// Peers whose X-Forwarded-For is believed: the client is then its last
  /// address that is not itself a trusted proxy.
  std::vector<std::string> trusted_proxies;
};

/// Whether a POST to `path` is a file upload (the two upload routes) whose
/// headers carry credentials; only those get the upload limits.
bool upload_request(std::string_view path, std::string_view customer_token,
                    std::string_view cookie, std::string_view authorization);

/// Normalised IP addresses of a comma-separated list; invalid entries are
/// left out.
std::vector<std::string> parse_address_list(std::string_view list);

/// The client's address: the peer, or behind a trusted proxy the last
/// X-Forwarded-For entry that is not a trusted proxy.
std::string client_address(const std::string& peer,
                           std::string_view forwarded_for,
                           const std::vector<std::string>& trusted);

/// What a WebSocket endpoint gets for each accepted connection.
struct ws_connection {
  std::function<void(std::string)> on_text;
  std::function<void(std::string)> on_binary;
  std::function<void()> on_close;
};

/// Decides on an upgrade request: returns the connection's handlers (usually
/// the bridge to a fresh connection actor), or nullopt with `reject` set.
using ws_endpoint = std::function<std::optional<ws_connection>(
  const http_request& req, std::shared_ptr<ws_outbox> out,
  http_response& reject)>;

using ws_routes = std::unordered_map<std::string, ws_endpoint>; ///< by path

/// A Boost.Beast HTTP/1.1 + WebSocket server on one port (Beast's advanced
/// server shape: a strand per connection, timeouts, limits, bounded writes).
class http_server {
public:
  static caf::expected<std::unique_ptr<http_server>>
  start(io_runtime& io, server_options options, router routes, ws_routes ws,
        monitoring::gateway_metrics metrics);

  ~http_server();

  /// The bound port (useful with port 0).
  uint16_t port() const;

  /// Stops accepting, closes idle connections and WebSockets (1001 going
  /// away); requests in flight still get their response.
  void stop();

  struct state;

private:
  explicit http_server(std::shared_ptr<state> st);
  std::shared_ptr<state> state_;
};

} // namespace openassist::gateways
