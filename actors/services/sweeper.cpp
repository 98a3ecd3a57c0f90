#include "actors/services/sweeper.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/entity_store.hpp"
#include "actors/identity/login_sessions.hpp"
#include "actors/json_fields.hpp"
#include "actors/reports/facts_record.hpp"
#include "actors/reports/monthly.hpp"
#include "actors/reports/schedule.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/session.hpp"
#include "monitoring/logging.hpp"
#include "schema/codec.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* sweeper_state::name = "sweeper";

namespace {

using json = nlohmann::json;
using self_ptr = caf::stateful_actor<sweeper_state>*;
using phase = sweeper_state::phase;

constexpr int64_t day_ms = 24 * 3600 * 1000;

auto log() {
  return monitoring::component_logger("sweeper");
}

// The smallest key after `key`.
std::string after(std::string_view key) {
  std::string next{key};
  next.push_back('\0');
  return next;
}

int retention_of(sweeper_state& st, const std::string& account) {
  if (auto i = st.retention.find(account); i != st.retention.end())
    return i->second;
  int days = st.cfg.default_retention_days;
  if (!account.empty())
    if (auto rec = load_entity(*st.cfg.env, "account/" + account);
        rec && *rec) {
      auto doc = json::parse((*rec)->body, nullptr, false);
      if (doc.is_object())
        days = value_or<int>(doc, "retention_days", days);
    }
  days = std::clamp(days, 1, 3650);
  st.retention.emplace(account, days);
  return days;
}

// What one step deletes: rows (one write) and then blobs.
struct step_result {
  std::vector<storage::put_op> ops;
  std::vector<std::string> blobs;
  std::string next_cursor;
  bool phase_done = false;
};

void erase(step_result& out, storage::table t, std::string_view key) {
  out.ops.push_back({t, std::string{key}, "", storage::op_kind::erase});
}

// Closed requests past retention: chat lines, files, recording, the request.
// A chat longer than a step's budget is deleted over several steps.
step_result requests_step(sweeper_state& st, int64_t now) {
  step_result out;
  auto& env = *st.cfg.env;
  size_t budget = st.cfg.batch;
  std::vector<std::pair<std::string, std::string>> rows;
  env.scan(storage::table::requests, st.cursor, budget,
           [&](std::string_view k, std::string_view v) {
             rows.emplace_back(std::string{k}, std::string{v});
             return true;
           });
  out.phase_done = rows.size() < budget;
  out.next_cursor = rows.empty() ? st.cursor : after(rows.back().first);
  for (auto& row : rows) {
    // Named references, not a structured binding: lambdas below capture them.
    auto& key = row.first;
    auto& value = row.second;
    auto nul = key.find('\0');
    if (nul == std::string::npos || key.size() != nul + 9)
      continue;
    auto account = key.substr(0, nul);
    auto request = storage::get_be(std::string_view{key}.substr(nul + 1), 8);
    if (auto open = env.get(storage::table::open_requests, key); !open || *open)
      continue; // open (or unreadable): never
    auto doc = json::parse(value, nullptr, false);
    if (!doc.is_object())
      continue;
    auto ended = value_or<int64_t>(doc, "closed_ms", 0);
    if (ended == 0)
      ended = value_or<int64_t>(doc, "created_ms", 0);
    if (ended == 0 || ended > now - int64_t{retention_of(st, account)} * day_ms)
      continue;
    // Its chat, as much as the step's budget allows.
    size_t lines = 0;
    bool more = false;
    env.scan(storage::table::chat, key, budget + 1,
             [&](std::string_view k, std::string_view) {
               if (k.substr(0, key.size()) != key)
                 return false;
               if (lines == budget) {
                 more = true;
                 return false;
               }
               erase(out, storage::table::chat, k);
               ++lines;
               return true;
             });
    if (more) {
      // The rest of this chat (and this request) in the next step.
      out.next_cursor = key;
      out.phase_done = false;
      return out;
    }
    env.scan(storage::table::files, key, 10000,
             [&](std::string_view k, std::string_view) {
               if (k.substr(0, key.size()) != key)
                 return false;
               erase(out, storage::table::files, k);
               out.blobs.push_back(file_blob_path(
                 account, request, std::string{k.substr(key.size())}));
               return true;
             });
    if (auto rec = env.get(storage::table::recordings, key); rec && *rec) {
      auto meta = json::parse(**rec, nullptr, false);
      if (meta.is_object() && meta.contains("segments") &&
          meta["segments"].is_array())
        for (auto& seg : meta["segments"])
          if (seg.is_object())
            out.blobs.push_back(value_or<std::string>(seg, "path", ""));
      erase(out, storage::table::recordings, key);
    }
    erase(out, storage::table::requests, key);
    erase(out, storage::table::report_facts,
          reports::facts_key(account, value_or<int64_t>(doc, "created_ms", 0),
                             request));
    if (out.ops.size() >= budget) {
      // Enough for one write: go on after this request next time.
      out.next_cursor = after(key);
      out.phase_done = false;
      return out;
    }
  }
  return out;
}

// Events past their account's retention (the log is ordered by time: the
// phase ends at events younger than the shortest retention, one day).
step_result events_step(sweeper_state& st, int64_t now) {
  step_result out;
  size_t seen = 0;
  std::string last;
  bool young = false;
  st.cfg.env->scan(storage::table::events, st.cursor, st.cfg.batch,
                   [&](std::string_view k, std::string_view v) {
                     ++seen;
                     last = std::string{k};
                     auto ev = schema::decode_event(v);
                     if (!ev)
                       return true;
                     auto ms = ev->time_us / 1000;
                     if (ms > now - day_ms) {
                       young = true;
                       return false;
                     }
                     if (ms <=
                         now - int64_t{retention_of(st, ev->account)} * day_ms)
                       erase(out, storage::table::events, k);
                     return true;
                   });
  out.phase_done = young || seen < st.cfg.batch;
  out.next_cursor = last.empty() ? st.cursor : after(last);
  return out;
}

// The presence log past its account's retention: each account's entries are
// in time order, so the scan leaves an account at its first young entry.
step_result presence_step(sweeper_state& st, int64_t now) {
  step_result out;
  size_t seen = 0;
  std::string next;
  st.cfg.env->scan(
    storage::table::presence_log, st.cursor, st.cfg.batch,
    [&](std::string_view k, std::string_view) {
      ++seen;
      auto nul = k.find('\0');
      if (nul == std::string_view::npos) {
        next = after(k);
        return true;
      }
      std::string account{k.substr(0, nul)};
      auto ms = static_cast<int64_t>(storage::get_be(k.substr(nul + 1, 8)));
      if (ms > now - int64_t{retention_of(st, account)} * day_ms) {
        next = account + '\x01'; // the next account's entries
        return false;
      }
      erase(out, storage::table::presence_log, k);
      next = after(k);
      return true;
    });
  out.phase_done = seen == 0;
  out.next_cursor = next.empty() ? st.cursor : next;
  return out;
}

// Roll-ups older than monthly reports keep them (400 days, cut in UTC: a
// day more or less at the edge does not matter): each account's days are in
// order, so the scan leaves an account at its first young day.
step_result rollups_step(sweeper_state& st, int64_t now) {
  step_result out;
  size_t seen = 0;
  std::string next;
  auto oldest =
    reports::day_at("UTC", now - reports::rollup_keep_days * day_ms);
  st.cfg.env->scan(storage::table::rollups, st.cursor, st.cfg.batch,
                   [&](std::string_view k, std::string_view) {
                     ++seen;
                     auto nul = k.find('\0');
                     if (nul == std::string_view::npos) {
                       next = after(k);
                       return true;
                     }
                     if (oldest && k.substr(nul + 1) >= oldest->day) {
                       next = std::string{k.substr(0, nul)} + '\x01';
                       return false;
                     }
                     erase(out, storage::table::rollups, k);
                     next = after(k);
                     return true;
                   });
  out.phase_done = seen == 0;
  out.next_cursor = next.empty() ? st.cursor : next;
  return out;
}

// Expired logins (with their index rows) or reset links.
step_result expired_step(sweeper_state& st, int64_t now, bool logins) {
  step_result out;
  size_t seen = 0;
  std::string last;
  auto t =
    logins ? storage::table::auth_sessions : storage::table::reset_tokens;
  st.cfg.env->scan(
    t, st.cursor, st.cfg.batch, [&](std::string_view k, std::string_view v) {
      ++seen;
      last = std::string{k};
      auto doc = json::parse(v, nullptr, false);
      if (!doc.is_object() || value_or<int64_t>(doc, "expires", 0) * 1000 > now)
        return true;
      erase(out, t, k);
      if (logins)
        erase(out, storage::table::user_sessions,
              user_session_key(value_or<std::string>(doc, "account", ""),
                               value_or<uint64_t>(doc, "user", 0), k));
      return true;
    });
  out.phase_done = seen < st.cfg.batch;
  out.next_cursor = last.empty() ? st.cursor : after(last);
  return out;
}

void schedule_step(self_ptr self) {
  auto& st = self->state;
  st.step_pending = true;
  if (st.cfg.pause.count() == 0)
    self->send(self, sweep_step_atom::value);
  else
    self->delayed_send(self, st.cfg.pause, sweep_step_atom::value);
}

void advance(self_ptr self, const step_result& r) {
  auto& st = self->state;
  st.cursor = r.next_cursor;
  if (!r.phase_done)
    return;
  st.cursor.clear();
  st.at = static_cast<phase>(static_cast<int>(st.at) + 1);
}

void step(self_ptr self) {
  auto& st = self->state;
  st.step_pending = false;
  if (st.at == phase::done)
    return;
  auto now = st.cfg.now_ms();
  step_result r;
  switch (st.at) {
    case phase::requests:
      r = requests_step(st, now);
      break;
    case phase::events:
      r = events_step(st, now);
      break;
    case phase::presence:
      r = presence_step(st, now);
      break;
    case phase::rollups:
      r = rollups_step(st, now);
      break;
    case phase::logins:
      r = expired_step(st, now, true);
      break;
    case phase::resets:
      r = expired_step(st, now, false);
      break;
    case phase::done:
      break;
  }
  auto finish_step = [self] {
    auto& st = self->state;
    if (st.at != phase::done)
      return schedule_step(self);
    ++st.passes;
    st.retention.clear();
    self->delayed_send(self, st.cfg.interval, sweep_atom::value);
  };
  if (r.ops.empty()) {
    advance(self, r);
    return finish_step();
  }
  storage::write_batch batch;
  auto n = r.ops.size();
  batch.ops = std::move(r.ops);
  r.ops.clear();
  st.step_pending = true;
  self
    ->request(st.cfg.persistence, std::chrono::seconds(60),
              storage::write_atom::value, std::move(batch))
    .then(
      [self, r, n, finish_step](const storage::write_receipt&) {
        auto& st = self->state;
        // Rows first, then their blobs: a crash leaves files nobody refers
        // to, never rows whose files are gone.
        if (st.cfg.blobs)
          for (auto& path : r.blobs)
            if (!path.empty())
              caf::anon_send(st.cfg.blobs, blob_remove_atom::value, path);
        st.deleted += n;
        advance(self, r);
        finish_step();
      },
      [self](caf::error& err) {
        // Tried again after the pause, from the same place.
        log()->warn("sweep step not stored: {}", self->system().render(err));
        schedule_step(self);
      });
}

} // namespace

caf::behavior sweeper(caf::stateful_actor<sweeper_state>* self,
                      sweeper_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.now_ms)
    st.cfg.now_ms = wall_ms;
  if (st.cfg.batch == 0)
    st.cfg.batch = 1;
  // The first pass once the node has settled.
  self->delayed_send(
    self, std::min(st.cfg.interval, std::chrono::milliseconds(60000)),
    sweep_atom::value);
  return {
    [self](sweep_atom) {
      auto& st = self->state;
      if (st.at != phase::done)
        return;
      st.at = phase::requests;
      st.cursor.clear();
      if (!st.step_pending)
        schedule_step(self);
    },
    [self](sweep_step_atom) { step(self); },
    [self](sweep_stats_atom) {
      return std::make_tuple(self->state.passes, self->state.deleted);
    },
  };
}

} // namespace openassist::actors
