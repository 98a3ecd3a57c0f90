// What the desk tells dashboard monitors (docs/dashboards.md), and a
// manager's "force offline".

#include <algorithm>

#include "actors/intake/desk_internal.hpp"

namespace openassist::actors::desk_detail {

namespace {

const dashboard_monitor* monitor_config(const desk_state& st, uint64_t id) {
  auto& monitors = st.m.org().monitors;
  auto i = monitors.find(id);
  return i == monitors.end() ? nullptr : &i->second;
}

dashboard_technician technician_row(const desk_state& st, uint64_t id) {
  auto& org = st.m.org();
  dashboard_technician t;
  t.id = id;
  t.name = st.m.technician_name(id);
  if (auto u = org.users.find(id); u != org.users.end()) {
    t.team_id = u->second.team_id;
    if (auto team = org.teams.find(t.team_id); team != org.teams.end())
      t.team_name = team->second.name;
  }
  t.status = st.m.effective_status(id);
  if (auto s = st.status_since.find(id); s != st.status_since.end())
    t.since_ms = s->second.second;
  t.active = st.m.load(id);
  t.max = st.m.max_sessions(id);
  return t;
}

// `facts`: with what the service level counts (service level monitors).
dashboard_request request_row(const desk_state& st, const desk::request& r,
                              bool facts) {
  auto& org = st.m.org();
  dashboard_request d;
  d.id = r.id;
  d.portal_id = r.portal_id;
  if (auto* p = st.m.portal_by_id(r.portal_id))
    d.portal_name = p->name;
  d.customer_name = r.customer.value("name", "");
  d.status = desk::is_open(r.st) ? desk::to_string(r.st) : "gone";
  d.created_ms = r.created_ms;
  d.updated_ms = r.updated_ms;
  d.technician_id = r.technician_id;
  if (r.technician_id != 0) {
    d.technician_name = st.m.technician_name(r.technician_id);
    if (auto u = org.users.find(r.technician_id); u != org.users.end())
      d.technician_team_id = u->second.team_id;
  }
  d.team_id = r.team_id;
  auto teams = st.m.portal_teams(r.portal_id);
  d.portal_team_ids.assign(teams.begin(), teams.end());
  // From the document it is stored as: the reports' one definition.
  if (facts)
    if (auto f = reports::facts_of(desk::model::to_storage(r)))
      d.facts = reports::level_facts_of(*f);
  return d;
}

bool any_service_level(const desk_state& st) {
  return std::any_of(st.dashboards.begin(), st.dashboards.end(), [&](auto& d) {
    auto* config = monitor_config(st, d.second);
    return config != nullptr && config->kind == "service_level";
  });
}

std::vector<dashboard_watcher> all_watchers(const desk_state& st) {
  auto& org = st.m.org();
  std::vector<dashboard_watcher> out;
  for (auto& [key, w] : st.watching) {
    dashboard_watcher x;
    x.request_id = key.first;
    x.manager_id = key.second;
    if (auto u = org.users.find(x.manager_id); u != org.users.end())
      x.manager_name = u->second.first_name +
                       (u->second.last_name.empty() ? "" : " ") +
                       u->second.last_name;
    if (auto* r = st.m.find(x.request_id)) {
      x.customer_name = r->customer.value("name", "");
      x.technician_name = st.m.technician_name(r->technician_id);
    }
    x.since_ms = w.second;
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<dashboard_technician> all_technicians(const desk_state& st) {
  std::vector<dashboard_technician> out;
  for (auto& [uid, u] : st.m.org().users)
    if (!u.deleted && u.r == role::technician)
      out.push_back(technician_row(st, uid));
  return out;
}

} // namespace

void note_statuses(desk_state& st) {
  auto t = now(st);
  for (auto& [uid, u] : st.m.org().users) {
    if (u.deleted || u.r != role::technician)
      continue;
    auto status = st.m.effective_status(uid);
    auto [i, fresh] = st.status_since.try_emplace(uid, status, t);
    if (!fresh && i->second.first != status)
      i->second = {status, t};
  }
}

caf::result<dashboard_feed> dashboard_subscribe(self_ptr self, uint64_t id,
                                                const caf::actor& monitor) {
  auto& st = self->state;
  auto* config = monitor_config(st, id);
  auto key = "monitor:" + std::to_string(id);
  if (config == nullptr && wait_for_org(st, key))
    return after_org_fetch<caf::result<dashboard_feed>>(
      self, key, desk_dash_feed_atom::value, id, monitor);
  if (config == nullptr || !monitor)
    return make_error(errc::not_found, "no such monitor");
  auto known = std::find_if(st.dashboards.begin(), st.dashboards.end(),
                            [&](auto& d) { return d.first == monitor; });
  if (known == st.dashboards.end()) {
    self->monitor(monitor);
    st.dashboards.emplace_back(monitor, id);
  }
  dashboard_feed feed;
  feed.full = true;
  feed.whole_roster = true;
  feed.config = *config;
  feed.now_ms = now(st);
  if (auto u = st.m.org().users.find(config->created_by);
      u != st.m.org().users.end())
    feed.time_zone = u->second.time_zone;
  feed.technicians = all_technicians(st);
  bool facts = config->kind == "service_level";
  for (auto& [rid, r] : st.m.open_requests())
    feed.requests.push_back(request_row(st, r, facts));
  feed.watchers_changed = true;
  feed.watchers = all_watchers(st);
  return feed;
}

caf::result<std::vector<dashboard_request>>
dashboard_history(self_ptr self, uint64_t id, int64_t from_ms) {
  auto& st = self->state;
  if (monitor_config(st, id) == nullptr)
    return make_error(errc::not_found, "no such monitor");
  history_query q;
  q.env = st.cfg.env;
  q.account = st.cfg.account;
  q.newest = st.m.next_request_id() - 1;
  q.from_ms = static_cast<uint64_t>(std::max<int64_t>(from_ms, 1));
  auto reader = self->spawn(level_reader, std::move(q));
  auto rp = self->make_response_promise<std::vector<dashboard_request>>();
  self->request(reader, std::chrono::seconds(60), desk_dash_history_atom::value)
    .then(
      [self, rp](bool ok, std::vector<dashboard_request>& rows) mutable {
        if (!ok) {
          rp.deliver(make_error(errc::unavailable, "cannot read requests now"));
          return;
        }
        auto& st = self->state;
        for (auto& r : rows) {
          if (auto* p = st.m.portal_by_id(r.portal_id))
            r.portal_name = p->name;
          auto teams = st.m.portal_teams(r.portal_id);
          r.portal_team_ids.assign(teams.begin(), teams.end());
        }
        rp.deliver(std::move(rows));
      },
      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

void watching(self_ptr self, uint64_t request, uint64_t manager, bool on) {
  auto& st = self->state;
  auto key = std::make_pair(request, manager);
  auto i = st.watching.find(key);
  if (on) {
    if (i != st.watching.end()) {
      ++i->second.first;
      return;
    }
    st.watching.emplace(key, std::make_pair(1, now(st)));
  } else {
    if (i == st.watching.end())
      return;
    if (--i->second.first > 0)
      return;
    st.watching.erase(i);
  }
  if (st.dashboards.empty())
    return;
  dashboard_feed feed;
  feed.now_ms = now(st);
  feed.watchers_changed = true;
  feed.watchers = all_watchers(st);
  for (auto& [monitor, id] : st.dashboards) {
    // A deleted monitor was told so (dashboards_org_changed) and is going.
    auto* config = monitor_config(st, id);
    if (config == nullptr)
      continue;
    feed.config = *config;
    caf::anon_send(monitor, dashboard_feed_atom::value, feed);
  }
}

caf::result<dashboard_scope> dashboard_scope_of(self_ptr self, uint64_t user) {
  auto& org = self->state.m.org();
  auto u = org.users.find(user);
  if (u == org.users.end() || u->second.deleted ||
      u->second.r == role::technician)
    return make_error(errc::forbidden, "managers only");
  dashboard_scope scope;
  scope.all = u->second.r != role::team_manager;
  if (!scope.all) {
    auto teams = managed_teams(org, u->second);
    scope.teams.assign(teams.begin(), teams.end());
  }
  return scope;
}

result force_offline(self_ptr self, uint64_t manager, uint64_t technician) {
  auto& st = self->state;
  auto& org = st.m.org();
  auto u = org.users.find(manager);
  if (u == org.users.end() || u->second.deleted ||
      u->second.r == role::technician)
    return answer(error_reply(errc::forbidden, "forbidden", "managers only"));
  if (!st.m.is_technician(technician) ||
      (u->second.r == role::team_manager &&
       !in_teams(org, managed_teams(org, u->second), technician)))
    return answer(
      error_reply(errc::not_found, "not_found", "no such technician"));
  desk::effects fx;
  console_command offline;
  offline.op = console_op::status_set;
  offline.status = "offline";
  auto res = st.m.command(technician, offline, now(st), fx);
  if (auto* f = std::get_if<desk::failure>(&res))
    return answer(failure_reply(*f));
  // The console says why its status changed.
  fx.to_console.emplace_back(
    technician, json{{"type", "presence.forced"}, {"status", "offline"}});
  auto rp = self->make_response_promise<std::string>();
  commit_reply(self, std::move(fx), rp,
               dump_text(json{{"id", technician}, {"status", "offline"}}));
  return rp;
}

void feed_dashboards(desk_state& st, const desk::effects& fx) {
  if (st.dashboards.empty())
    return;
  bool technicians = fx.roster || !fx.me.empty();
  if (!technicians && fx.requests.empty())
    return;
  dashboard_feed feed;
  feed.now_ms = now(st);
  if (technicians) { // push() has noted the statuses (status_since)
    feed.whole_roster = fx.roster;
    if (fx.roster)
      feed.technicians = all_technicians(st);
    else
      for (auto tech : fx.me)
        feed.technicians.push_back(technician_row(st, tech));
  }
  bool facts = any_service_level(st);
  for (auto id : fx.requests)
    if (auto* r = st.m.find(id))
      feed.requests.push_back(request_row(st, *r, facts));
  for (auto& [monitor, id] : st.dashboards) {
    // A deleted monitor was told so (dashboards_org_changed) and is going.
    auto* config = monitor_config(st, id);
    if (config == nullptr)
      continue;
    feed.config = *config;
    caf::anon_send(monitor, dashboard_feed_atom::value, feed);
  }
}

void dashboards_org_changed(self_ptr self) {
  auto& st = self->state;
  for (auto& [monitor, id] : st.dashboards) {
    dashboard_feed feed;
    feed.now_ms = now(st);
    if (auto* config = monitor_config(st, id))
      feed.config = *config;
    else
      feed.removed = true;
    caf::anon_send(monitor, dashboard_feed_atom::value, feed);
  }
}

bool dashboard_down(desk_state& st, const caf::actor_addr& who) {
  auto i = std::find_if(st.dashboards.begin(), st.dashboards.end(),
                        [&](auto& d) { return d.first.address() == who; });
  if (i == st.dashboards.end())
    return false;
  st.dashboards.erase(i);
  return true;
}

} // namespace openassist::actors::desk_detail
