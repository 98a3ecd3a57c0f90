#include "actors/dashboard/monitor.hpp"

#include <algorithm>
#include <string_view>

#include <caf/all.hpp>

#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/reports/schedule.hpp"

namespace openassist::actors {

const char* monitor_state::name = "monitor";

namespace {

using self_ptr = caf::stateful_actor<monitor_state>*;
using json = nlohmann::json;

constexpr auto ask_timeout = std::chrono::seconds(10);
constexpr size_t max_waiting = 1000;

int64_t now(const monitor_state& st) {
  return st.cfg.now_ms();
}

int64_t stops_at(const monitor_state& st) {
  return st.config.stops_ms();
}

std::string monitor_id(const monitor_state& st) {
  return std::to_string(st.cfg.id);
}

void push(const monitor_viewer& v, const json& msg) {
  caf::anon_send(v.conn, desk_push_atom::value, dump_text(msg));
}

void watch(self_ptr self, const caf::actor& conn, const std::string& login,
           caf::typed_response_promise<std::string> rp);

caf::error refused() {
  return make_error(errc::not_found, "no such monitor");
}

// Stopped because it was deleted.
bool removed(const monitor_state& st) {
  return st.stopped != nullptr && std::string_view{st.stopped} == "removed";
}

// The whole table a viewer may see.
std::string state_text(monitor_state& st, monitor_viewer& v) {
  v.shown.clear();
  json rows = json::array();
  bool running = now(st) < stops_at(st);
  if (running && st.table)
    rows = st.table->rows(v.scope, v.shown);
  auto monitor = public_json(st.config, now(st));
  monitor["running"] = running;
  return dump_text(json{{"type", "dashboard.state"},
                        {"monitor_id", monitor_id(st)},
                        {"monitor", monitor},
                        {"rows", rows},
                        {"server_time_ms", now(st)}});
}

// Stops: tells the viewers why, and quits a little later (a later watch
// starts the monitor again from its stored configuration).
void stop(self_ptr self, const char* reason) {
  auto& st = self->state;
  st.stopped = reason;
  self->delayed_send(self, st.cfg.linger, dashboard_quit_atom::value,
                     ++st.stops);
  for (auto& v : st.viewers)
    push(v, {{"type", "dashboard.stopped"},
             {"monitor_id", monitor_id(st)},
             {"reason", reason}});
  st.viewers.clear();
  // Watches that waited for the desk's picture: there is no such monitor.
  for (auto& w : st.waiting)
    w.rp.deliver(refused());
  st.waiting.clear();
  if (st.table)
    st.table->clear();
}

void schedule_stop(self_ptr self) {
  auto& st = self->state;
  auto left = std::max<int64_t>(stops_at(st) - now(st), 0);
  self->delayed_send(self, std::chrono::milliseconds(left),
                     dashboard_stop_atom::value, st.config.started_ms);
}

void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto change = std::move(st.pending);
  st.pending = {};
  if (!st.table || st.stopped != nullptr)
    return;
  for (auto& v : st.viewers) {
    json rows = json::array(), removed = json::array();
    for (auto& key : change.changed) {
      if (st.table->visible(key, v.scope)) {
        rows.push_back(st.table->row(key));
        v.shown.insert(key);
      } else if (v.shown.erase(key)) {
        removed.push_back(key);
      }
    }
    for (auto& key : change.gone)
      if (v.shown.erase(key))
        removed.push_back(key);
    if (rows.empty() && removed.empty())
      continue;
    push(v, {{"type", "dashboard.update"},
             {"monitor_id", monitor_id(st)},
             {"rows", rows},
             {"removed", removed},
             {"server_time_ms", now(st)}});
  }
}

// Changes of the table to push with the next flush.
void note(self_ptr self, const dashboard::monitor_table::change& change) {
  auto& st = self->state;
  for (auto& key : change.changed) {
    st.pending.gone.erase(key);
    st.pending.changed.insert(key);
  }
  for (auto& key : change.gone) {
    st.pending.changed.erase(key);
    st.pending.gone.insert(key);
  }
  if (!st.pending.empty() && !st.flush_scheduled) {
    st.flush_scheduled = true;
    self->delayed_send(self, st.cfg.flush_every, dashboard_flush_atom::value);
  }
}

bool service_level(const monitor_state& st) {
  return st.config.kind == "service_level";
}

// service_level: counts from the start of today (in the zone of the manager
// who added the monitor) and wakes at its end.
dashboard::monitor_table::change start_day(self_ptr self) {
  auto& st = self->state;
  reports::schedule_spec today;
  today.period = "today";
  auto t = now(st);
  auto range = reports::range_of(today, st.time_zone, t);
  if (!range)
    range = reports::range_of(today, "UTC", t);
  if (!range)
    return {};
  st.day_end_ms = range->to_ms;
  self->delayed_send(
    self, std::chrono::milliseconds(std::max<int64_t>(range->to_ms - t, 0)),
    dashboard_day_atom::value, range->to_ms);
  return st.table->set_day(range->from_ms);
}

// service_level: today's requests stored before the feed began.
void read_history(self_ptr self) {
  auto& st = self->state;
  auto picture = st.pictures;
  self
    ->request(st.desk, std::chrono::seconds(60), desk_dash_history_atom::value,
              st.cfg.id, st.table->day_start())
    .then(
      [self, picture](std::vector<dashboard_request>& requests) {
        auto& st = self->state;
        if (picture != st.pictures || !st.table || st.stopped != nullptr)
          return;
        note(self, st.table->add_history(requests));
      },
      [self, picture](caf::error&) {
        // Storage unreadable now: the next whole picture reads it again.
        if (picture == self->state.pictures)
          self->delayed_send(self, std::chrono::seconds(5),
                             dashboard_retry_atom::value);
      });
}

void on_feed(self_ptr self, const dashboard_feed& feed) {
  auto& st = self->state;
  if (feed.removed)
    return stop(self, "removed");
  // Only its own configuration says how it runs (a feed for another
  // monitor, or without one, must not restart a stopped monitor).
  if (feed.config.id != st.cfg.id)
    return;
  bool restarted = st.loaded && feed.config.started_ms != st.config.started_ms;
  if (st.stopped != nullptr) {
    if (!restarted)
      return;
    st.stopped = nullptr; // running again: the quit to come is void
    ++st.stops;
  }
  st.config = feed.config;
  if (!st.table)
    st.table.emplace(st.config.kind);
  dashboard::monitor_table::change day;
  if (service_level(st)) {
    if (feed.full) {
      st.time_zone = feed.time_zone;
      day = start_day(self);
    }
    note(self, st.table->set_target(int64_t{st.config.target_s} * 1000));
  }
  auto change = st.table->apply(feed);
  if (!st.loaded || restarted)
    schedule_stop(self);
  // A restart is told to every viewer as a whole table (`running` again),
  // also to those whose watch was answered while it was still stopped.
  if (feed.full || !st.loaded || restarted) {
    st.loaded = true;
    st.pending = {};
    for (auto& v : st.viewers)
      caf::anon_send(v.conn, desk_push_atom::value, state_text(st, v));
    auto waiting = std::move(st.waiting);
    st.waiting.clear();
    for (auto& w : waiting)
      watch(self, w.conn, w.login, w.rp);
    if (service_level(st)) {
      ++st.pictures;
      read_history(self);
    }
    return;
  }
  note(self, day);
  note(self, change);
}

void subscribe(self_ptr self) {
  auto& st = self->state;
  auto retry = [self] {
    self->delayed_send(self, std::chrono::seconds(1),
                       dashboard_retry_atom::value);
  };
  self
    ->request(st.cfg.directory, ask_timeout, cluster::lookup_atom::value,
              "desk/" + st.cfg.account)
    .then(
      [self, retry](caf::actor& desk) {
        self
          ->request(desk, ask_timeout, desk_dash_feed_atom::value,
                    self->state.cfg.id, caf::actor_cast<caf::actor>(self))
          .then(
            [self, desk](dashboard_feed& feed) {
              auto& st = self->state;
              if (st.desk != desk) {
                st.desk = desk;
                self->monitor(desk);
              }
              feed.full = true;
              on_feed(self, feed);
            },
            [self, retry](caf::error& err) {
              if (is(err, errc::not_found))
                return stop(self, "removed");
              retry();
            });
      },
      [retry](caf::error&) { retry(); });
}

// Checks who asks to watch, then answers the whole table.
void watch(self_ptr self, const caf::actor& conn, const std::string& login,
           caf::typed_response_promise<std::string> rp) {
  auto& st = self->state;
  if (!conn || login.empty() || login.size() > 256 || !st.cfg.auth) {
    rp.deliver(refused());
    return;
  }
  auto drop = [self, conn] {
    auto& vs = self->state.viewers;
    vs.erase(std::remove_if(vs.begin(), vs.end(),
                            [&](auto& v) { return v.conn == conn; }),
             vs.end());
  };
  self->request(st.cfg.auth, ask_timeout, authn_atom::value, login)
    .then(
      [self, conn, rp, drop](std::string& account, uint64_t user, std::string&,
                             bool) mutable {
        auto& st = self->state;
        if (account != st.cfg.account || user == 0 || !st.desk || removed(st)) {
          drop();
          rp.deliver(refused());
          return;
        }
        self->request(st.desk, ask_timeout, desk_dash_scope_atom::value, user)
          .then(
            [self, conn, user, rp, drop](dashboard_scope& scope) mutable {
              auto& st = self->state;
              if (removed(st)) {
                drop();
                rp.deliver(refused());
                return;
              }
              // Who watches which session: company managers only.
              if (st.config.kind == "managers" && !scope.all) {
                drop();
                rp.deliver(refused());
                return;
              }
              auto v = std::find_if(st.viewers.begin(), st.viewers.end(),
                                    [&](auto& x) { return x.conn == conn; });
              if (v == st.viewers.end()) {
                self->monitor(conn);
                st.viewers.push_back({conn, user, {}, {}});
                v = std::prev(st.viewers.end());
              }
              v->user = user;
              v->scope = std::move(scope);
              rp.deliver(state_text(st, *v));
            },
            [rp, drop](caf::error&) mutable {
              drop();
              rp.deliver(refused());
            });
      },
      [rp](caf::error&) mutable {
        rp.deliver(make_error(errc::unavailable, "try again"));
      });
}

} // namespace

caf::behavior monitor_actor(caf::stateful_actor<monitor_state>* self,
                            monitor_config cfg) {
  self->state.cfg = std::move(cfg);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    if (st.desk && msg.source == st.desk.address()) {
      st.desk = {};
      self->delayed_send(self, std::chrono::seconds(1),
                         dashboard_retry_atom::value);
      return;
    }
    auto& vs = st.viewers;
    vs.erase(
      std::remove_if(vs.begin(), vs.end(),
                     [&](auto& v) { return v.conn.address() == msg.source; }),
      vs.end());
  });
  subscribe(self);
  return {
    [self](dashboard_feed_atom, const dashboard_feed& feed) {
      on_feed(self, feed);
    },
    [self](dashboard_watch_atom, const caf::actor& conn,
           const std::string& login) -> caf::result<std::string> {
      auto& st = self->state;
      if (removed(st))
        return refused();
      if (!st.loaded && st.waiting.size() >= max_waiting)
        return make_error(errc::unavailable, "try again");
      auto rp = self->make_response_promise<std::string>();
      if (st.loaded)
        watch(self, conn, login, rp);
      else
        st.waiting.push_back({conn, login, rp});
      return rp;
    },
    [self](dashboard_unwatch_atom, const caf::actor& conn) {
      auto& vs = self->state.viewers;
      vs.erase(std::remove_if(vs.begin(), vs.end(),
                              [&](auto& v) { return v.conn == conn; }),
               vs.end());
    },
    [self](dashboard_flush_atom) { flush(self); },
    [self](dashboard_quit_atom, uint64_t stop) {
      if (self->state.stopped != nullptr && stop == self->state.stops)
        self->quit();
    },
    [self](dashboard_stop_atom, int64_t started) {
      auto& st = self->state;
      if (started == st.config.started_ms && now(st) >= stops_at(st))
        stop(self, "timeout");
    },
    [self](dashboard_retry_atom) {
      auto& st = self->state;
      if (!st.desk)
        subscribe(self);
      else if (service_level(st) && st.loaded && st.stopped == nullptr)
        read_history(self);
    },
    [self](dashboard_day_atom, int64_t end) {
      auto& st = self->state;
      if (end == st.day_end_ms && st.table && service_level(st))
        note(self, start_day(self));
    },
  };
}

} // namespace openassist::actors
