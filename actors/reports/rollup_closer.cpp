#include "actors/reports/rollup_closer.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/reports/facts_record.hpp"
#include "actors/reports/monthly.hpp"
#include "actors/reports/rollup.hpp"
#include "actors/reports/schedule.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* rollup_closer_state::name = "rollup_closer";

namespace {

using self_ptr = caf::stateful_actor<rollup_closer_state>*;

constexpr int64_t day_ms = int64_t{24} * 3600 * 1000;

auto log() {
  return monitoring::component_logger("rollups");
}

// When the account's oldest report facts were created (Unix ms); nullopt
// without any.
std::optional<int64_t> oldest_facts(const rollup_closer_config& c) {
  std::optional<int64_t> out;
  auto from = reports::facts_key(c.account, 0, 0);
  auto to = c.account + '\1';
  c.env->scan_range(storage::table::report_facts, from, to, 1,
                    [&out, &c](std::string_view k, std::string_view) {
                      out = static_cast<int64_t>(
                        storage::get_be(k.substr(c.account.size() + 1, 8)));
                      return false;
                    });
  return out;
}

// The days to write: after the last final one (or from the oldest facts)
// through today.
std::vector<std::string> days_to_write(rollup_closer_state& st) {
  auto& c = st.cfg;
  auto today = reports::day_at(c.time_zone, c.now_ms);
  if (!today)
    return {};
  std::string first;
  if (auto mark = c.env->get(storage::table::meta, rollup_mark_key(c.account));
      mark && *mark && reports::valid_day(**mark)) {
    st.last_final = **mark;
    first = reports::add_days(st.last_final, 1);
  } else {
    auto oldest = oldest_facts(c);
    if (!oldest)
      return {};
    auto limit = c.now_ms - reports::rollup_keep_days * day_ms;
    auto day = reports::day_at(c.time_zone, std::max(*oldest, limit));
    if (!day)
      return {};
    first = day->day;
  }
  std::vector<std::string> out;
  for (auto d = first; !d.empty() && d <= today->day;
       d = reports::add_days(d, 1))
    out.push_back(d);
  return out;
}

void next_day(self_ptr self) {
  auto& st = self->state;
  if (st.days.empty()) {
    self->quit();
    return;
  }
  auto day = st.days.front();
  auto rollup = roll_up_day(*st.cfg.env, st.cfg.account, st.cfg.time_zone, day);
  if (!rollup) {
    log()->warn("[rollups {}] cannot read the facts of {}", st.cfg.account,
                day);
    self->quit();
    return;
  }
  storage::write_batch batch;
  auto key = reports::rollup_key(st.cfg.account, day);
  if (rollup->cells.empty())
    batch.ops.push_back(
      {storage::table::rollups, key, {}, storage::op_kind::erase});
  else
    batch.ops.push_back(
      {storage::table::rollups, key, reports::encode_rollup(*rollup)});
  // Final two days after it ended: from then on it is not written again.
  auto today = reports::day_at(st.cfg.time_zone, st.cfg.now_ms);
  bool final = today && reports::add_days(day, 2) <= today->day;
  if (final)
    batch.ops.push_back(
      {storage::table::meta, rollup_mark_key(st.cfg.account), day});
  self
    ->request(st.cfg.persistence, storage::write_timeout(),
              storage::write_atom::value, std::move(batch))
    .then(
      [self](const storage::write_receipt&) {
        self->state.days.erase(self->state.days.begin());
        self->send(self, rollup_day_atom::value);
      },
      [self, day](caf::error& err) {
        // The next run goes on from the last final day written.
        log()->warn("[rollups {}] day {} not stored: {}",
                    self->state.cfg.account, day, self->system().render(err));
        self->quit();
      });
}

} // namespace

std::optional<reports::day_rollup> roll_up_day(const storage::environment& env,
                                               const std::string& account,
                                               const std::string& time_zone,
                                               const std::string& day) {
  auto span = reports::day_named(time_zone, day);
  if (!span)
    return std::nullopt;
  reports::day_rollup out;
  out.day = day;
  auto err = env.scan_range(storage::table::report_facts,
                            reports::facts_key(account, span->from_ms, 0),
                            reports::facts_key(account, span->to_ms, 0), 5000,
                            [&out](std::string_view, std::string_view v) {
                              if (auto f = reports::decode_facts(v))
                                out.add(*f);
                              return true;
                            });
  if (err)
    return std::nullopt;
  return out;
}

std::string rollup_mark_key(const std::string& account) {
  return "rollups/" + account;
}

caf::behavior rollup_closer(caf::stateful_actor<rollup_closer_state>* self,
                            rollup_closer_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.days = days_to_write(st);
  self->send(self, rollup_day_atom::value);
  return {
    [self](rollup_day_atom) { next_day(self); },
  };
}

} // namespace openassist::actors
