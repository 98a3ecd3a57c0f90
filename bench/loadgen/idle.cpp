// Idle connections: customers waiting on their requests, the node's memory
// per connection, and intakes answered beside them (docs/BENCHMARKS.md).
#include "scenarios.hpp"
#include "ws_client.hpp"

#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace openassist::loadgen {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

/// Blocking intakes over one keep-alive connection (set-up only).
class intake_line {
public:
  explicit intake_line(unsigned short port) : stream_(io_) {
    stream_.connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  /// The new request's id and token.
  std::pair<std::string, std::string> ask(const std::string& name) {
    http::request<http::string_body> req{
      http::verb::post, "/api/v1/public/portals/demo/help/requests", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = nlohmann::json{{"fields",
                                 {{"name", name},
                                  {"email", name + "@example.com"},
                                  {"problem", "bench"}}}}
                   .dump();
    req.prepare_payload();
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    const auto body = nlohmann::json::parse(res.body(), nullptr, false);
    if (res.result_int() != 201 || body.is_discarded())
      throw std::runtime_error("intake: " + std::to_string(res.result_int()) +
                               " " + res.body());
    return {body.value("request_id", ""), body.value("token", "")};
  }

private:
  boost::asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

} // namespace

result run_idle(const options& opt, node_process& node) {
  // The customers wait while anna's console is connected: it gets their
  // alerts as they come (its first state would otherwise list them all).
  std::vector<std::shared_ptr<ws_client>> held;
  size_t count = 0;
  long before = -1;
  long holding = -1;
  long after = -1;
  double setup_s = 0;
  // Written by the worker threads.
  std::atomic<uint64_t> idle_errors{0};
  std::atomic<uint64_t> idle_cuts{0};
  std::mutex first_mtx;
  std::string idle_error;
  auto first = [&](std::string what) {
    std::lock_guard<std::mutex> guard{first_mtx};
    if (idle_error.empty())
      idle_error = std::move(what);
  };
  intake_hooks hooks;
  hooks.before = [&](workers& pool) {
    // The node at rest, with what a first intake and connection allocate.
    before = node.rss_anon_kib();
    held.reserve(opt.idle);
    intake_line line(node.port());
    const auto started = now_ns();
    for (unsigned i = 0; i < opt.idle; ++i) {
      const auto [id, token] = line.ask("idle" + std::to_string(i));
      auto ws = std::make_shared<ws_client>(pool.io(i % pool.size()));
      ws->connect(source_address(i, opt.addresses), node.port(), {}, opt.batch);
      ws->write_sync(nlohmann::json{
        {"type", "customer.attach"},
        {"account", "demo"},
        {"request_id", id},
        {"token",
         token}}.dump());
      ws->read_until({"\"request.state\""});
      // Read (and answer the node's pings) from now on: set-up of 19,000
      // takes longer than the node's idle timeout.
      ws->start(
        [&](std::string_view text, bool) {
          if (text.starts_with("{\"error\"")) {
            ++idle_errors;
            first("idle customer: " + std::string(text.substr(0, 200)));
          }
        },
        [&](const std::string& why) {
          ++idle_cuts;
          first("idle customer cut: " + why);
        });
      held.push_back(std::move(ws));
    }
    setup_s = static_cast<double>(now_ns() - started) / 1e9;
    // Let the node settle (jemalloc gives freed pages back after a second).
    std::this_thread::sleep_for(std::chrono::seconds(3));
    holding = node.rss_anon_kib();
  };
  hooks.after = [&] {
    for (auto& ws : held)
      ws->close();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    after = node.rss_anon_kib();
    // Sockets go before the loops they belong to (run_intake's workers).
    count = held.size();
    held.clear();
  };

  // The node still answers intakes beside them.
  result r = run_intake(opt, node, hooks);
  r.scenario = "idle";
  r.setup =
    std::to_string(opt.idle) + " waiting customers held, intakes " + r.setup;
  r.errors += idle_errors;
  r.cut += idle_cuts;
  if (r.first_error.empty())
    r.first_error = idle_error;
  r.figures.emplace_back("connections held", static_cast<double>(count));
  r.figures.emplace_back("set-up s", setup_s);
  r.figures.emplace_back("RssAnon at rest MiB",
                         static_cast<double>(before) / 1024);
  r.figures.emplace_back("RssAnon holding them MiB",
                         static_cast<double>(holding) / 1024);
  r.figures.emplace_back("KiB per waiting customer (connection and request)",
                         static_cast<double>(holding - before) /
                           static_cast<double>(std::max<size_t>(1, count)));
  r.figures.emplace_back("RssAnon after they left MiB",
                         static_cast<double>(after) / 1024);
  return r;
}

} // namespace openassist::loadgen
