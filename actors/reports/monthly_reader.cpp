#include "actors/reports/monthly_reader.hpp"

namespace openassist::actors::reports {

std::optional<std::vector<std::string>>
rollup_months(storage::environment& env, const std::string& account) {
  std::vector<std::string> out;
  auto prefix = account.size() + 1;
  auto err = env.scan_range(
    storage::table::rollups, rollup_key(account, ""), account + '\1', 1000,
    [&out, prefix](std::string_view k, std::string_view) {
      auto month = std::string{k.substr(prefix, 7)};
      if (valid_month(month) && (out.empty() || out.back() != month))
        out.push_back(std::move(month));
      return true;
    });
  if (err)
    return std::nullopt;
  return out;
}

std::optional<nlohmann::json> read_monthly(storage::environment& env,
                                           const std::string& account,
                                           monthly_request req) {
  auto from = rollup_key(account, req.from_month + "-01");
  auto to = rollup_key(account, req.to_month + "-32");
  monthly_builder report{std::move(req)};
  bool bad = false;
  auto prefix = account.size() + 1;
  auto err = env.scan_range(storage::table::rollups, from, to, 1000,
                            [&](std::string_view k, std::string_view v) {
                              auto day =
                                decode_rollup(v, std::string{k.substr(prefix)});
                              if (!day) {
                                bad = true;
                                return false;
                              }
                              report.add(*day);
                              return true;
                            });
  if (err || bad)
    return std::nullopt;
  return report.finish();
}

} // namespace openassist::actors::reports
