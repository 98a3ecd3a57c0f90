#include "options.hpp"

#include <cstdlib>
#include <functional>
#include <map>

namespace openassist::loadgen {

namespace {

constexpr const char* usage =
  R"(oa_loadgen: the load generator of docs/BENCHMARKS.md

  oa_loadgen [--scenario targets|intake|chat|frames|idle] [options]

The node: --bin PATH (started fresh with the demo account, default
build/release/node/openassist) with --node-arg OPT (repeatable), or a running
one: --port P --admin-port A [--pid N].

  --rate R         items per second in all (intakes, lines, frames); 0: flat out
  --seconds S      length of the measured load (default 10)
  --warmup S       first seconds not measured (default 1)
  --threads N      worker threads, one event loop each (default 2)
  --addresses N    loopback source addresses 127.0.0.2... (default 4)
  --sessions N     chat: sessions, one customer each (default 20)
  --viewers N      frames: the technician and N-1 observers (default 1)
  --frame-kb N     frames: size of one frame (default 64)
  --idle N         idle: waiting customers held (default 1000)
  --window N       flat out: items in flight per client (default 8)
  --connections N  intake: HTTP connections per thread at most (default 64)
  --runs N         targets: runs per target (default 1)
  --no-batch       one WebSocket frame per message (default: ?batch=1)
  --json FILE      also write the results as JSON
  --quiet          only the table
)";

bool to_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end != nullptr && *end == '\0' && out >= 0;
}

} // namespace

std::optional<options> parse_options(int argc, char** argv,
                                     std::string& error) {
  options opt;
  using setter = std::function<bool(const std::string&)>;
  auto count = [](unsigned& field, unsigned low) {
    return setter([&field, low](const std::string& v) {
      double d = 0;
      if (!to_number(v, d) || d < low || d > 1e7)
        return false;
      field = static_cast<unsigned>(d);
      return true;
    });
  };
  auto port_field = [](unsigned short& field) {
    return setter([&field](const std::string& v) {
      double d = 0;
      if (!to_number(v, d) || d < 1 || d > 65535)
        return false;
      field = static_cast<unsigned short>(d);
      return true;
    });
  };
  auto real = [](double& field) {
    return setter(
      [&field](const std::string& v) { return to_number(v, field); });
  };
  std::map<std::string, setter> take{
    {"scenario",
     [&](const std::string& v) {
       opt.scenario = v;
       return v == "targets" || v == "intake" || v == "chat" || v == "frames" ||
              v == "idle";
     }},
    {"bin", [&](const std::string& v) { return opt.bin = v, !v.empty(); }},
    {"port", port_field(opt.port)},
    {"admin-port", port_field(opt.admin_port)},
    {"pid",
     [&](const std::string& v) {
       double d = 0;
       return to_number(v, d) && (opt.pid = static_cast<int>(d), true);
     }},
    {"node-arg",
     [&](const std::string& v) { return opt.node_args.push_back(v), true; }},
    {"rate", real(opt.rate)},
    {"seconds", real(opt.seconds)},
    {"warmup", real(opt.warmup)},
    {"threads", count(opt.threads, 1)},
    {"addresses", count(opt.addresses, 0)},
    {"sessions", count(opt.sessions, 1)},
    {"viewers", count(opt.viewers, 1)},
    {"idle", count(opt.idle, 1)},
    {"frame-kb", count(opt.frame_kb, 1)},
    {"window", count(opt.window, 1)},
    {"connections", count(opt.connections, 1)},
    {"runs", count(opt.runs, 1)},
    {"json",
     [&](const std::string& v) { return opt.json_path = v, !v.empty(); }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") {
      error = usage;
      return std::nullopt;
    }
    if (name == "--quiet") {
      opt.quiet = true;
      continue;
    }
    if (name == "--no-batch") {
      opt.batch = false;
      continue;
    }
    auto it = name.starts_with("--") ? take.find(name.substr(2)) : take.end();
    if (it == take.end()) {
      error = "unknown argument " + name + "\n" + usage;
      return std::nullopt;
    }
    if (i + 1 >= argc || !it->second(argv[++i])) {
      error = "bad value for " + name;
      return std::nullopt;
    }
  }
  if (opt.addresses > 253)
    opt.addresses = 253;
  if (opt.seconds <= opt.warmup && opt.scenario != "idle" &&
      opt.scenario != "targets") {
    error = "--seconds must be longer than --warmup";
    return std::nullopt;
  }
  return opt;
}

} // namespace openassist::loadgen
