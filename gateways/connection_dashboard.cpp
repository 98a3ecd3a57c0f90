// A manager's dashboards (docs/dashboards.md): dashboard.watch and
// dashboard.unwatch, and the right to watch checked again with every login
// check; dashboards.follow, the list of monitors as it changes.

#include <string>

#include <caf/all.hpp>

#include "actors/dashboard/monitor.hpp"
#include "actors/intake/desk.hpp"
#include "gateways/connection_internal.hpp"
#include "gateways/error_table.hpp"

namespace openassist::gateways::connection_detail {

namespace {

/// At most this many monitors per connection.
constexpr size_t max_watched = 50;

std::string monitor_key(const connection_state& st, const std::string& id) {
  return "monitor/" + st.account + "/" + id;
}

// Asks the monitor to take this connection as a viewer; `done(true)` with
// its whole table sent to the client, `done(false)` refused (also sent). A
// monitor that quits between the lookup and the ask (it found its
// configuration gone, or stopped) is looked up once more: the directory
// then starts a new one, which answers for the monitor as it is now.
void ask_monitor(self_ptr self, const std::string& monitor, json id,
                 std::function<void(bool)> done, bool again = true) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, desk_timeout, cluster::lookup_atom::value,
              monitor_key(st, monitor))
    .then(
      [self, monitor, id, done, again](caf::actor& m) {
        self
          ->request(m, desk_timeout, actors::dashboard_watch_atom::value,
                    caf::actor_cast<caf::actor>(self),
                    self->state.cfg.session_token)
          .then(
            [self, id, done](std::string& text) {
              auto msg = json::parse(text, nullptr, false);
              if (!msg.is_object())
                return done(false);
              if (!id.is_null())
                msg["id"] = id;
              send(self->state, msg);
              done(true);
            },
            [self, monitor, id, done, again](caf::error& err) {
              if (again && err == caf::sec::request_receiver_down)
                return ask_monitor(self, monitor, id, done, false);
              auto a = describe(err);
              send_error(self->state, a.code, a.message, id);
              done(false);
            });
      },
      [self, id, done](caf::error&) {
        send_error(self->state, "not_found", "no such monitor", id);
        done(false);
      });
}

} // namespace

void dashboard_watch(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto monitor = text_of(msg, "monitor_id");
  if (!digits(monitor))
    return send_error(st, "bad_field", "monitor_id: the monitor's id", id);
  if (st.dashboards.size() >= max_watched && !st.dashboards.count(monitor))
    return send_error(st, "limit", "a connection watches at most 50 monitors",
                      id);
  with_observer_login(
    self, id, [self, monitor, id](const std::string& account, uint64_t user) {
      with_desk(self, account, id,
                [self, account, user, monitor, id](caf::actor desk) {
                  auto& st = self->state;
                  st.busy = false;
                  st.role = connection_role::observer;
                  st.account = account;
                  st.user = user;
                  watch_desk(self, desk);
                  ask_monitor(self, monitor, id, [self, monitor](bool ok) {
                    if (ok)
                      self->state.dashboards.insert(monitor);
                  });
                });
    });
}

void dashboards_follow(self_ptr self, const json& id) {
  with_observer_login(
    self, id, [self, id](const std::string& account, uint64_t user) {
      with_desk(self, account, id, [self, account, user, id](caf::actor desk) {
        auto& st = self->state;
        st.busy = false;
        st.role = connection_role::observer;
        st.account = account;
        st.user = user;
        watch_desk(self, desk);
        self
          ->request(desk, desk_timeout, actors::desk_monitor_list_atom::value,
                    user, caf::actor_cast<caf::actor>(self))
          .then(
            [self, id](std::string& text) {
              auto msg = json::parse(text, nullptr, false);
              if (!msg.is_object())
                return send_error(self->state, "unavailable", "try again", id);
              if (!id.is_null())
                msg["id"] = id;
              send(self->state, msg);
            },
            [self, id](caf::error& err) {
              auto a = describe(err);
              send_error(self->state, a.code, a.message, id);
            });
      });
    });
}

void dashboard_unwatch(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  auto monitor = text_of(msg, "monitor_id");
  if (!digits(monitor))
    return send_error(st, "bad_field", "monitor_id: the monitor's id", id);
  if (st.dashboards.erase(monitor) == 0)
    return;
  self
    ->request(st.cfg.directory, desk_timeout, cluster::lookup_atom::value,
              monitor_key(st, monitor))
    .then(
      [self](caf::actor& m) {
        caf::anon_send(m, actors::dashboard_unwatch_atom::value,
                       caf::actor_cast<caf::actor>(self));
      },
      [](caf::error&) {});
}

void recheck_dashboards(self_ptr self) {
  auto& st = self->state;
  for (auto monitor :
       std::set<std::string>(st.dashboards.begin(), st.dashboards.end()))
    ask_monitor(self, monitor, nullptr, [self, monitor](bool ok) {
      if (ok)
        return;
      auto& st = self->state;
      st.dashboards.erase(monitor);
      send(st, {{"type", "dashboard.stopped"},
                {"monitor_id", monitor},
                {"reason", "forbidden"}});
    });
}

} // namespace openassist::gateways::connection_detail
