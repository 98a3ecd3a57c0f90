// Storage benchmark: durable records per second and commit latency, one
// commit per record against group commit through the persistence actor.
//
//   oa_bench_storage [DIR]       (default: a fresh directory under /tmp)
//
// Prints a Markdown table for docs/BENCHMARKS.md.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "schema/codec.hpp"
#include "storage/persistence.hpp"

using namespace openassist;
using clock_type = std::chrono::steady_clock;

namespace {

storage::write_batch record(uint64_t n) {
  storage::write_batch b;
  schema::entity_record rec{"bench/" + std::to_string(n), n, 0,
                            std::string(200, static_cast<char>('a' + n % 26))};
  b.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                   storage::op_kind::put});
  b.events.push_back({0, 0, "bench.write", "bench", rec.key, "{}"});
  return b;
}

struct result {
  std::string name;
  uint64_t records;
  double seconds;
  std::vector<double> latencies_us;
};

double percentile(std::vector<double>& xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  return xs[std::min(xs.size() - 1, static_cast<size_t>(p * xs.size()))];
}

std::shared_ptr<storage::environment> fresh_env(const std::string& dir) {
  std::filesystem::remove_all(dir);
  auto env = storage::environment::open({dir, 4ull << 30, 126});
  if (!env) {
    std::fprintf(stderr, "cannot open %s\n", dir.c_str());
    std::exit(1);
  }
  return *env;
}

result one_commit_per_record(const std::string& dir, uint64_t count) {
  auto env = fresh_env(dir);
  result r{"one durable commit per record", count, 0, {}};
  auto start = clock_type::now();
  for (uint64_t n = 0; n < count; ++n) {
    auto b = record(n);
    std::vector<storage::write_batch*> batches{&b};
    std::vector<storage::write_receipt> receipts;
    auto t0 = clock_type::now();
    if (env->commit(batches, receipts, 0))
      std::exit(1);
    r.latencies_us.push_back(
      std::chrono::duration<double, std::micro>(clock_type::now() - t0)
        .count());
  }
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  return r;
}

result group_commit(caf::actor_system& sys, const std::string& dir,
                    uint64_t count, size_t in_flight) {
  storage::persistence_config cfg;
  cfg.env = fresh_env(dir);
  auto writer = sys.spawn<caf::detached>(storage::persistence, cfg);
  result r{"group commit, " + std::to_string(in_flight) + " writes in flight",
           count,
           0,
           {}};
  caf::scoped_actor self{sys};
  std::deque<clock_type::time_point> sent;
  uint64_t next = 0;
  auto send_next = [&] {
    sent.push_back(clock_type::now());
    self->send(writer, storage::write_atom::value, record(next++));
  };
  auto start = clock_type::now();
  while (next < count && sent.size() < in_flight)
    send_next();
  while (!sent.empty()) {
    self->receive(
      [&](const storage::write_receipt&) {
        r.latencies_us.push_back(std::chrono::duration<double, std::micro>(
                                   clock_type::now() - sent.front())
                                   .count());
        sent.pop_front();
        if (next < count)
          send_next();
      },
      [&](caf::error& err) {
        std::fprintf(stderr, "write failed: %s\n", sys.render(err).c_str());
        std::exit(1);
      });
  }
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  self->send_exit(writer, caf::exit_reason::user_shutdown);
  return r;
}

} // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/tmp/oa-bench-storage";
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<result> results;
  results.push_back(one_commit_per_record(dir, 2000));
  for (size_t in_flight : {16, 64, 256, 1024})
    results.push_back(group_commit(sys, dir, 100000, in_flight));
  double baseline = results[0].records / results[0].seconds;
  std::printf(
    "| mode | records | records/s | vs one-per-commit | latency p50 | "
    "latency p99 |\n|---|---:|---:|---:|---:|---:|\n");
  for (auto& r : results) {
    double rate = r.records / r.seconds;
    double p50 = percentile(r.latencies_us, 0.50);
    double p99 = percentile(r.latencies_us, 0.99);
    std::printf("| %s | %llu | %.0f | %.1fx | %.0f µs | %.0f µs |\n",
                r.name.c_str(), static_cast<unsigned long long>(r.records),
                rate, rate / baseline, p50, p99);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
