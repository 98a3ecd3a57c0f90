// One dashboard monitor's table (docs/dashboards.md): the rows of its kind,
// kept from the desk's feed, and what each viewer may see of them. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/dashboard/dashboard_feed.hpp"

namespace openassist::actors::dashboard {

using json = nlohmann::json;

class monitor_table {
public:
  /// Row keys added, changed or gone by one feed.
  struct change {
    std::set<std::string> changed; ///< rows that are there now
    std::set<std::string> gone;
    bool empty() const { return changed.empty() && gone.empty(); }
  };

  /// `kind`: technicians, waiting, active, managers or service_level.
  explicit monitor_table(std::string kind) : kind_(std::move(kind)) {}

  const std::string& kind() const { return kind_; }

  /// Takes a feed (a full one replaces everything); what changed.
  change apply(const dashboard_feed& feed);

  /// Forgets every row (the monitor stopped).
  void clear();

  /// service_level: the day counted from now on starts at `start_ms` (Unix
  /// ms); requests created before are dropped.
  change set_day(int64_t start_ms);
  /// service_level: the target wait every row is measured against.
  change set_target(int64_t target_ms);
  /// service_level: requests read from storage; a request the feed already
  /// told of is newer there and kept.
  change add_history(const std::vector<dashboard_request>& requests);
  int64_t day_start() const { return day_start_; }

  /// Whether row `key` is there and `scope` may see it.
  bool visible(const std::string& key, const dashboard_scope& scope) const;

  /// The row `key` as clients read it (null when it is not there).
  json row(const std::string& key) const;

  /// Every row `scope` may see, and their keys.
  json rows(const dashboard_scope& scope, std::set<std::string>& keys) const;

  size_t size() const {
    size_t today = 0;
    for (auto& [id, p] : portals_)
      today += p.requests.size();
    return technicians_.size() + requests_.size() + watchers_.size() + today;
  }

private:
  bool shows(const dashboard_request& r) const;
  void put_technician(const dashboard_technician& t, change& c);
  void put_request(const dashboard_request& r, change& c);
  /// service_level: counts `r` in its portal's row; `replace`: a newer
  /// state of a request already counted.
  void count_request(const dashboard_request& r, bool replace, change& c);
  json level_row(const std::string& key, uint64_t portal) const;

  /// service_level: a portal's requests created today.
  struct level_portal {
    std::string name;
    std::vector<uint64_t> teams; ///< teams that serve it (empty: all)
    std::map<uint64_t, reports::level_facts> requests;
  };

  std::string kind_;
  std::map<uint64_t, dashboard_technician> technicians_;
  std::map<uint64_t, dashboard_request> requests_;
  std::map<std::string, dashboard_watcher> watchers_; ///< "w<user>-<request>"
  std::map<uint64_t, level_portal> portals_;          ///< "p<portal>"
  int64_t day_start_ = 0;
  int64_t target_ms_ = reports::default_target_ms;
};

} // namespace openassist::actors::dashboard
