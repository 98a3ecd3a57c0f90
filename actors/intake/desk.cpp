#include "actors/intake/desk.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <sodium.h>

#include "actors/clock.hpp"
#include "actors/entity_store.hpp"
#include "actors/identity/credentials.hpp"
#include "actors/intake/customer_mail.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/intake/desk_internal.hpp"
#include "actors/json_fields.hpp"
#include "actors/org/account.hpp"
#include "actors/session/session.hpp"
#include "monitoring/logging.hpp"
#include "schema/codec.hpp"

namespace openassist::actors {

const char* desk_state::name = "desk";

std::string request_key(const std::string& account, uint64_t id) {
  std::string key = account;
  key.push_back('\0');
  for (int shift = 56; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((id >> shift) & 0xff));
  return key;
}

namespace {

using namespace desk_detail;

void forget(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  if (auto i = st.console_of.find(who); i != st.console_of.end()) {
    auto tech = i->second;
    st.console_of.erase(i);
    auto& v = st.consoles[tech];
    v.erase(
      std::remove_if(v.begin(), v.end(),
                     [&](const caf::actor& a) { return a.address() == who; }),
      v.end());
    if (v.empty())
      st.consoles.erase(tech);
    desk::effects fx;
    st.m.console_disconnected(tech, now(st), fx);
    commit(self, std::move(fx), [](bool) {});
  }
  if (auto i = st.customer_of.find(who); i != st.customer_of.end()) {
    auto& v = st.customers[i->second];
    v.erase(
      std::remove_if(v.begin(), v.end(),
                     [&](const caf::actor& a) { return a.address() == who; }),
      v.end());
    if (v.empty())
      st.customers.erase(i->second);
    st.customer_of.erase(i);
  }
}

// A customer's step on their own request (cancel, a choice, a rating):
// `step(request id, effects)` changes the model or says why not; the change
// is stored, then answered with the request's new state.
template <class Step>
result customer_step(self_ptr self, const std::string& id,
                     const std::string& token, Step step) {
  auto& st = self->state;
  auto* r = customer_request(st, id, token);
  if (r == nullptr)
    return answer(error_reply(errc::not_found, "not_found", "no such request"));
  auto rid = r->id;
  desk::effects fx;
  if (auto f = step(rid, fx))
    return answer(failure_reply(*f));
  auto view = dump_text(json{{"type", "request.state"},
                             {"request", st.m.customer_view(*st.m.find(rid))}});
  auto rp = self->make_response_promise<std::string>();
  commit_reply(self, std::move(fx), rp, std::move(view));
  return rp;
}

// Once a UTC day, and at the first tick: every technician's status into the
// presence log (presence_log.hpp).
void roll_call(desk_state& st, desk::effects& fx) {
  auto day = now(st) / (int64_t{24} * 3600 * 1000);
  if (day == st.roll_call_day || st.m.org_revision() == 0)
    return;
  st.roll_call_day = day;
  for (auto& [uid, u] : st.m.org().users)
    if (u.r == role::technician && !u.deleted)
      fx.roll_call.emplace_back(uid, st.m.effective_status(uid));
}

bool intake_allowed(desk_state& st, const std::string& address) {
  if (st.cfg.intake_per_address_per_min <= 0)
    return true;
  return st.intakes.try_hit(address_key(address), now(st));
}

} // namespace

caf::behavior desk_actor(caf::stateful_actor<desk_state>* self,
                         desk_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.mailbox = monitoring::mailbox_probe(st.cfg.metrics.mailbox);
  if (!st.cfg.now_ms)
    st.cfg.now_ms = wall_ms;
  st.m = desk::model{st.cfg.settings};
  // Intakes per address: at most 100,000 addresses, and a ceiling of 50,000
  // intakes a minute over all of them, so no flood resets an address.
  st.intakes = rate_limiter{
    {static_cast<size_t>(std::max(1, st.cfg.intake_per_address_per_min)), 60000,
     100000, 50000}};
  // Storage is read behind a fence: whatever an earlier incarnation left in
  // the writer's queue is decided (and its later batches refused) first.
  // Then the organisation: nothing is answered before both (await).
  st.fence.domain = desk_key(st);
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self](const storage::fence_receipt& r) {
        auto& st = self->state;
        st.fence.reset(r);
        if (!rehydrate(st)) {
          self->quit(storage::make_error(storage::storage_errc::corrupt_record,
                                         "desk " + st.cfg.account +
                                           " cannot be restored"));
          return;
        }
        follow_org(self, true);
      },
      [self](caf::error& err) {
        monitoring::component_logger("desk")->error(
          "[desk {}] storage does not answer a fence: {}",
          self->state.cfg.account, self->system().render(err));
        self->quit(err);
      });
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.source == self->state.rollup_closer) {
      self->state.rollup_closer = caf::actor_addr{};
      return;
    }
    if (!org_source_down(self, msg.source) &&
        !dashboard_down(self->state, msg.source) &&
        !monitor_list_down(self->state, msg.source))
      forget(self, msg.source);
  });
  self->delayed_send(self, st.cfg.tick_interval, desk_tick_atom::value);
  return {
    [self](desk_request_atom, uint64_t id) -> caf::result<session_news> {
      auto& st = self->state;
      auto* r = st.m.find(id);
      if (r == nullptr)
        return make_error(errc::not_found, "not an open or recent request");
      return session_info(st, *r);
    },
    [self](desk_list_atom, uint64_t user, uint64_t limit, uint64_t before,
           const history_filter& filter) -> result {
      return list_history(self, user, limit, before, filter);
    },
    [self](desk_report_atom, uint64_t user, const std::string& kind,
           const history_filter& filter,
           const report_options& options) -> result {
      return run_report(self, user, kind, filter, options);
    },
    [self](desk_monitor_list_atom, uint64_t user, const caf::actor& conn) {
      return follow_monitor_list(self, user, conn);
    },
    [self](desk_monthly_atom, uint64_t user, const monthly_options& ask,
           const history_filter& filter) -> result {
      return run_monthly(self, user, ask, filter);
    },
    [self](desk_monitor_atom, uint64_t user, const std::string& id) -> result {
      auto& st = self->state;
      auto& org = st.m.org();
      auto u = org.users.find(user);
      auto n = parse_id(id);
      if (u == org.users.end() || u->second.deleted ||
          u->second.r == role::technician)
        return error_reply(errc::forbidden, "forbidden", "managers only");
      auto* r = n ? st.m.find(*n) : nullptr;
      if (r == nullptr || !r->session)
        return error_reply(errc::not_found, "not_found", "no such session");
      if (u->second.r == role::team_manager) {
        if (!in_teams(org, managed_teams(org, u->second), r->technician_id))
          return error_reply(errc::not_found, "not_found",
                             "no such session of your teams");
      }
      return reply("{}");
    },
    [self](desk_can_read_atom, uint64_t user, const std::string& id) -> result {
      return may_read(self->state, user, id, false);
    },
    [self](desk_participant_atom, uint64_t user, const std::string& id)
      -> result { return may_read(self->state, user, id, true); },
    [self](desk_user_atom, uint64_t user) -> result {
      auto& users = self->state.m.org().users;
      auto u = users.find(user);
      if (u == users.end() || u->second.deleted)
        return error_reply(errc::not_found, "not_found", "no such user");
      return reply(dump_text(json{{"role", to_string(u->second.r)}}));
    },
    [self](desk_replay_atom, uint64_t user, const std::string& id) -> result {
      return may_replay(self->state, user, id);
    },
    [self](desk_keys_atom, uint64_t user, uint64_t portal) -> result {
      auto& st = self->state;
      auto& users = st.m.org().users;
      auto u = users.find(user);
      if (u == users.end() || u->second.deleted ||
          u->second.r != role::company_manager)
        return error_reply(errc::forbidden, "forbidden",
                           "company managers only");
      if (st.m.portal_by_id(portal) == nullptr)
        return error_reply(errc::not_found, "not_found", "no such portal");
      return reply("{}");
    },
    [self](desk_upload_atom, const std::string& id, const std::string& token,
           uint64_t user) -> result {
      auto& st = self->state;
      const desk::request* r = nullptr;
      if (user == 0) {
        r = customer_request(st, id, token);
        if (r == nullptr)
          return error_reply(errc::not_found, "not_found",
                             "no such request, or a wrong token");
      } else {
        auto n = parse_id(id);
        r = n ? st.m.find(*n) : nullptr;
        if (r == nullptr || !st.m.visible_to(*r, user))
          return error_reply(errc::not_found, "not_found",
                             "no such request for you");
        auto* c = r->colleague(user);
        if (r->technician_id != user && (c == nullptr || !c->full))
          return error_reply(errc::forbidden, "not_yours",
                             c ? "you watch this session (view only)"
                               : "another technician has this session");
      }
      if (r->st != desk::status::active)
        return error_reply(errc::bad_state, "chat_not_open",
                           "files can be sent during the session only");
      if (!st.m.feature_on(r->technician_id, r->portal_id,
                           feature::file_transfer))
        return error_reply(errc::forbidden, "feature_off",
                           "file transfer is not enabled for this session");
      auto max_bytes =
        static_cast<uint64_t>(st.m.org().file_limit_mb) * 1024 * 1024;
      return reply(dump_text(json{{"max_bytes", max_bytes},
                                  {"technician", user != 0},
                                  {"technician_id", user}}));
    },
    [self](org_changed_atom, uint64_t revision, const std::string& body) {
      apply_org(self, revision, body);
      serve_org_waiters(self);
    },
    [self](desk_tick_atom) {
      auto& st = self->state;
      desk::effects fx;
      st.m.tick(now(st), fx);
      roll_call(st, fx);
      commit(self, std::move(fx), [](bool) {});
      maybe_roll_up(self);
      // The account pushes the organisation's changes; the tick subscribes
      // again after a failed subscription, and fetches for names that wait
      // (at most once a second).
      if (!st.following_org && now(st) - st.last_org_fetch_ms >= 1000)
        follow_org(self, false);
      else if (!st.org_waiters.empty() &&
               now(st) - st.last_forced_fetch_ms >= 1000) {
        st.last_forced_fetch_ms = now(st);
        fetch_org(self, false);
      }
      self->delayed_send(self, st.cfg.tick_interval, desk_tick_atom::value);
    },
    [self](desk_portal_atom, const std::string& slug) -> result {
      auto& st = self->state;
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr && wait_for_org(st, "portal:" + slug))
        return after_org_fetch(self, "portal:" + slug, desk_portal_atom::value,
                               slug);
      if (p == nullptr)
        return answer(
          error_reply(errc::not_found, "not_found", "no such portal"));
      return answer(reply(dump_text(st.m.portal_page(*p, now(st)))));
    },
    [self](desk_status_atom, const std::string& slug) -> result {
      auto& st = self->state;
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr)
        return error_reply(errc::not_found, "not_found", "no such portal");
      return reply(dump_text(st.m.public_status(*p, now(st))));
    },
    [self](desk_intake_atom, const std::string& slug,
           const intake_form& form) -> result {
      auto& st = self->state;
      st.mailbox.sample(self);
      auto received = std::chrono::steady_clock::now();
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr && wait_for_org(st, "portal:" + slug))
        return after_org_fetch(self, "portal:" + slug, desk_intake_atom::value,
                               slug, form);
      if (p == nullptr)
        return answer(
          error_reply(errc::not_found, "not_found", "no such portal"));
      desk::intake in;
      for (auto& [k, v] : form.fields)
        in.fields[k] = v;
      for (auto& k : form.not_text)
        in.fields[k] = nullptr; // refused as "must be text" where it counts
      in.technician_id = form.technician_id;
      in.code = form.code;
      // The customer's language, for the confirmation mail.
      auto lang = form.lang;
      in.source = {form.source.ip, form.source.device, form.source.os,
                   form.source.browser};
      // A retry with the same Idempotency-Key: the first request again.
      auto& key = form.idempotency_key;
      auto fingerprint = form.fingerprint;
      if (auto prior = st.m.replay_intake(*p, key, fingerprint, now(st))) {
        if (auto* f = std::get_if<desk::failure>(&*prior))
          return answer(failure_reply(*f));
        auto& first = std::get<desk::intake_replay>(*prior);
        json out = st.m.customer_view(*st.m.find(first.request_id));
        out["request_id"] = std::to_string(first.request_id);
        out["token"] = first.token;
        return answer(reply(dump_text(out)));
      }
      if (!intake_allowed(st, in.source.ip)) {
        desk::failure f{
          errc::limited, "too_many_requests",
          "too many requests from your address; please wait a minute"};
        f.retry_after_s = 60;
        return answer(failure_reply(f));
      }
      auto token = random_token();
      in.token_digest = token_digest(token);
      in.idempotency_key = key;
      in.fingerprint = fingerprint;
      in.token = token;
      auto portal_id = p->id;
      desk::effects fx;
      auto res = st.m.create(*p, std::move(in), now(st), fx);
      if (auto* f = std::get_if<desk::failure>(&res)) {
        return answer(failure_reply(*f));
      }
      auto id = std::get<uint64_t>(res);
      auto* r = st.m.find(id);
      json out = st.m.customer_view(*r);
      out["request_id"] = std::to_string(id);
      out["token"] = token;
      // Where the portal asked for an e-mail: a link back to the request.
      if (auto* q = st.m.portal_by_id(portal_id))
        if (auto m = confirmation_mail(st.cfg.public_url, st.cfg.account, *q,
                                       id, r->customer.value("fields", json{}),
                                       token, lang))
          fx.mails.push_back(std::move(*m));
      bool alerted = !fx.alerts.empty();
      auto rp = self->make_response_promise<std::string>();
      auto* hist = st.cfg.metrics.intake_to_alert_seconds;
      commit(self, std::move(fx),
             [self, rp, out, alerted, received, hist, portal_id,
              key](bool stored) mutable {
               if (stored && !key.empty())
                 self->state.m.intake_stored(portal_id, key);
               if (!stored) {
                 rp.deliver(write_failure_reply(
                   self->state,
                   "your request could not be stored; please try again"));
                 return;
               }
               if (alerted)
                 monitoring::observe(
                   hist, std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - received)
                           .count());
               rp.deliver(dump_text(out));
             });
      return rp;
    },
    [self](desk_cancel_atom, const std::string& id,
           const std::string& token) -> result {
      self->state.mailbox.sample(self);
      return customer_step(self, id, token, [self](uint64_t rid, auto& fx) {
        return self->state.m.cancel(rid, now(self->state), fx);
      });
    },
    [self](desk_choice_atom, const std::string& id, const std::string& token,
           const customer_choice& input) -> result {
      return customer_step(self, id, token,
                           [self, &input](uint64_t rid, auto& fx) {
                             return self->state.m.customer_choice(
                               rid, input, now(self->state), fx);
                           });
    },
    [self](desk_rate_atom, const std::string& id, const std::string& token,
           const customer_rating& input) -> result {
      return customer_step(
        self, id, token, [self, &input](uint64_t rid, auto& fx) {
          return self->state.m.rate(rid, input, now(self->state), fx);
        });
    },
    [self](desk_attach_atom, const std::string& id, const std::string& token,
           const caf::actor& conn) -> result {
      auto& st = self->state;
      auto* r = customer_request(st, id, token);
      if (r == nullptr)
        return error_reply(errc::not_found, "not_found",
                           "no such request, or a wrong token");
      if (conn && !st.customer_of.count(conn.address())) {
        self->monitor(conn);
        st.customers[r->id].push_back(conn);
        st.customer_of.emplace(conn.address(), r->id);
      }
      return reply(dump_text(
        json{{"type", "request.state"}, {"request", st.m.customer_view(*r)}}));
    },
    [self](desk_console_atom, uint64_t user, const caf::actor& conn) -> result {
      auto& st = self->state;
      if (!st.m.is_technician(user) &&
          wait_for_org(st, "user:" + std::to_string(user)))
        return after_org_fetch(self, "user:" + std::to_string(user),
                               desk_console_atom::value, user, conn);
      if (!st.m.is_technician(user))
        return answer(error_reply(errc::forbidden, "forbidden",
                                  "the console is for technicians"));
      desk::effects fx;
      if (conn && !st.console_of.count(conn.address())) {
        self->monitor(conn);
        st.consoles[user].push_back(conn);
        st.console_of.emplace(conn.address(), user);
        st.m.console_connected(user, now(st), fx);
      }
      auto rp = self->make_response_promise<std::string>();
      // The state is taken once the change is durable, so it includes it.
      commit(self, std::move(fx), [self, rp, user](bool stored) mutable {
        if (!stored) {
          rp.deliver(error_reply(errc::storage_unavailable,
                                 "storage_unavailable", "please reconnect"));
          return;
        }
        auto& st = self->state;
        rp.deliver(dump_text(st.m.console_state(user, now(st))));
      });
      return rp;
    },
    [self](desk_dash_feed_atom, uint64_t id, const caf::actor& monitor) {
      return dashboard_subscribe(self, id, monitor);
    },
    [self](desk_dash_scope_atom, uint64_t user) {
      return dashboard_scope_of(self, user);
    },
    [self](desk_dash_history_atom, uint64_t id, int64_t from_ms) {
      return dashboard_history(self, id, from_ms);
    },
    [self](desk_watching_atom, uint64_t request, uint64_t manager, bool on) {
      watching(self, request, manager, on);
    },
    [self](desk_offline_atom, uint64_t manager, uint64_t technician) {
      return force_offline(self, manager, technician);
    },
    [self](desk_command_atom, uint64_t user,
           const console_command& cmd) -> result {
      auto& st = self->state;
      if (!st.m.is_technician(user))
        return answer(error_reply(errc::forbidden, "forbidden",
                                  "the console is for technicians"));
      desk::effects fx;
      auto res = st.m.command(user, cmd, now(st), fx);
      if (auto* f = std::get_if<desk::failure>(&res)) {
        return answer(failure_reply(*f));
      }
      auto rp = self->make_response_promise<std::string>();
      commit_reply(self, std::move(fx), rp, dump_text(std::get<json>(res)));
      return rp;
    },
  };
}

} // namespace openassist::actors
