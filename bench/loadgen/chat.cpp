// Chat: customers' lines to the technician's console, every line stored
// before it is pushed (docs/BENCHMARKS.md, "Chat").
#include "http_call.hpp"
#include "pacer.hpp"
#include "scenarios.hpp"
#include "ws_client.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <stdexcept>
#include <thread>

namespace openassist::loadgen {

namespace http = boost::beast::http;

namespace {

/// A line's text and client id carry when it was (to be) sent: <ns>:<k>.
std::string line_text(uint64_t scheduled, uint64_t k) {
  return std::to_string(scheduled) + ":" + std::to_string(k);
}

uint64_t leading_number(std::string_view text, size_t pos) {
  uint64_t n = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
    n = n * 10 + static_cast<uint64_t>(text[pos++] - '0');
  return n;
}

/// The customers of one worker and what they have sent.
struct chat_lane : std::enable_shared_from_this<chat_lane> {
  chat_lane(worker_stats& stats, uint64_t measure_from)
    : stats(stats), measure_from(measure_from) {}

  void send(size_t customer, uint64_t k, uint64_t scheduled) {
    ++stats.sent;
    fired.fetch_add(1, std::memory_order_relaxed);
    const auto text = line_text(scheduled, k);
    customers[customer]->send(R"({"type":"chat.send","text":")" + text +
                              R"(","client_id":")" + text + "\"}");
  }

  /// A message to customer `c`: acks are timed (and, flat out, send the next
  /// line), errors counted, the rest (their own lines) ignored.
  void on_message(size_t c, std::string_view text) {
    if (text.starts_with("{\"error\"")) {
      stats.error("customer: " + std::string(text.substr(0, 200)));
      return;
    }
    if (text.find("\"type\":\"chat.ack\"") == std::string_view::npos)
      return;
    ++stats.answered;
    const auto at = text.find("\"client_id\":\"");
    const auto scheduled =
      at == std::string_view::npos ? 0 : leading_number(text, at + 13);
    const auto now = now_ns();
    if (scheduled >= measure_from && scheduled <= now)
      stats.answer.record(now - scheduled);
    if (end_ns > 0 && now < end_ns)
      send(c, next_k++, now);
  }

  worker_stats& stats;
  uint64_t measure_from;
  std::vector<std::shared_ptr<ws_client>> customers;
  std::atomic<uint64_t> fired{0};
  /// Flat out: when to stop sending.
  uint64_t end_ns = 0;
  uint64_t next_k = 0;
};

} // namespace

result run_chat(const options& opt, node_process& node) {
  if (opt.sessions > 50)
    throw std::runtime_error(
      "--sessions: at most 50 (one technician's maximum)");
  const auto anna = prepare_anna(node.port(), std::max(opt.sessions, 5u));
  workers pool(opt.threads);
  auto console = std::make_shared<ws_client>(pool.io(0));
  console->connect(source_address(0, opt.addresses), node.port(), anna.cookie,
                   opt.batch);
  console->write_sync(R"({"type":"console.hello"})");
  console->read_until({"\"console.state\""});

  const uint64_t start = now_ns() + 100'000'000; // corrected below
  std::vector<std::shared_ptr<chat_lane>> lanes;
  for (unsigned w = 0; w < opt.threads; ++w)
    lanes.push_back(std::make_shared<chat_lane>(pool.stats(w), 0));
  // Each session: a request, accepted and joined by anna, its customer's
  // page attached, anna's console following its chat.
  for (unsigned s = 0; s < opt.sessions; ++s) {
    const auto name = "s" + std::to_string(s);
    const auto intake = http_call(node.port(), http::verb::post,
                                  "/api/v1/public/portals/demo/help/requests",
                                  {{"fields",
                                    {{"name", name},
                                     {"email", name + "@example.com"},
                                     {"problem", "bench"}}}});
    if (intake.status != 201)
      throw std::runtime_error("intake: " + std::to_string(intake.status) +
                               " " + intake.body.dump());
    const auto id = intake.body.value("request_id", "");
    const auto id_json = nlohmann::json(id).dump();
    console->write_sync(R"({"type":"request.accept","request_id":)" + id_json +
                        "}");
    console->write_sync(R"({"type":"request.join","request_id":)" + id_json +
                        "}");
    const unsigned w = s % opt.threads;
    auto customer = std::make_shared<ws_client>(pool.io(w));
    customer->connect(source_address(s + 1, opt.addresses), node.port(), {},
                      opt.batch);
    customer->write_sync(
      nlohmann::json{{"type", "customer.attach"},
                     {"account", "demo"},
                     {"request_id", id},
                     {"token", intake.body.value("token", "")}}
        .dump());
    customer->read_until({"\"request.state\"", "\"status\":\"active\""});
    console->write_sync(R"({"type":"chat.resume","after_seq":0,"request_id":)" +
                        id_json + "}");
    console->read_until({"\"chat.synced\"", "\"request_id\":" + id_json});
    lanes[w]->customers.push_back(customer);
  }

  // The load starts now that everything is set up.
  const uint64_t begin = std::max(start, now_ns() + 100'000'000);
  const uint64_t measure_from = begin + static_cast<uint64_t>(opt.warmup * 1e9);
  const uint64_t end = begin + static_cast<uint64_t>(opt.seconds * 1e9);
  std::atomic<uint64_t> lines{0};
  worker_stats& console_stats = pool.stats(0);
  console->start(
    [&](std::string_view text, bool binary) {
      if (binary)
        return;
      if (text.starts_with("{\"error\"")) {
        console_stats.error("console: " + std::string(text.substr(0, 200)));
        return;
      }
      if (!text.starts_with("{\"line\"") ||
          text.find("\"from\":\"customer\"") == std::string_view::npos)
        return;
      const auto at = text.find("\"text\":\"");
      if (at == std::string_view::npos)
        return;
      const auto scheduled = leading_number(text, at + 8);
      ++console_stats.received;
      const auto now = now_ns();
      if (scheduled >= measure_from && scheduled <= now)
        console_stats.latency.record(now - scheduled);
      lines.fetch_add(1, std::memory_order_relaxed);
    },
    [&](const std::string& why) {
      ++console_stats.cut;
      console_stats.error("console cut: " + why);
    });
  for (auto& lane : lanes) {
    lane->measure_from = measure_from;
    for (size_t c = 0; c < lane->customers.size(); ++c)
      lane->customers[c]->start(
        [lane, c](std::string_view text, bool binary) {
          if (!binary)
            lane->on_message(c, text);
        },
        [lane](const std::string& why) {
          ++lane->stats.cut;
          lane->stats.error("customer cut: " + why);
        });
  }
  for (unsigned w = 0; w < opt.threads; ++w) {
    auto lane = lanes[w];
    const auto n = lane->customers.size();
    if (n == 0)
      continue;
    if (opt.rate > 0) {
      // This worker's share of the rate, in proportion to its sessions.
      const double share = opt.rate * static_cast<double>(n) / opt.sessions;
      const auto count = static_cast<uint64_t>(share * opt.seconds);
      std::make_shared<pacer>(
        pool.io(w), begin + w * static_cast<uint64_t>(1e9 / opt.rate), share,
        count,
        [lane, n](uint64_t k, uint64_t when) { lane->send(k % n, k, when); })
        ->start();
    } else {
      lane->end_ns = end;
      boost::asio::post(pool.io(w), [lane, n, begin, window = opt.window] {
        while (now_ns() < begin) {
        }
        for (size_t c = 0; c < n; ++c)
          for (unsigned i = 0; i < window; ++i)
            lane->send(c, lane->next_k++, now_ns());
      });
    }
  }
  const double cpu_start = node.cpu_seconds();
  pool.run();
  const uint64_t last = await_arrivals(end, 15'000'000'000ULL, lines, [&lanes] {
    uint64_t fired = 0;
    for (const auto& lane : lanes)
      fired += lane->fired.load(std::memory_order_relaxed);
    return fired;
  });
  const double cpu_end = node.cpu_seconds();
  const auto text = metrics_text(node.admin_port());
  console->close();
  for (auto& lane : lanes)
    for (auto& c : lane->customers)
      c->close();
  pool.stop();
  // The customers' callbacks hold their lane: let go of both.
  for (auto& lane : lanes)
    lane->customers.clear();

  result r;
  r.scenario = "chat";
  r.setup = (opt.rate > 0 ? std::to_string(static_cast<long>(opt.rate)) + "/s"
                          : "flat out, " + std::to_string(opt.window) +
                              " in flight each") +
            ", " + std::to_string(opt.sessions) + " sessions";
  r.target_rate = opt.rate;
  r.take(pool.total(), opt.seconds, begin, last);
  r.figures.emplace_back(
    "sockets cut as slow readers",
    metric_value(
      text, R"(openassist_http_rejected_total{reason="ws_slow_consumer"})") +
      metric_value(
        text, R"(openassist_http_rejected_total{reason="ws_node_budget"})"));
  r.add_cpu(cpu_start, cpu_end);
  return r;
}

} // namespace openassist::loadgen
