#include "result.hpp"

#include <cstdio>

namespace openassist::loadgen {

double result::figure(const std::string& name) const {
  for (const auto& [key, value] : figures)
    if (key == name)
      return value;
  return 0;
}

void result::add_cpu(double cpu_start, double cpu_end) {
  if (cpu_start < 0 || cpu_end < 0 || sent == 0)
    return;
  figures.emplace_back("node CPU µs per item",
                       (cpu_end - cpu_start) * 1e6 / static_cast<double>(sent));
}

void result::take(const worker_stats& all, double seconds, uint64_t begin_ns,
                  uint64_t last_ns) {
  sent = all.sent;
  received = all.received;
  answered = all.answered;
  errors = all.errors;
  cut = all.cut;
  bytes = all.bytes;
  first_error = all.first_error;
  latency = all.latency;
  answer = all.answer;
  sent_rate = static_cast<double>(sent) / seconds;
  received_rate = static_cast<double>(received) /
                  (static_cast<double>(last_ns - begin_ns) / 1e9);
  lost = sent > received ? sent - received : 0;
}

std::string ms(uint64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(ns) / 1e6);
  return text;
}

namespace {

nlohmann::json quantiles(const histogram& h) {
  auto q = [&](double p) { return static_cast<double>(h.percentile(p)) / 1e6; };
  return {{"count", h.count()},
          {"p50_ms", q(50)},
          {"p99_ms", q(99)},
          {"p999_ms", q(99.9)},
          {"max_ms", static_cast<double>(h.max()) / 1e6},
          {"mean_ms", h.mean() / 1e6}};
}

} // namespace

nlohmann::json to_json(const result& r) {
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& [key, value] : r.figures)
    figures[key] = value;
  return {{"scenario", r.scenario},
          {"setup", r.setup},
          {"target_rate", r.target_rate},
          {"sent_rate", r.sent_rate},
          {"received_rate", r.received_rate},
          {"sent", r.sent},
          {"received", r.received},
          {"answered", r.answered},
          {"errors", r.errors},
          {"lost", r.lost},
          {"cut", r.cut},
          {"first_error", r.first_error},
          {"latency", quantiles(r.latency)},
          {"answer", quantiles(r.answer)},
          {"figures", figures}};
}

std::string describe(const result& r) {
  char line[512];
  std::string out;
  std::snprintf(line, sizeof line,
                "%s (%s): sent %llu at %.0f/s, arrived %llu (%.0f/s), "
                "answered %llu, errors %llu, lost %llu, cut %llu\n",
                r.scenario.c_str(), r.setup.c_str(),
                static_cast<unsigned long long>(r.sent), r.sent_rate,
                static_cast<unsigned long long>(r.received), r.received_rate,
                static_cast<unsigned long long>(r.answered),
                static_cast<unsigned long long>(r.errors),
                static_cast<unsigned long long>(r.lost),
                static_cast<unsigned long long>(r.cut));
  out += line;
  auto hist = [&](const char* name, const histogram& h) {
    if (h.count() == 0)
      return;
    out += std::string("  ") + name + ": p50 " + ms(h.percentile(50)) +
           ", p99 " + ms(h.percentile(99)) + ", p99.9 " +
           ms(h.percentile(99.9)) + ", max " + ms(h.max()) + " (" +
           std::to_string(h.count()) + " measured)\n";
  };
  hist("latency", r.latency);
  hist("answer ", r.answer);
  for (const auto& [key, value] : r.figures) {
    std::snprintf(line, sizeof line, "  %s: %.2f\n", key.c_str(), value);
    out += line;
  }
  if (!r.first_error.empty())
    out += "  first error: " + r.first_error + "\n";
  return out;
}

} // namespace openassist::loadgen
