// openassist-agent: the customer's support app (docs/remote-control.md).
//
//   openassist-agent http://support.example.com/app/join/4821907713
//   openassist-agent --server http://support.example.com --code "482 190 7713"
//
// Options: --no-window (no window: remote control is declined), --display
// NAME (the X display to share, default $DISPLAY), --fps N (1..30, default
// 10), --quality Q (10..95, default 70), --version.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "agent/app.hpp"
#include "agent/headless.hpp"
#include "agent/interrupt.hpp"
#include "agent/join.hpp"
#include "agent/target.hpp"
#include "agent/window.hpp"

namespace {

using namespace openassist::agent;

void usage() {
  std::fputs(
    "usage: openassist-agent JOIN-LINK [--no-window] [--display NAME]\n"
    "       openassist-agent --server URL --code CODE [options]\n"
    "The join link and the code are on the support page in your browser.\n",
    stderr);
}

int to_int(const char* v, int lo, int hi, const char* what) {
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (end == v || *end != '\0' || n < lo || n > hi) {
    std::fprintf(stderr, "openassist-agent: %s: %d to %d\n", what, lo, hi);
    std::exit(2);
  }
  return static_cast<int>(n);
}

} // namespace

int main(int argc, char** argv) {
  std::string link, server, code;
  bool window = true;
  app_options opts;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "openassist-agent: %s needs a value\n", name);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    }
    if (a == "--version") {
      std::puts("openassist-agent 0.1.0");
      return 0;
    }
    if (a == "--no-window")
      window = false;
    else if (a == "--display")
      opts.display = value("--display");
    else if (a == "--server")
      server = value("--server");
    else if (a == "--code")
      code = value("--code");
    else if (a == "--fps")
      opts.fps = to_int(value("--fps"), 1, 30, "--fps");
    else if (a == "--quality")
      opts.quality = to_int(value("--quality"), 10, 95, "--quality");
    else if (!a.empty() && a[0] != '-' && link.empty())
      link = a;
    else {
      std::fprintf(stderr, "openassist-agent: unknown argument %s\n",
                   a.c_str());
      usage();
      return 2;
    }
  }
  std::string problem;
  auto where = link.empty() ? parse_server_and_code(server, code, problem)
                            : parse_link(link, problem);
  if (!where) {
    std::fprintf(stderr, "openassist-agent: %s\n", problem.c_str());
    usage();
    return 2;
  }
  joined session;
  try {
    session = join_request(*where);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "openassist-agent: cannot join: %s\n", e.what());
    return 1;
  }
  install_interrupt_handlers();
  try {
    std::unique_ptr<ui> face;
    if (window)
      face = std::make_unique<window_ui>(opts.display);
    else
      face = std::make_unique<headless_ui>();
    app a(opts, *where, session, *face);
    return a.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "openassist-agent: %s\n", e.what());
    return 1;
  }
}
