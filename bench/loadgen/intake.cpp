// Intake: customers' POSTs to the demo portal against alerts on anna's
// console (docs/BENCHMARKS.md, "Intake").
#include "http_poster.hpp"
#include "pacer.hpp"
#include "scenarios.hpp"
#include "ws_client.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <deque>
#include <thread>

namespace openassist::loadgen {

namespace {

constexpr const char* intake_path = "/api/v1/public/portals/demo/help/requests";

/// A customer's name carries who sent it and when: c<worker>x<k>t<ns>.
std::string customer_name(unsigned w, uint64_t k, uint64_t scheduled) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict) on "c" + to_string.
  std::string name(1, 'c');
  name += std::to_string(w);
  name += 'x';
  name += std::to_string(k);
  name += 't';
  name += std::to_string(scheduled);
  return name;
}

/// Reads the number at `pos` of `text` and moves past it.
uint64_t number_at(std::string_view text, size_t& pos) {
  uint64_t n = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
    n = n * 10 + static_cast<uint64_t>(text[pos++] - '0');
  return n;
}

/// One worker's customers: idle keep-alive connections and the requests
/// waiting for one.
struct lane : std::enable_shared_from_this<lane> {
  lane(boost::asio::io_context& io, worker_stats& stats, unsigned index,
       const options& opt, unsigned short port, uint64_t measure_from)
    : io(io), stats(stats), index(index), opt(opt), port(port),
      measure_from(measure_from) {}

  void fire(uint64_t k, uint64_t scheduled) {
    count_sent();
    if (!idle.empty()) {
      auto conn = idle.back();
      idle.pop_back();
      send(conn, k, scheduled);
    } else if (open < opt.connections) {
      send(std::make_shared<http_poster>(
             io, port, source_address(index + open++ * 7, opt.addresses)),
           k, scheduled);
    } else {
      waiting.emplace_back(k, scheduled);
    }
  }

  void send(const std::shared_ptr<http_poster>& conn, uint64_t k,
            uint64_t scheduled) {
    const auto name = customer_name(index, k, scheduled);
    std::string body = R"({"fields":{"name":")" + name + R"(","email":")" +
                       name + R"(@example.com","problem":"bench"}})";
    conn->post(intake_path, std::move(body),
               [self = shared_from_this(), conn,
                scheduled](unsigned status, const std::string& why) {
                 self->answered(conn, scheduled, status, why);
               });
  }

  void answered(const std::shared_ptr<http_poster>& conn, uint64_t scheduled,
                unsigned status, const std::string& why) {
    ++stats.answered;
    if (status != 201)
      stats.error(status ? "intake answered " + std::to_string(status) : why);
    else if (scheduled >= measure_from)
      stats.answer.record(now_ns() - scheduled);
    if (closed_loop) {
      if (now_ns() < end_ns) {
        const uint64_t k = next_k++;
        count_sent();
        send(conn, k, now_ns());
      }
      return;
    }
    if (!waiting.empty()) {
      auto [k, when] = waiting.front();
      waiting.pop_front();
      send(conn, k, when);
    } else {
      idle.push_back(conn);
    }
  }

  /// Flat out: every connection posts again as soon as it is answered.
  void start_closed_loop(uint64_t end) {
    closed_loop = true;
    end_ns = end;
    for (unsigned c = 0; c < opt.connections; ++c) {
      count_sent();
      send(std::make_shared<http_poster>(
             io, port, source_address(index + c * 7, opt.addresses)),
           next_k++, now_ns());
    }
  }

  void count_sent() {
    ++stats.sent;
    fired.fetch_add(1, std::memory_order_relaxed);
  }

  boost::asio::io_context& io;
  worker_stats& stats;
  /// What the main thread reads while the load runs.
  std::atomic<uint64_t> fired{0};
  unsigned index;
  const options& opt;
  unsigned short port;
  uint64_t measure_from;
  std::vector<std::shared_ptr<http_poster>> idle;
  unsigned open = 0;
  std::deque<std::pair<uint64_t, uint64_t>> waiting;
  bool closed_loop = false;
  uint64_t end_ns = 0;
  uint64_t next_k = 0;
};

} // namespace

result run_intake(const options& opt, node_process& node,
                  const intake_hooks& hooks) {
  const auto anna = prepare_anna(node.port(), 0);
  workers pool(opt.threads);
  auto console = std::make_shared<ws_client>(pool.io(0));
  console->connect(source_address(0, opt.addresses), node.port(), anna.cookie,
                   opt.batch);
  console->write_sync(R"({"type":"console.hello"})");
  console->read_until({"\"console.state\""});

  // Set once the load is about to start (after hooks.before).
  uint64_t start = 0;
  uint64_t measure_from = UINT64_MAX;
  uint64_t end = 0;
  std::atomic<uint64_t> alerts{0};
  // Alerts seen, per worker and item, so a repeated alert counts once.
  std::vector<std::vector<char>> seen(opt.threads);
  worker_stats& console_stats = pool.stats(0);
  console->start(
    [&](std::string_view text, bool binary) {
      if (binary)
        return;
      if (text.starts_with("{\"error\"")) {
        console_stats.error("console: " + std::string(text.substr(0, 200)));
        return;
      }
      if (!text.starts_with("{\"alert\""))
        return;
      const auto at = text.find("\"customer_name\":\"c");
      if (at == std::string_view::npos)
        return;
      size_t pos = at + 18; // after the "c"
      const auto w = number_at(text, pos);
      const auto k = number_at(text, ++pos);
      const auto scheduled = number_at(text, ++pos);
      if (w >= seen.size())
        return;
      auto& mine = seen[w];
      if (k >= mine.size())
        mine.resize(k + 1024, 0);
      if (mine[k])
        return;
      mine[k] = 1;
      ++console_stats.received;
      if (scheduled >= measure_from)
        console_stats.latency.record(now_ns() - scheduled);
      alerts.fetch_add(1, std::memory_order_relaxed);
    },
    [&](const std::string& why) {
      ++console_stats.cut;
      console_stats.error("console cut: " + why);
    });
  if (hooks.before)
    hooks.before(pool);

  start = now_ns() + 100'000'000;
  measure_from = start + static_cast<uint64_t>(opt.warmup * 1e9);
  end = start + static_cast<uint64_t>(opt.seconds * 1e9);
  std::vector<std::shared_ptr<lane>> lanes;
  for (unsigned w = 0; w < opt.threads; ++w) {
    lanes.push_back(std::make_shared<lane>(pool.io(w), pool.stats(w), w, opt,
                                           node.port(), measure_from));
    auto l = lanes.back();
    if (opt.rate > 0) {
      const double share = opt.rate / opt.threads;
      const auto count = static_cast<uint64_t>(share * opt.seconds);
      std::make_shared<pacer>(
        pool.io(w), start + w * static_cast<uint64_t>(1e9 / opt.rate), share,
        count, [l](uint64_t k, uint64_t when) { l->fire(k, when); })
        ->start();
    } else {
      boost::asio::post(pool.io(w), [l, end] { l->start_closed_loop(end); });
    }
  }
  const double cpu_start = node.cpu_seconds();
  pool.run();
  // Let the answers and alerts in flight arrive (10 s at most).
  const uint64_t last =
    await_arrivals(end, 10'000'000'000ULL, alerts, [&lanes] {
      uint64_t fired = 0;
      for (const auto& l : lanes)
        fired += l->fired.load(std::memory_order_relaxed);
      return fired;
    });
  const double cpu_end = node.cpu_seconds();
  if (hooks.after)
    hooks.after();
  console->close();
  pool.stop();

  result r;
  r.scenario = "intake";
  r.setup = opt.rate > 0
              ? std::to_string(static_cast<long>(opt.rate)) + "/s"
              : "flat out, " + std::to_string(opt.connections * opt.threads) +
                  " connections";
  r.target_rate = opt.rate;
  r.take(pool.total(), opt.seconds, start, last);
  r.add_cpu(cpu_start, cpu_end);
  return r;
}

} // namespace openassist::loadgen
