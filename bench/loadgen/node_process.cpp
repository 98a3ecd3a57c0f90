#include "node_process.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace openassist::loadgen {

namespace fs = std::filesystem;

node_process node_process::start(const std::string& bin,
                                 const std::vector<std::string>& extra) {
  std::string tmpl = (fs::temp_directory_path() / "oa-loadgen-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("cannot make a temporary directory");
  node_process node;
  node.work_dir_ = tmpl;
  node.owned_ = true;
  const auto ready = (fs::path{tmpl} / "ready.json").string();
  std::vector<std::string> args{
    bin,
    "--node.data-dir=" + (fs::path{tmpl} / "data").string(),
    "--node.public-port=0",
    "--node.admin-port=0",
    "--node.ready-file=" + ready,
    "--node.demo",
    "--node.log-level=warn",
    "--intake.per-address-per-min=0",
  };
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // What is buffered would be written twice: by us and by the child.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    // The node's stdout is of no use here; its warnings go to stderr.
    if (std::freopen("/dev/null", "w", stdout) == nullptr)
      _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  node.pid_ = pid;
  const auto deadline =
    std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(ready)) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      node.pid_ = -1;
      throw std::runtime_error("the node exited at start: " + bin);
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the node did not get ready within 60 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The ready file is written whole before it is renamed into place, but
  // read it until it parses to be safe.
  for (int attempt = 0;; ++attempt) {
    std::ifstream in(ready);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (!doc.is_discarded() && doc.contains("public_port")) {
      node.port_ = doc["public_port"].get<unsigned short>();
      node.admin_ = doc["admin_port"].get<unsigned short>();
      break;
    }
    if (attempt > 100)
      throw std::runtime_error("unreadable ready file " + ready);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return node;
}

node_process node_process::attach(unsigned short port, unsigned short admin,
                                  pid_t pid) {
  node_process node;
  node.port_ = port;
  node.admin_ = admin;
  node.pid_ = pid;
  return node;
}

node_process::node_process(node_process&& other) noexcept
  : pid_(other.pid_), owned_(other.owned_), port_(other.port_),
    admin_(other.admin_), work_dir_(std::move(other.work_dir_)) {
  other.owned_ = false;
  other.pid_ = -1;
}

node_process::~node_process() {
  stop();
}

bool node_process::alive() const {
  if (!owned_ || pid_ <= 0)
    return true;
  int status = 0;
  return waitpid(pid_, &status, WNOHANG) == 0;
}

long node_process::rss_anon_kib() const {
  if (pid_ <= 0)
    return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("RssAnon:", 0) == 0)
      return std::strtol(line.c_str() + 8, nullptr, 10);
  return -1;
}

double node_process::cpu_seconds() const {
  if (pid_ <= 0)
    return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command (which may hold spaces) in parentheses; utime
  // and stime are the 14th and 15th of the whole line.
  const auto close = text.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i >= 14)
      ticks += std::strtod(field.c_str(), nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void node_process::stop() {
  if (!owned_)
    return;
  owned_ = false;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  fs::remove_all(work_dir_, ignored);
}

} // namespace openassist::loadgen
