#include "actors/intake/desk_history.hpp"

#include <vector>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"

namespace openassist::actors {

using json = nlohmann::json;

std::optional<json> read_history(const history_query& q) {
  auto prefix = request_key(q.account, 0).substr(0, q.account.size() + 1);
  json out = json::array();
  auto limit = std::max<uint64_t>(q.limit, 1);
  // Newest first, in pages of `limit` ids read forward.
  for (uint64_t hi = q.newest; hi >= 1 && out.size() < limit;) {
    uint64_t lo = hi >= limit ? hi - limit + 1 : 1;
    std::vector<json> page;
    auto err =
      q.env->scan(storage::table::requests, request_key(q.account, lo),
                  hi - lo + 1, [&](std::string_view k, std::string_view v) {
                    if (k.substr(0, prefix.size()) != prefix)
                      return false;
                    auto doc = json::parse(v, nullptr, false);
                    if (!doc.is_discarded() && doc.is_object())
                      page.push_back(std::move(doc));
                    return true;
                  });
    if (err)
      return std::nullopt;
    bool newer = page.empty(); // anything on this page at or after from_ms
    for (auto i = page.rbegin(); i != page.rend() && out.size() < limit; ++i) {
      auto id = value_or<uint64_t>(*i, "id", 0);
      if (id == 0 || id > hi || id < lo)
        continue;
      auto created = value_or<uint64_t>(*i, "created_ms", 0);
      if (created >= q.from_ms)
        newer = true;
      if (!q.all &&
          !q.technicians.count(value_or<uint64_t>(*i, "technician_id", 0)))
        continue;
      if ((q.portal != 0 &&
           value_or<uint64_t>(*i, "portal_id", 0) != q.portal) ||
          created < q.from_ms || (q.to_ms != 0 && created >= q.to_ms))
        continue;
      out.push_back(std::move(*i));
    }
    if (lo == 1 || (q.from_ms != 0 && !newer))
      break;
    hi = lo - 1;
  }
  return out;
}

caf::behavior history_reader(caf::event_based_actor* self, history_query q) {
  return {
    [self, q](desk_list_atom) -> std::tuple<bool, std::string> {
      self->quit();
      auto docs = read_history(q);
      if (!docs)
        return {false, std::string{}};
      return {true, dump_text(*docs)};
    },
  };
}

} // namespace openassist::actors
