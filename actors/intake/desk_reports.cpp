// The managers' history: the session list and the reports (docs/reports.md).
// Both read stored requests in a short-lived reader actor of their own, never
// in the live desk, at most four at a time per account; the desk decides who
// may read what and narrows the reader's query to it.

#include <algorithm>

#include "actors/intake/desk_history.hpp"
#include "actors/intake/desk_internal.hpp"
#include "actors/intake/presence_log.hpp"
#include "actors/reports/monthly_reader.hpp"
#include "actors/reports/rollup_closer.hpp"

namespace openassist::actors::desk_detail {

namespace {

constexpr int max_readers = 4;

// The list from stored documents: the live state where the desk holds the
// request.
std::string list_view(desk_state& st, const std::string& docs_text) {
  auto docs = json::parse(docs_text, nullptr, false);
  json out = json::array();
  if (docs.is_array())
    for (auto& doc : docs) {
      auto r = desk::model::from_storage(doc);
      if (!r)
        continue;
      auto* live = st.m.find(r->id);
      auto view = st.m.request_view(live != nullptr ? *live : *r);
      view["resolution"] = r->resolution;
      view["rating"] = r->rating;
      out.push_back(std::move(view));
    }
  return dump_text(json{{"requests", out}});
}

// A user of this account who may read its history: a manager (company,
// API or team manager), or a technician allowed their own reports; else
// nullptr.
const org_user* reader_of(desk_state& st, uint64_t user) {
  auto& org = st.m.org();
  auto u = org.users.find(user);
  if (u == org.users.end() || !may_run_reports(org, u->second))
    return nullptr;
  return &u->second;
}

// What `who` may read, narrowed by `filter`: company and API managers
// everything, team managers the technicians of their teams and sub-teams,
// a technician their own sessions; a team or a technician asked for
// narrows that further, never widens it.
history_query scoped_query(desk_state& st, const org_user& who,
                           const history_filter& filter) {
  auto& org = st.m.org();
  history_query q;
  q.env = st.cfg.env;
  q.account = st.cfg.account;
  q.newest = st.m.next_request_id() - 1;
  q.all = who.r == role::company_manager || who.r == role::api_manager;
  if (who.r == role::team_manager) {
    auto teams = managed_teams(org, who);
    for (auto& [uid, x] : org.users)
      if (teams.count(x.team_id))
        q.technicians.insert(uid);
  } else if (who.r == role::technician) {
    q.technicians.insert(who.id);
  }
  auto narrow = [&q](const std::set<uint64_t>& to) {
    if (q.all)
      q.technicians = to;
    else
      std::erase_if(q.technicians, [&to](uint64_t t) { return !to.count(t); });
    q.all = false;
  };
  if (filter.team != 0) {
    auto team = with_sub_teams(org, {filter.team});
    std::set<uint64_t> members;
    for (auto& [uid, x] : org.users)
      if (team.count(x.team_id))
        members.insert(uid);
    narrow(members);
  }
  if (filter.technician != 0)
    narrow({filter.technician});
  q.portal = filter.portal;
  q.from_ms = filter.from_ms;
  q.to_ms = filter.to_ms;
  return q;
}

reply unreadable() {
  return error_reply(errc::storage_unavailable, "storage_unavailable",
                     "cannot read requests now");
}

// Runs `reader`, which answers `msg` with (ok, text), and delivers
// `render(text)` or 503; counts the account's readers.
template <class Render>
result with_reader(self_ptr self, caf::actor reader, caf::message msg,
                   Render render) {
  auto& st = self->state;
  ++st.list_readers;
  auto rp = self->make_response_promise<std::string>();
  self->request(reader, std::chrono::seconds(60), std::move(msg))
    .then(
      [self, rp, render](bool ok, std::string& text) mutable {
        --self->state.list_readers;
        deliver(rp, ok ? render(text) : unreadable());
      },
      [self, rp](caf::error&) mutable {
        --self->state.list_readers;
        deliver(rp, unreadable());
      });
  return rp;
}

// The technician activity report (presence_log.hpp): the technicians `who`
// may read, narrowed by the filter (a portal: the technicians who serve it).
result activity_report(self_ptr self, const org_user& who,
                       const history_filter& filter, bool csv) {
  auto& st = self->state;
  auto q = scoped_query(st, who, filter);
  const portal* p =
    filter.portal != 0 ? st.m.portal_by_id(filter.portal) : nullptr;
  activity_query a;
  a.env = st.cfg.env;
  a.account = st.cfg.account;
  a.csv = csv;
  a.report.from_ms = static_cast<int64_t>(filter.from_ms);
  a.report.to_ms = static_cast<int64_t>(filter.to_ms);
  a.report.now_ms = now(st);
  a.report.time_zone = who.time_zone;
  for (auto& [uid, x] : st.m.org().users)
    if (x.r == role::technician && !x.deleted &&
        (q.all || q.technicians.count(uid)) &&
        (filter.portal == 0 || (p != nullptr && st.m.serves(*p, uid))))
      a.report.technicians[uid] = st.m.technician_name(uid);
  auto reader = self->spawn(activity_reader, std::move(a));
  return with_reader(self, reader, caf::make_message(desk_report_atom::value),
                     [](std::string& text) { return reply(text); });
}

bool readers_busy(desk_state& st) {
  return st.list_readers >= max_readers;
}

reply busy() {
  return error_reply(errc::busy, "busy",
                     "too many listings at once; try again");
}

} // namespace

result list_history(self_ptr self, uint64_t user, uint64_t limit,
                    uint64_t before, const history_filter& filter) {
  auto& st = self->state;
  auto* u = reader_of(st, user);
  if (u == nullptr)
    return answer(
      error_reply(errc::forbidden, "forbidden",
                  "managers, and technicians allowed own reports, only"));
  auto q = scoped_query(st, *u, filter);
  q.limit = std::clamp<uint64_t>(limit, 1, 200);
  if (before != 0)
    q.newest = std::min(q.newest, before - 1);
  if (readers_busy(st))
    return answer(busy());
  auto reader = self->spawn(history_reader, std::move(q));
  return with_reader(
    self, reader, caf::make_message(desk_list_atom::value),
    [self](std::string& docs) { return reply(list_view(self->state, docs)); });
}

result run_monthly(self_ptr self, uint64_t user, const monthly_options& ask,
                   const history_filter& filter) {
  auto& st = self->state;
  auto* u = reader_of(st, user);
  if (u == nullptr)
    return answer(
      error_reply(errc::forbidden, "forbidden",
                  "managers, and technicians allowed own reports, only"));
  if (readers_busy(st))
    return answer(busy());
  auto env = st.cfg.env;
  auto account = st.cfg.account;
  auto zone = st.m.org().time_zone;
  if (ask.from_month.empty()) {
    auto reader = self->spawn(
      [env, account, zone](caf::event_based_actor* r) -> caf::behavior {
        return {[r, env, account,
                 zone](desk_report_atom) -> std::tuple<bool, std::string> {
          r->quit();
          auto months = reports::rollup_months(*env, account);
          if (!months)
            return {false, std::string{}};
          return {true,
                  dump_text(json{{"months", *months}, {"time_zone", zone}})};
        }};
      });
    return with_reader(self, reader, caf::make_message(desk_report_atom::value),
                       [](std::string& text) { return reply(text); });
  }
  auto kind = reports::report_kind_from(ask.kind);
  if (!kind || (*kind != reports::report_kind::snapshot &&
                *kind != reports::report_kind::technicians &&
                *kind != reports::report_kind::service_level))
    return answer(error_reply(errc::bad_field, "bad_field",
                              "kind: snapshot, technicians or service_level",
                              "kind"));
  auto months = reports::months_between(ask.from_month, ask.to_month);
  if (months.empty())
    return answer(error_reply(errc::bad_field, "bad_field",
                              "from and to: months written YYYY-MM, from first",
                              "from"));
  if (months.size() > static_cast<size_t>(reports::max_report_months))
    return answer(error_reply(errc::bad_field, "bad_field",
                              "a monthly report covers at most 12 months",
                              "from"));
  if (!reports::bucket_target(ask.target_ms))
    return answer(error_reply(
      errc::bad_field, "bad_field",
      "target_s: 15, 30, 60, 120, 300 or 600 seconds for monthly reports",
      "target_s"));
  reports::monthly_request r;
  r.kind = *kind;
  r.from_month = ask.from_month;
  r.to_month = ask.to_month;
  r.time_zone = zone;
  r.now_ms = now(st);
  r.target_ms = ask.target_ms;
  for (auto& [uid, x] : st.m.org().users)
    if (x.r == role::technician)
      r.technicians[uid] = st.m.technician_name(uid);
  for (auto& [pid, p] : st.m.org().portals)
    r.portals[pid] = p.name;
  auto q = scoped_query(st, *u, filter);
  r.all = q.all;
  r.scope = q.technicians;
  r.portal = q.portal;
  bool csv = ask.csv;
  auto reader = self->spawn(
    [env, account, r, csv](caf::event_based_actor* rd) -> caf::behavior {
      return {[rd, env, account, r,
               csv](desk_report_atom) -> std::tuple<bool, std::string> {
        rd->quit();
        auto out = reports::read_monthly(*env, account, r);
        if (!out)
          return {false, std::string{}};
        return {true, csv ? reports::to_csv(*out) : dump_text(*out)};
      }};
    });
  return with_reader(self, reader, caf::make_message(desk_report_atom::value),
                     [](std::string& text) { return reply(text); });
}

void maybe_roll_up(self_ptr self) {
  auto& st = self->state;
  auto t = now(st);
  if (st.rollup_closer || st.m.org_revision() == 0 ||
      (st.last_rollup_ms != 0 &&
       t - st.last_rollup_ms <
         static_cast<int64_t>(st.cfg.rollup_interval.count())))
    return;
  st.last_rollup_ms = t;
  rollup_closer_config c;
  c.env = st.cfg.env;
  c.persistence = st.cfg.persistence;
  c.account = st.cfg.account;
  c.time_zone = st.m.org().time_zone;
  c.now_ms = t;
  auto closer = self->spawn(rollup_closer, std::move(c));
  self->monitor(closer);
  st.rollup_closer = closer.address();
}

result run_report(self_ptr self, uint64_t user, const std::string& kind,
                  const history_filter& filter, const report_options& options) {
  auto& st = self->state;
  auto* u = reader_of(st, user);
  if (u == nullptr)
    return answer(
      error_reply(errc::forbidden, "forbidden",
                  "managers, and technicians allowed own reports, only"));
  auto which = reports::report_kind_from(kind);
  if (!which)
    return answer(error_reply(errc::not_found, "not_found", "no such report"));
  auto t = now(st);
  // How far back reports read detail: the account's setting.
  int64_t report_days = st.m.org().report_days;
  auto oldest = t - report_days * 24 * 3600 * 1000;
  if (filter.from_ms == 0 || filter.to_ms == 0 ||
      filter.from_ms >= filter.to_ms)
    return answer(error_reply(errc::bad_field, "bad_field",
                              "from and to: a range, from before to", "from"));
  if (static_cast<int64_t>(filter.from_ms) < oldest)
    return answer(error_reply(errc::bad_field, "out_of_retention",
                              "session data is kept only " +
                                std::to_string(report_days) + " days",
                              "from"));
  if (options.target_ms < 1000 || options.target_ms > reports::max_target_ms)
    return answer(error_reply(errc::bad_field, "bad_field",
                              "target_s: from 1 to 3600 seconds", "target_s"));
  if (readers_busy(st))
    return answer(busy());
  if (*which == reports::report_kind::activity)
    return activity_report(self, *u, filter, options.csv);
  reports::report_request r;
  r.kind = *which;
  r.target_ms = options.target_ms;
  r.from_ms = static_cast<int64_t>(filter.from_ms);
  r.to_ms = static_cast<int64_t>(filter.to_ms);
  r.now_ms = t;
  for (auto& [uid, x] : st.m.org().users)
    if (x.r == role::technician)
      r.technicians[uid] = st.m.technician_name(uid);
  for (auto& [pid, p] : st.m.org().portals)
    r.portals[pid] = p.name;
  auto q = scoped_query(st, *u, filter);
  auto reader =
    self->spawn(report_reader, std::move(q), std::move(r), options.csv);
  return with_reader(self, reader, caf::make_message(desk_report_atom::value),
                     [](std::string& text) { return reply(text); });
}

} // namespace openassist::actors::desk_detail
