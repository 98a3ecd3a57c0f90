#include "agent/diagnostics.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netpacket/packet.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace openassist::agent {

namespace {

using json = nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\''))
    v = v.substr(1, v.size() - 2);
  return v;
}

json os_part() {
  utsname u{};
  uname(&u);
  std::string name = u.sysname;
  std::istringstream rel(read_file("/etc/os-release"));
  for (std::string line; std::getline(rel, line);)
    if (line.rfind("PRETTY_NAME=", 0) == 0)
      name = unquote(line.substr(12));
  double up = 0;
  std::istringstream(read_file("/proc/uptime")) >> up;
  return {{"name", name},
          {"kernel", std::string{u.release}},
          {"machine", std::string{u.machine}},
          {"hostname", std::string{u.nodename}},
          {"uptime_s", static_cast<int64_t>(up)}};
}

json cpu_part() {
  std::string model;
  std::istringstream info(read_file("/proc/cpuinfo"));
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  double l1 = 0, l5 = 0, l15 = 0;
  std::istringstream(read_file("/proc/loadavg")) >> l1 >> l5 >> l15;
  return {{"model", model},
          {"cores", sysconf(_SC_NPROCESSORS_ONLN)},
          {"load", {l1, l5, l15}}};
}

json memory_part() {
  std::map<std::string, int64_t> m;
  std::istringstream in(read_file("/proc/meminfo"));
  std::string key;
  int64_t value = 0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    m[key] = value;
  }
  return {{"total_kb", m["MemTotal:"]},
          {"available_kb", m["MemAvailable:"]},
          {"swap_total_kb", m["SwapTotal:"]},
          {"swap_free_kb", m["SwapFree:"]}};
}

json disks_part() {
  static const char* real[] = {"ext2", "ext3",    "ext4",   "xfs",   "btrfs",
                               "vfat", "exfat",   "ntfs",   "ntfs3", "f2fs",
                               "zfs",  "overlay", "fuseblk"};
  json out = json::array();
  std::istringstream in(read_file("/proc/mounts"));
  for (std::string dev, mount, fs, rest; in >> dev >> mount >> fs;) {
    std::getline(in, rest);
    if (std::none_of(std::begin(real), std::end(real),
                     [&](const char* r) { return fs == r; }))
      continue;
    struct statvfs st {};
    if (statvfs(mount.c_str(), &st) != 0)
      continue;
    auto kb = [&](unsigned long blocks) {
      return static_cast<int64_t>(blocks * st.f_frsize / 1024);
    };
    out.push_back({{"mount", mount},
                   {"device", dev},
                   {"fs", fs},
                   {"total_kb", kb(st.f_blocks)},
                   {"free_kb", kb(st.f_bavail)}});
    if (out.size() >= 32)
      break;
  }
  return out;
}

json network_part() {
  std::map<std::string, json> by_name;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return json::array();
  for (auto* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr)
      continue;
    auto& entry = by_name[a->ifa_name];
    if (entry.is_null())
      entry = {{"name", a->ifa_name},
               {"up", (a->ifa_flags & IFF_UP) != 0},
               {"addresses", json::array()},
               {"mac", ""}};
    auto family = a->ifa_addr->sa_family;
    if (family == AF_INET || family == AF_INET6) {
      char host[NI_MAXHOST] = {};
      auto len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
      if (getnameinfo(a->ifa_addr, static_cast<socklen_t>(len), host,
                      sizeof host, nullptr, 0, NI_NUMERICHOST) == 0)
        entry["addresses"].push_back(host);
    } else if (family == AF_PACKET) {
      auto* ll = reinterpret_cast<sockaddr_ll*>(a->ifa_addr);
      char mac[32] = {};
      if (ll->sll_halen == 6)
        std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x",
                      ll->sll_addr[0], ll->sll_addr[1], ll->sll_addr[2],
                      ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
      entry["mac"] = mac;
    }
  }
  freeifaddrs(list);
  json out = json::array();
  for (auto& [name, e] : by_name)
    out.push_back(e);
  return out;
}

json processes_part(size_t keep) {
  struct proc {
    int pid;
    std::string name;
    int64_t rss_kb;
    double cpu_s;
  };
  std::vector<proc> all;
  long ticks = sysconf(_SC_CLK_TCK);
  long page_kb = sysconf(_SC_PAGESIZE) / 1024;
  std::error_code ec;
  for (auto& d : std::filesystem::directory_iterator("/proc", ec)) {
    auto name = d.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    auto stat = read_file(d.path().string() + "/stat");
    auto open = stat.find('(');
    auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos)
      continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field)
      f.push_back(field);
    // After the name: state(0) ... utime(11) stime(12) ... rss(21).
    if (f.size() < 22)
      continue;
    proc p{std::stoi(name), stat.substr(open + 1, close - open - 1),
           std::stoll(f[21]) * page_kb,
           static_cast<double>(std::stoll(f[11]) + std::stoll(f[12])) /
             static_cast<double>(ticks)};
    all.push_back(std::move(p));
  }
  std::sort(all.begin(), all.end(),
            [](const proc& a, const proc& b) { return a.rss_kb > b.rss_kb; });
  json out = json::array();
  for (size_t i = 0; i < all.size() && i < keep; ++i)
    out.push_back({{"pid", all[i].pid},
                   {"name", all[i].name},
                   {"rss_kb", all[i].rss_kb},
                   {"cpu_s", std::round(all[i].cpu_s * 10) / 10}});
  return out;
}

} // namespace

json collect_diagnostics() {
  json out = {{"os", os_part()},           {"cpu", cpu_part()},
              {"memory", memory_part()},   {"disks", disks_part()},
              {"network", network_part()}, {"processes", processes_part(50)}};
  // The server takes at most 48 KiB: fewer processes until it fits.
  for (size_t keep = 40; out.dump().size() > 47 * 1024 && keep > 0; keep -= 10)
    out["processes"] = processes_part(keep);
  return out;
}

} // namespace openassist::agent
