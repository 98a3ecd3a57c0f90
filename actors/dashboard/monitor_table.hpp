// One dashboard monitor's table (docs/dashboards.md): the rows of its kind,
// kept from the desk's feed, and what each viewer may see of them. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

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

  /// `kind`: technicians, waiting, active or managers.
  explicit monitor_table(std::string kind) : kind_(std::move(kind)) {}

  const std::string& kind() const { return kind_; }

  /// Takes a feed (a full one replaces everything); what changed.
  change apply(const dashboard_feed& feed);

  /// Forgets every row (the monitor stopped).
  void clear();

  /// Whether row `key` is there and `scope` may see it.
  bool visible(const std::string& key, const dashboard_scope& scope) const;

  /// The row `key` as clients read it (null when it is not there).
  json row(const std::string& key) const;

  /// Every row `scope` may see, and their keys.
  json rows(const dashboard_scope& scope, std::set<std::string>& keys) const;

  size_t size() const {
    return technicians_.size() + requests_.size() + watchers_.size();
  }

private:
  bool shows(const dashboard_request& r) const;
  void put_technician(const dashboard_technician& t, change& c);
  void put_request(const dashboard_request& r, change& c);

  std::string kind_;
  std::map<uint64_t, dashboard_technician> technicians_;
  std::map<uint64_t, dashboard_request> requests_;
  std::map<std::string, dashboard_watcher> watchers_; ///< "w<user>-<request>"
};

} // namespace openassist::actors::dashboard
