// Frames: one customer's screen relayed through its session to the
// technician and observers (docs/BENCHMARKS.md, "Screen frames").
#include "http_call.hpp"
#include "pacer.hpp"
#include "scenarios.hpp"
#include "ws_client.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace openassist::loadgen {

namespace http = boost::beast::http;

namespace {

/// The sharing customer: frames whose first 8 bytes are their send time.
struct sender : std::enable_shared_from_this<sender> {
  sender(worker_stats& stats, size_t frame_bytes)
    : stats(stats), frame_bytes(frame_bytes) {}

  void send(uint64_t scheduled) {
    // A buffer the socket no longer holds, or a new one.
    std::shared_ptr<std::string> frame;
    for (auto& f : frames)
      if (f.use_count() == 1) {
        frame = f;
        break;
      }
    if (!frame) {
      frame = std::make_shared<std::string>(frame_bytes, '\x01');
      frames.push_back(frame);
    }
    std::memcpy(frame->data(), &scheduled, sizeof scheduled);
    ++stats.sent;
    stats.bytes += frame_bytes;
    fired.fetch_add(1, std::memory_order_relaxed);
    ws->send_binary(frame);
  }

  worker_stats& stats;
  size_t frame_bytes;
  std::shared_ptr<ws_client> ws;
  std::vector<std::shared_ptr<std::string>> frames;
  std::atomic<uint64_t> fired{0};
  uint64_t end_ns = 0;
};

struct viewer {
  std::shared_ptr<ws_client> ws;
  worker_stats* stats = nullptr;
  uint64_t bytes = 0;
};

} // namespace

result run_frames(const options& opt, node_process& node) {
  const auto anna = prepare_anna(node.port(), 0);
  workers pool(opt.threads);
  const auto id_json = [](const std::string& id) {
    return nlohmann::json(id).dump();
  };
  auto console = std::make_shared<ws_client>(pool.io(0));
  console->connect(source_address(0, opt.addresses), node.port(), anna.cookie,
                   opt.batch);
  console->write_sync(R"({"type":"console.hello"})");
  console->read_until({"\"console.state\""});
  const auto intake = http_call(
    node.port(), http::verb::post, "/api/v1/public/portals/demo/help/requests",
    {{"fields",
      {{"name", "Screen"}, {"email", "s@example.com"}, {"problem", "bench"}}}});
  if (intake.status != 201)
    throw std::runtime_error("intake: " + std::to_string(intake.status));
  const auto id = intake.body.value("request_id", "");
  console->write_sync(R"({"type":"request.accept","request_id":)" +
                      id_json(id) + "}");
  console->write_sync(R"({"type":"request.join","request_id":)" + id_json(id) +
                      "}");
  const unsigned sender_worker = opt.threads > 1 ? 1 : 0;
  auto share = std::make_shared<sender>(pool.stats(sender_worker),
                                        size_t{opt.frame_kb} * 1024);
  share->ws = std::make_shared<ws_client>(pool.io(sender_worker));
  share->ws->connect(source_address(1, opt.addresses), node.port(), {},
                     opt.batch);
  share->ws->write_sync(
    nlohmann::json{{"type", "customer.attach"},
                   {"account", "demo"},
                   {"request_id", id},
                   {"token", intake.body.value("token", "")}}
      .dump());
  share->ws->read_until({"\"request.state\"", "\"status\":\"active\""});
  // The page follows the session (and so gets the screen request) once it
  // resumed the chat.
  share->ws->write_sync(R"({"type":"chat.resume","after_seq":0})");
  share->ws->read_until({"\"chat.synced\""});
  console->write_sync(R"({"type":"chat.resume","after_seq":0,"request_id":)" +
                      id_json(id) + "}");
  console->read_until({"\"chat.synced\""});

  std::vector<viewer> viewers(opt.viewers);
  viewers[0] = {console, &pool.stats(0), 0};
  const auto boss =
    demo_login(node.port(), "manager", "manager@demo.openassist.example",
               "demo-manager-1");
  for (unsigned v = 1; v < opt.viewers; ++v) {
    // Observers on the workers other than the sender's where there are any.
    const unsigned w =
      opt.threads > 2 ? 2 + v % (opt.threads - 2) : v % opt.threads;
    auto eye = std::make_shared<ws_client>(pool.io(w));
    eye->connect(source_address(v + 1, opt.addresses), node.port(), boss.cookie,
                 opt.batch);
    eye->write_sync(R"({"type":"monitor.attach","after_seq":0,"request_id":)" +
                    id_json(id) + "}");
    eye->read_until({"\"chat.synced\""});
    viewers[v] = {eye, &pool.stats(w), 0};
  }
  console->write_sync(R"({"type":"screen.request","request_id":)" +
                      id_json(id) + "}");
  share->ws->read_until({"\"screen.requested\""});
  share->ws->write_sync(R"({"type":"screen.accept"})");
  console->read_until({"\"screen.state\"", "\"sharing\":true"});

  const uint64_t begin = now_ns() + 100'000'000;
  const uint64_t measure_from = begin + static_cast<uint64_t>(opt.warmup * 1e9);
  const uint64_t end = begin + static_cast<uint64_t>(opt.seconds * 1e9);
  std::atomic<uint64_t> arrived{0};
  for (auto& v : viewers) {
    auto* me = &v;
    v.ws->start(
      [me, measure_from, &arrived](std::string_view data, bool binary) {
        if (!binary) {
          if (data.starts_with("{\"error\""))
            me->stats->error("viewer: " + std::string(data.substr(0, 200)));
          return;
        }
        me->bytes += data.size();
        ++me->stats->received;
        arrived.fetch_add(1, std::memory_order_relaxed);
        if (data.size() < 16)
          return;
        uint64_t sent = 0;
        std::memcpy(&sent, data.data() + 8, sizeof sent);
        const auto now = now_ns();
        if (sent >= measure_from && sent <= now)
          me->stats->latency.record(now - sent);
      },
      [me](const std::string& why) {
        ++me->stats->cut;
        me->stats->error("viewer cut: " + why);
      });
  }
  share->end_ns = end;
  if (opt.rate > 0) {
    share->ws->start([](std::string_view, bool) {},
                     [share](const std::string& why) {
                       ++share->stats.cut;
                       share->stats.error("sender cut: " + why);
                     });
    std::make_shared<pacer>(
      pool.io(sender_worker), begin, opt.rate,
      static_cast<uint64_t>(opt.rate * opt.seconds),
      [share](uint64_t, uint64_t when) { share->send(when); })
      ->start();
  } else {
    // Flat out: two frames in the socket whenever it drained.
    share->ws->start([](std::string_view, bool) {},
                     [share](const std::string& why) {
                       ++share->stats.cut;
                       share->stats.error("sender cut: " + why);
                     },
                     [share] {
                       if (now_ns() < share->end_ns) {
                         share->send(now_ns());
                         share->send(now_ns());
                       }
                     });
    boost::asio::post(pool.io(sender_worker), [share, begin] {
      while (now_ns() < begin) {
      }
      share->send(now_ns());
      share->send(now_ns());
    });
  }
  const double cpu_start = node.cpu_seconds();
  pool.run();
  while (now_ns() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // What is in flight arrives within a moment; the node skips frames for
  // viewers that fall behind, so nothing is waited for beyond that.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const uint64_t last = now_ns();
  const double secs = static_cast<double>(last - begin) / 1e9;
  const double cpu_end = node.cpu_seconds();
  const auto text = metrics_text(node.admin_port());
  for (auto& v : viewers)
    v.ws->close();
  share->ws->close();
  pool.stop();
  // The sender's callbacks hold it: let go of its socket.
  share->ws.reset();

  result r;
  r.scenario = "frames";
  r.setup =
    std::to_string(opt.frame_kb) + " KiB, " + std::to_string(opt.viewers) +
    " viewer" + (opt.viewers > 1 ? "s" : "") +
    (opt.rate > 0 ? ", " + std::to_string(static_cast<long>(opt.rate)) + "/s"
                  : ", flat out");
  r.target_rate = opt.rate;
  r.take(pool.total(), opt.seconds, begin, last);
  // Frames skipped for a slow viewer are the relay's design, not a loss
  // (counted below); each viewer gets a share of the sent ones.
  r.lost = 0;
  const auto mb = [&](double bytes) { return bytes / secs / 1e6; };
  uint64_t all = 0;
  uint64_t low = UINT64_MAX;
  uint64_t high = 0;
  for (const auto& v : viewers) {
    all += v.bytes;
    low = std::min(low, v.bytes);
    high = std::max(high, v.bytes);
  }
  r.figures.emplace_back("sent MB/s", mb(static_cast<double>(r.bytes)));
  r.figures.emplace_back("relayed MB/s in all", mb(static_cast<double>(all)));
  r.figures.emplace_back("slowest viewer MB/s", mb(static_cast<double>(low)));
  r.figures.emplace_back("fastest viewer MB/s", mb(static_cast<double>(high)));
  r.figures.emplace_back(
    "frames skipped for slow viewers",
    metric_value(text, "openassist_screen_frames_dropped_total"));
  r.add_cpu(cpu_start, cpu_end);
  return r;
}

} // namespace openassist::loadgen
