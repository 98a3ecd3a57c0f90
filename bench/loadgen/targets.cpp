// The targets of issue 15 as one table: each is measured on a fresh node
// (--runs times), then met or missed by how much.
#include "scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

namespace openassist::loadgen {

namespace {

struct target {
  std::string name;
  std::string goal;
  /// Runs the measurement once on a fresh node; returns the figure and the
  /// results it came from.
  std::function<double(std::vector<result>&)> measure;
  bool higher_is_better;
  double limit;
  std::string unit;
};

node_process fresh_node(const options& opt, const std::string& scenario) {
  auto args = node_args_for(scenario);
  args.insert(args.end(), opt.node_args.begin(), opt.node_args.end());
  return node_process::start(opt.bin, args);
}

result once(const options& base, const std::string& scenario,
            const std::function<void(options&)>& tune) {
  options opt = base;
  opt.scenario = scenario;
  tune(opt);
  auto node = fresh_node(opt, scenario);
  result r = scenario == "intake"   ? run_intake(opt, node)
             : scenario == "chat"   ? run_chat(opt, node)
             : scenario == "frames" ? run_frames(opt, node)
                                    : run_idle(opt, node);
  if (!opt.quiet)
    std::cerr << describe(r);
  return r;
}

double ms_of(uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

/// A rate counts as carried when nothing went wrong and it was kept.
bool carried(const result& r, double rate) {
  return r.clean() && r.received_rate >= 0.95 * rate;
}

} // namespace

int run_targets(const options& base) {
  auto with = [&](const std::string& scenario,
                  std::function<void(options&)> tune) {
    return once(base, scenario, tune);
  };
  std::vector<result> idle_runs;
  size_t idle_read = 0;
  std::vector<target> targets{
    {"intake to alert at 1,000/s, p50", "≤ 0.5 ms",
     [&](std::vector<result>& rs) {
       rs.push_back(with("intake", [](options& o) {
         o.rate = 1000;
         o.seconds = 15;
       }));
       return rs.back().clean() ? ms_of(rs.back().latency.percentile(50)) : 1e9;
     },
     false, 0.5, "ms"},
    {"intake to alert at 1,000/s, p99", "≤ 2 ms",
     [&](std::vector<result>& rs) {
       rs.push_back(with("intake", [](options& o) {
         o.rate = 1000;
         o.seconds = 15;
       }));
       return rs.back().clean() ? ms_of(rs.back().latency.percentile(99)) : 1e9;
     },
     false, 2, "ms"},
    {"durable intakes/s with p99 < 10 ms", "≥ 20,000/s",
     [&](std::vector<result>& rs) {
       double best = 0;
       for (double rate :
            {2000.0, 4000.0, 7000.0, 10000.0, 14000.0, 20000.0, 25000.0}) {
         rs.push_back(with("intake", [rate](options& o) {
           o.rate = rate;
           o.seconds = 8;
           o.connections = 128;
         }));
         const auto& r = rs.back();
         if (!carried(r, rate) || ms_of(r.latency.percentile(99)) >= 10)
           break;
         best = rate;
       }
       return best;
     },
     true, 20000, "/s"},
    {"durable chat lines relayed per second (flat out, 20 sessions, 64 in "
     "flight each)",
     "≥ 100,000/s",
     [&](std::vector<result>& rs) {
       rs.push_back(with("chat", [](options& o) {
         o.rate = 0;
         o.sessions = 20;
         o.window = 64;
         o.seconds = 10;
       }));
       return rs.back().clean() ? rs.back().received_rate : 0;
     },
     true, 100000, "/s"},
    {"chat at 10,000 lines/s, p99", "≤ 5 ms",
     [&](std::vector<result>& rs) {
       rs.push_back(with("chat", [](options& o) {
         o.rate = 10000;
         o.seconds = 10;
       }));
       return rs.back().clean() ? ms_of(rs.back().latency.percentile(99)) : 1e9;
     },
     false, 5, "ms"},
    {"screen frames relayed, 64 KiB, 1 viewer", "≥ 1,000 MB/s",
     [&](std::vector<result>& rs) {
       rs.push_back(with("frames", [](options& o) {
         o.rate = 0;
         o.viewers = 1;
         o.seconds = 10;
       }));
       return rs.back().figure("relayed MB/s in all");
     },
     true, 1000, "MB/s"},
    {"screen frames relayed, 64 KiB, 10 viewers (in all)", "≥ 1,000 MB/s",
     [&](std::vector<result>& rs) {
       rs.push_back(with("frames", [](options& o) {
         o.rate = 0;
         o.viewers = 10;
         o.seconds = 10;
       }));
       return rs.back().figure("relayed MB/s in all");
     },
     true, 1000, "MB/s"},
    {"frame relay latency at 30 frames/s, p50", "≤ 0.05 ms",
     [&](std::vector<result>& rs) {
       rs.push_back(with("frames", [](options& o) {
         o.rate = 30;
         o.viewers = 1;
         o.seconds = 10;
       }));
       return ms_of(rs.back().latency.percentile(50));
     },
     false, 0.05, "ms"},
    {"idle waiting customers held (memory each)", "19,000 at ≤ 10 KiB",
     [&](std::vector<result>& rs) {
       rs.push_back(with("idle", [](options& o) {
         o.idle = 19000;
         o.rate = 1000;
         o.seconds = 10;
         o.addresses = 80;
       }));
       idle_runs.push_back(rs.back());
       const auto& r = rs.back();
       return r.figure("connections held") >= 19000
                ? r.figure("KiB per waiting customer (connection and request)")
                : 1e9;
     },
     false, 10, "KiB"},
    // The same runs as the row above: intakes went on beside the idle ones.
    {"intakes at 1,000/s beside 19,000 idle, p99", "≤ 2 ms",
     [&](std::vector<result>& rs) {
       const auto& r = idle_runs.at(idle_read++);
       rs.push_back(r);
       return r.clean() ? ms_of(r.latency.percentile(99)) : 1e9;
     },
     false, 2, "ms"},
  };

  nlohmann::json out = nlohmann::json::array();
  std::printf(
    "| target | goal | measured (%u run%s) | verdict |\n|---|---|---:|---|\n",
    base.runs, base.runs > 1 ? "s" : "");
  for (auto& t : targets) {
    std::vector<double> figures;
    std::vector<result> results;
    for (unsigned i = 0; i < base.runs; ++i)
      figures.push_back(t.measure(results));
    std::sort(figures.begin(), figures.end());
    const double median = figures[figures.size() / 2];
    const bool met = t.higher_is_better ? median >= t.limit : median <= t.limit;
    char measured[96];
    auto fmt = [&](double v) {
      char s[40];
      if (v >= 1e9)
        std::snprintf(s, sizeof s, "failed");
      else
        std::snprintf(s, sizeof s, v >= 100 ? "%.0f" : "%.3g", v);
      return std::string(s);
    };
    std::snprintf(measured, sizeof measured, "%s%s%s %s",
                  fmt(figures.front()).c_str(), figures.size() > 1 ? "–" : "",
                  figures.size() > 1 ? fmt(figures.back()).c_str() : "",
                  t.unit.c_str());
    std::string verdict = "met";
    if (!met) {
      const double by = t.higher_is_better ? (t.limit - median) / t.limit
                                           : (median - t.limit) / t.limit;
      char s[64];
      if (median >= 1e9)
        std::snprintf(s, sizeof s, "missed (errors, see the log)");
      else
        std::snprintf(s, sizeof s, "missed by %.0f %%", by * 100);
      verdict = s;
    }
    std::printf("| %s | %s | %s | %s |\n", t.name.c_str(), t.goal.c_str(),
                measured, verdict.c_str());
    std::fflush(stdout);
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : results)
      runs.push_back(to_json(r));
    out.push_back({{"target", t.name},
                   {"goal", t.goal},
                   {"figures", figures},
                   {"met", met},
                   {"runs", runs}});
  }
  if (!base.json_path.empty())
    std::ofstream(base.json_path) << out.dump(2) << "\n";
  return 0;
}

} // namespace openassist::loadgen
