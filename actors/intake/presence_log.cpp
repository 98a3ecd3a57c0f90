#include "actors/intake/presence_log.hpp"

#include <algorithm>
#include <tuple>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

std::string presence_log_key(const std::string& account, int64_t ms,
                             uint64_t technician) {
  std::string key = account;
  key.push_back('\0');
  storage::put_be(key, static_cast<uint64_t>(std::max<int64_t>(ms, 0)));
  storage::put_be(key, technician);
  return key;
}

namespace {

// Feeds the account's entries of [from, to) to `report` in time order, in
// pages; false when storage cannot be read.
bool read_log(const activity_query& q, int64_t from, int64_t to,
              reports::activity_builder& report) {
  auto prefix_size = q.account.size() + 1;
  auto err = q.env->scan_range(
    storage::table::presence_log, presence_log_key(q.account, from, 0),
    presence_log_key(q.account, to, 0), 10000,
    [&](std::string_view k, std::string_view v) {
      auto rest = k.substr(prefix_size);
      auto at = static_cast<int64_t>(storage::get_be(rest.substr(0, 8)));
      report.add(at, storage::get_be(rest.substr(8, 8)), std::string{v});
      return true;
    });
  return !err;
}

} // namespace

caf::behavior activity_reader(caf::event_based_actor* self, activity_query q) {
  return {
    [self, q](desk_report_atom) -> std::tuple<bool, std::string> {
      self->quit();
      auto& r = q.report;
      reports::activity_builder report{r};
      if (!read_log(q, r.from_ms - reports::activity_lookback_ms, r.to_ms,
                    report))
        return {false, std::string{}};
      auto out = report.finish();
      return {true, q.csv ? reports::activity_csv(out) : dump_text(out)};
    },
  };
}

} // namespace openassist::actors
