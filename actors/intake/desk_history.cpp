#include "actors/intake/desk_history.hpp"

#include <vector>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/reports/facts_record.hpp"

namespace openassist::actors {

using json = nlohmann::json;

bool for_each_history(const history_query& q, size_t page_size,
                      const std::function<bool(json&)>& visit) {
  auto prefix = request_key(q.account, 0).substr(0, q.account.size() + 1);
  page_size = std::max<size_t>(page_size, 1);
  // Newest first, in pages of `page_size` ids read forward.
  for (uint64_t hi = q.newest; hi >= 1;) {
    uint64_t lo = hi >= page_size ? hi - page_size + 1 : 1;
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
      return false;
    bool newer = page.empty(); // anything on this page at or after from_ms
    for (auto i = page.rbegin(); i != page.rend(); ++i) {
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
      if (!visit(*i))
        return true;
    }
    if (lo == 1 || (q.from_ms != 0 && !newer))
      break;
    hi = lo - 1;
  }
  return true;
}

bool for_each_facts(const history_query& q,
                    const std::function<void(reports::request_facts&)>& visit) {
  auto end =
    q.to_ms == 0
      ? q.account + '\1'
      : reports::facts_key(q.account, static_cast<int64_t>(q.to_ms), 0);
  auto err = q.env->scan_range(
    storage::table::report_facts,
    reports::facts_key(q.account, static_cast<int64_t>(q.from_ms), 0), end,
    5000, [&](std::string_view, std::string_view v) {
      auto f = reports::decode_facts(v);
      if (f && (q.all || q.technicians.count(f->technician)) &&
          (q.portal == 0 || f->portal == q.portal))
        visit(*f);
      return true;
    });
  return !err;
}

std::optional<json> read_history(const history_query& q) {
  json out = json::array();
  auto limit = std::max<size_t>(q.limit, 1);
  bool ok = for_each_history(q, limit, [&](json& doc) {
    out.push_back(std::move(doc));
    return out.size() < limit;
  });
  if (!ok)
    return std::nullopt;
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

caf::behavior report_reader(caf::event_based_actor* self, history_query q,
                            reports::report_request r, bool csv) {
  return {
    [self, q, r, csv](desk_report_atom) -> std::tuple<bool, std::string> {
      self->quit();
      reports::report_builder report{r};
      bool ok = for_each_facts(
        q, [&report](reports::request_facts& f) { report.add(f); });
      if (!ok)
        return {false, std::string{}};
      auto out = report.finish();
      return {true, csv ? reports::to_csv(out) : dump_text(out)};
    },
  };
}

caf::behavior level_reader(caf::event_based_actor* self, history_query q) {
  return {
    [self, q](desk_dash_history_atom)
      -> std::tuple<bool, std::vector<dashboard_request>> {
      self->quit();
      std::vector<dashboard_request> out;
      bool ok = for_each_facts(q, [&out](reports::request_facts& f) {
        dashboard_request r;
        r.id = f.id;
        r.portal_id = f.portal;
        r.created_ms = f.created;
        r.facts = reports::level_facts_of(f);
        out.push_back(std::move(r));
      });
      return {ok, std::move(out)};
    },
  };
}

} // namespace openassist::actors
