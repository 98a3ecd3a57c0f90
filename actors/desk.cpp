#include "actors/desk.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <sodium.h>

#include "actors/account.hpp"
#include "actors/credentials.hpp"
#include "actors/customer_mail.hpp"
#include "actors/desk_history.hpp"
#include "actors/entity_store.hpp"
#include "actors/json_fields.hpp"
#include "actors/session.hpp"
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

using self_ptr = caf::stateful_actor<desk_state>*;
using reply = std::tuple<unsigned, std::string>;
using json = nlohmann::json;

reply error_reply(unsigned status, const std::string& code,
                  const std::string& message, const std::string& field = {}) {
  json err = {{"code", code}, {"message", message}};
  if (!field.empty())
    err["field"] = field;
  return {status, dump_text(json{{"error", err}})};
}

reply failure_reply(const desk::failure& f) {
  json err = {{"code", f.code}, {"message", f.message}};
  if (!f.field.empty())
    err["field"] = f.field;
  if (!f.rule.empty())
    err["rule"] = f.rule;
  if (f.max >= 0)
    err["max"] = f.max;
  if (f.retry_after_s > 0)
    err["retry_after_s"] = f.retry_after_s;
  if (f.next_open)
    err["next_open"] = *f.next_open;
  return {f.status, dump_text(json{{"error", err}})};
}

using result = caf::result<unsigned, std::string>;

result answer(reply r) {
  return result(std::get<0>(r), std::move(std::get<1>(r)));
}

void fetch_org(self_ptr self, bool blocking);

// Handles the same message again after the organisation's next fetch (a
// forced one at most once a second; else the running one or the tick's).
template <class... Ts>
result after_org_fetch(self_ptr self, std::string key, Ts... xs) {
  auto& st = self->state;
  auto rp = self->make_response_promise();
  st.org_waiters.emplace_back(std::move(key), [self, rp, xs...]() mutable {
    rp.delegate(caf::actor_cast<caf::actor>(self), xs...);
  });
  auto t = st.cfg.now_ms();
  if (!st.org_fetch_running && t - st.last_forced_fetch_ms >= 1000) {
    st.last_forced_fetch_ms = t;
    fetch_org(self, false);
  }
  return rp;
}

std::string desk_key(const desk_state& st) {
  return "desk/" + st.cfg.account;
}

int64_t now(const desk_state& st) {
  return st.cfg.now_ms();
}

void send_to(const std::vector<caf::actor>& conns, const std::string& text) {
  for (auto& c : conns)
    caf::anon_send(c, desk_push_atom::value, text);
}

void push_console(desk_state& st, uint64_t tech, const json& msg) {
  if (auto i = st.consoles.find(tech); i != st.consoles.end())
    send_to(i->second, dump_text(msg));
}

void push_customer(desk_state& st, const desk::request& r) {
  if (auto i = st.customers.find(r.id); i != st.customers.end())
    send_to(i->second, dump_text(json{{"type", "request.state"},
                                      {"request", st.m.customer_view(r)}}));
}

void update_gauges(desk_state& st) {
  auto* fam = st.cfg.metrics.technicians;
  if (fam == nullptr)
    return;
  std::map<std::string, double> counts;
  for (auto& [uid, u] : st.m.org().users)
    if (!u.deleted && u.r == role::technician)
      counts[st.m.effective_status(uid)] += 1;
  for (auto s : {"available", "busy", "away", "offline"}) {
    auto delta = counts[s] - st.technician_counts[s];
    if (delta != 0)
      fam->Add({{"status", s}}).Increment(delta);
    st.technician_counts[s] = counts[s];
  }
}

void update_queue_gauge(desk_state& st, uint64_t portal) {
  auto* fam = st.cfg.metrics.queue_length;
  auto* p = st.m.portal_by_id(portal);
  if (fam == nullptr || p == nullptr)
    return;
  fam->Add({{"account", st.cfg.account}, {"portal", p->slug}})
    .Set(static_cast<double>(st.m.waiting_count(portal)));
}

json session_info(const desk_state& st, const desk::request& r,
                  const json& system = nullptr) {
  auto* p = st.m.portal_by_id(r.portal_id);
  return {
    {"status", desk::to_string(r.st)},
    {"technician_id", r.technician_id},
    // Chat lines, system lines and the transcript reach the customer:
    // they name technicians by their screen name.
    {"technician_name", st.m.public_name(r.technician_id)},
    {"customer_name", r.customer.value("name", "")},
    {"portal_id", r.portal_id},
    {"records", st.m.portal_records(r.portal_id)},
    {"recording_max_mb", p ? p->recording_max_mb : 200},
    {"retention_days", p ? p->recording_retention_days : 90},
    {"collaborators", st.m.collaborators_json(r, true)},
    {"token_digest", r.token_digest},
    {"system_code", system.is_object() ? system["code"] : json{""}},
    {"system_params", system.is_object() ? system["params"] : json::object()}};
}

// The system line a session shows for a step of its request, as a code and
// its parameters (actors/session_lines.hpp: the session renders it in the
// reader's language); null for none.
json system_step(const desk_state& st, const std::string& kind,
                 const json& payload, const desk::request& r) {
  auto line = [](const char* code, json params = json::object()) {
    return json{{"code", code}, {"params", std::move(params)}};
  };
  auto who = st.m.public_name(payload.value("technician", uint64_t{0}));
  if (kind == "request.joined")
    return line("joined", {{"name", who}});
  if (kind == "request.transferred") {
    auto to = payload.value("to_technician", uint64_t{0});
    if (to != 0)
      return line("handed_over", {{"name", st.m.public_name(to)}});
    auto team = st.m.org().teams.find(payload.value("to_team", uint64_t{0}));
    return line("handed_over_team",
                {{"team", team == st.m.org().teams.end() ? std::string{"?"}
                                                         : team->second.name}});
  }
  if (kind == "request.unassigned" || kind == "request.collaborator_left")
    return line("left", {{"name", who}});
  if (kind == "request.collaborator_joined")
    return line(payload.value("hidden", false) ? "joined_hidden" : "joined",
                {{"name", who}});
  if (kind == "request.handed_over")
    return line("handed_over", {{"name", st.m.public_name(payload.value(
                                           "to_technician", uint64_t{0}))}});
  if (kind == "request.closed" && r.outcome == "customer_left")
    return line("customer_left");
  if (kind == "request.closed")
    return line("closed", {{"name", who}});
  if (kind == "request.abandoned" && r.outcome == "cancelled")
    return line("customer_ended");
  return nullptr;
}

// Hands the change's e-mails to the mailer (which stores them durably).
void send_mails(self_ptr self, const desk::effects& fx) {
  auto& st = self->state;
  if (!st.cfg.mailer)
    return;
  for (auto& m : fx.mails)
    self
      ->request(st.cfg.mailer, std::chrono::seconds(30), mail_atom::value, m.to,
                m.subject, m.body)
      .then([](uint64_t) {},
            [self](caf::error& err) {
              monitoring::component_logger("desk")->warn(
                "[desk {}] summary mail not queued: {}",
                self->state.cfg.account, self->system().render(err));
            });
}

// Tells the sessions of joined requests what happened to them.
void notify_sessions(self_ptr self, const desk::effects& fx) {
  auto& st = self->state;
  for (auto& [kind, payload] : fx.events) {
    auto* r = st.m.find(payload.value("request", uint64_t{0}));
    if (r == nullptr || !r->session)
      continue;
    auto info_json = session_info(st, *r, system_step(st, kind, payload, *r));
    // A hidden colleague's coming and going is for technicians only.
    info_json["system_private"] = payload.value("hidden", false);
    auto info = dump_text(info_json);
    self
      ->request(st.cfg.directory, std::chrono::seconds(10),
                cluster::lookup_atom::value,
                "session/" + st.cfg.account + "/" + std::to_string(r->id))
      .then(
        [info](caf::actor& s) {
          caf::anon_send(s, session_update_atom::value, info);
        },
        [](caf::error&) {});
  }
}

// Sends what one durable change means to the clients that see it.
void push(desk_state& st, const desk::effects& fx) {
  auto& m = st.m;
  for (auto tech : fx.me)
    push_console(st, tech, {{"type", "me"}, {"me", m.me_view(tech)}});
  if (fx.roster) {
    auto msg = dump_text(
      json{{"type", "technicians"}, {"technicians", m.roster_view()}});
    for (auto& [tech, conns] : st.consoles)
      send_to(conns, msg);
    update_gauges(st);
  }
  for (auto tech : fx.codes)
    push_console(st, tech, {{"type", "codes"}, {"codes", m.codes_view(tech)}});
  std::set<uint64_t> changed = fx.requests;
  for (auto pid : fx.queues) {
    auto* p = m.portal_by_id(pid);
    if (p == nullptr || p->mode != "queue")
      continue;
    for (auto& [id, r] : m.open_requests())
      if (r.portal_id == pid && r.st == desk::status::waiting)
        changed.insert(id);
  }
  // Wait estimates follow the technicians' status and sessions: waiting
  // customers of queue portals hear of them.
  if (fx.roster || !fx.me.empty())
    for (auto& [id, conns] : st.customers)
      if (auto* r = m.find(id); r != nullptr && !changed.count(id) &&
                                r->st == desk::status::waiting &&
                                m.position(*r) > 0)
        push_customer(st, *r);
  for (auto id : changed) {
    auto* r = m.find(id);
    if (r == nullptr)
      continue;
    auto view = dump_text(
      json{{"type", "request.updated"}, {"request", m.request_view(*r)}});
    for (auto& [tech, conns] : st.consoles)
      if (m.visible_to(*r, tech))
        send_to(conns, view);
    push_customer(st, *r);
  }
  // Withdrawals first: an alert round that ran out is withdrawn and alerted
  // anew in one change (desk_routing.cpp).
  for (auto& w : fx.withdrawn)
    push_console(st, w.technician,
                 {{"type", "alert.withdrawn"},
                  {"request_id", std::to_string(w.request)},
                  {"reason", w.reason}});
  for (auto& [tech, id] : fx.alerts)
    if (auto* r = m.find(id))
      push_console(st, tech, {{"type", "alert"}, {"alert", m.alert_view(*r)}});
  for (auto& [tech, msg] : fx.to_console)
    push_console(st, tech, msg);
  for (auto pid : fx.queues)
    update_queue_gauge(st, pid);
  // Metrics of what happened.
  auto* reqs = st.cfg.metrics.requests;
  for (auto& [kind, payload] : fx.events) {
    if (kind == "request.alerted") {
      monitoring::inc(st.cfg.metrics.alerts);
    } else if (reqs != nullptr && kind == "request.no_response" &&
               payload.value("round", 0) == 1) {
      // Counted once per request: its first alert round ran out.
      auto* r = m.find(payload.value("request", uint64_t{0}));
      auto* p = r ? m.portal_by_id(r->portal_id) : nullptr;
      reqs
        ->Add({{"portal_type", p ? p->type : "unknown"},
               {"outcome", "no_response"}})
        .Increment();
    } else if (reqs != nullptr &&
               (kind == "request.created" || kind == "request.closed" ||
                kind == "request.abandoned" || kind == "request.assigned" ||
                kind == "request.accepted")) {
      auto* r = m.find(payload.value("request", uint64_t{0}));
      auto* p = r ? m.portal_by_id(r->portal_id) : nullptr;
      std::string outcome = kind == "request.created"  ? "created"
                            : kind == "request.closed" ? "closed"
                            : kind == "request.abandoned"
                              ? payload.value("outcome", "")
                              : "assigned";
      reqs
        ->Add({{"portal_type", p ? p->type : "unknown"}, {"outcome", outcome}})
        .Increment();
      if (outcome == "assigned" && r != nullptr)
        monitoring::observe(st.cfg.metrics.wait_seconds,
                            static_cast<double>(r->updated_ms - r->created_ms) /
                              1000.0);
    }
  }
}

void reload(self_ptr self, std::function<void(bool)> then);

// Makes a change durable, then pushes it and calls `done(true)`. On a failed
// write calls `done(false)` (`write_error` says why); the desk's memory is
// then ahead of its storage: after a refusal it reloads from storage in
// place, and when the fate is unknown (no answer) it stops (the directory
// respawns it from what is stored). `bookkeeping`: the recount after a
// reload, which may use the map's reserve; if refused it stays in memory.
void commit(self_ptr self, desk::effects fx, std::function<void(bool)> done,
            bool bookkeeping = false) {
  auto& st = self->state;
  auto& m = st.m;
  storage::write_batch batch;
  for (auto id : fx.requests) {
    auto* r = m.find(id);
    if (r == nullptr)
      continue;
    auto key = request_key(st.cfg.account, id);
    batch.ops.push_back({storage::table::requests, key,
                         dump_text(desk::model::to_storage(*r)),
                         storage::op_kind::put});
    batch.ops.push_back(
      {storage::table::open_requests, key, "",
       desk::is_open(r->st) ? storage::op_kind::put : storage::op_kind::erase});
  }
  if (fx.desk) {
    schema::entity_record rec{desk_key(st), m.next_request_id(), 0,
                              dump_text(m.snapshot())};
    batch.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                         storage::op_kind::put});
  }
  for (auto& [kind, payload] : fx.events) {
    auto subject =
      payload.contains("request")
        ? "request/" + std::to_string(payload.value("request", uint64_t{0}))
        : "technician/" +
            std::to_string(payload.value("technician", uint64_t{0}));
    batch.events.push_back(
      {0, 0, kind, st.cfg.account, subject, dump_text(payload)});
  }
  if (batch.ops.empty() && batch.events.empty()) {
    push(st, fx);
    notify_sessions(self, fx);
    send_mails(self, fx);
    done(true);
    return;
  }
  batch.may_use_reserve = bookkeeping;
  auto seq = st.fence.stamp(batch, st.cfg.write_deadline);
  auto epoch = st.fence.epoch;
  auto stored = [self, fx, done] {
    push(self->state, fx);
    notify_sessions(self, fx);
    send_mails(self, fx);
    done(true);
  };
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::write_atom::value, std::move(batch))
    .then([stored](const storage::write_receipt&) { stored(); },
          [self, done, stored, epoch, seq, bookkeeping](caf::error& err) {
            auto& st = self->state;
            auto log = monitoring::component_logger("desk");
            if (epoch != st.fence.epoch) {
              // Decided before the fence of a reload, which knows its fate.
              if (st.fence.was_stored(epoch, seq)) {
                stored();
                return;
              }
              st.write_error =
                storage::definite_refusal(err)
                  ? err
                  : storage::make_error(storage::storage_errc::fenced);
              done(false);
              return;
            }
            if (bookkeeping) {
              st.write_error = err;
              done(false);
              if (storage::definite_refusal(err)) {
                // The recount after a reload (live consoles) stays in
                // memory; the epoch is refused from now on, so the next
                // change reloads again and stores it. No restart loop.
                log->warn("[desk {}] recount after a reload not stored: {}",
                          st.cfg.account, self->system().render(err));
                return;
              }
              log->error("[desk {}] change not stored, restarting from "
                         "storage: {}",
                         st.cfg.account, self->system().render(err));
              self->quit(err);
              return;
            }
            if (storage::definite_refusal(err)) {
              // Nothing written; later writes of this epoch are refused too.
              log->warn("[desk {}] change refused by storage, reloading: {}",
                        st.cfg.account, self->system().render(err));
              st.write_error = err;
              done(false);
              reload(self, [](bool) {});
              return;
            }
            // No answer: the fence of the reload says whether it was stored.
            log->warn("[desk {}] change not acknowledged, reloading: {}",
                      st.cfg.account, self->system().render(err));
            reload(self, [self, done, stored, epoch, seq, err](bool known) {
              auto& st = self->state;
              if (known && st.fence.was_stored(epoch, seq)) {
                stored();
                return;
              }
              st.write_error =
                known ? storage::make_error(storage::storage_errc::expired)
                      : err;
              done(false);
            });
          });
}

// The answer to a change that could not be stored, by why.
reply write_failure_reply(const desk_state& st, const std::string& message) {
  auto f = storage::describe_write_failure(st.write_error, message);
  return error_reply(f.status, f.code, f.message);
}

// Answers `rp` once `fx` is durable.
template <class Promise>
void commit_reply(self_ptr self, desk::effects fx, Promise rp, reply ok) {
  commit(self, std::move(fx), [self, rp, ok](bool stored) mutable {
    if (stored) {
      rp.deliver(std::get<0>(ok), std::get<1>(ok));
      return;
    }
    auto [status, body] = write_failure_reply(
      self->state, "the change could not be stored; please try again");
    rp.deliver(status, body);
  });
}

// A digest of an intake's body that stays the same across builds and
// restarts (it is stored with the request): 64-bit FNV-1a.
uint64_t body_digest(std::string_view body) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Loads open requests, recent closed ones and the desk snapshot.
bool rehydrate(desk_state& st) {
  auto log = monitoring::component_logger("desk");
  auto rec = load_entity(*st.cfg.env, desk_key(st));
  if (!rec) {
    log->error("[desk {}] snapshot does not decode", st.cfg.account);
    return false;
  }
  if (*rec) {
    auto doc = json::parse((*rec)->body, nullptr, false);
    if (doc.is_discarded() || !st.m.restore(doc, now(st))) {
      log->error("[desk {}] snapshot does not decode", st.cfg.account);
      return false;
    }
  }
  auto prefix =
    request_key(st.cfg.account, 0).substr(0, st.cfg.account.size() + 1);
  std::vector<std::string> keys;
  auto err = st.cfg.env->scan(storage::table::open_requests, prefix, 1000000,
                              [&](std::string_view k, std::string_view) {
                                if (k.substr(0, prefix.size()) != prefix)
                                  return false;
                                keys.emplace_back(k);
                                return true;
                              });
  if (err)
    return false;
  size_t loaded = 0;
  for (auto& k : keys) {
    auto v = st.cfg.env->get(storage::table::requests, k);
    if (!v || !*v)
      continue;
    auto doc = json::parse(**v, nullptr, false);
    auto r = doc.is_discarded() ? std::nullopt : desk::model::from_storage(doc);
    if (!r) {
      log->error("[desk {}] a stored request does not decode; skipped",
                 st.cfg.account);
      continue;
    }
    st.m.restore_request(std::move(*r), now(st));
    ++loaded;
  }
  // The recent closed requests (consoles list them) and finished sessions
  // whose summary is still to be mailed.
  for (auto id : st.m.requests_to_load()) {
    auto v = st.cfg.env->get(storage::table::requests,
                             request_key(st.cfg.account, id));
    if (!v || !*v)
      continue;
    auto doc = json::parse(**v, nullptr, false);
    if (auto r =
          doc.is_discarded() ? std::nullopt : desk::model::from_storage(doc))
      st.m.restore_request(std::move(*r), now(st));
  }
  if (loaded > 0)
    log->info("[desk {}] {} open requests restored", st.cfg.account, loaded);
  return true;
}

// After a refused write: reads the state from storage again behind a new
// fence (every batch of the refused epoch decided first), keeping the
// connections. Their consoles count again, and consoles and customer pages
// get the state as stored.
void reload(self_ptr self, std::function<void(bool)> then) {
  auto& st = self->state;
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self, then](const storage::fence_receipt& r) {
        auto& st = self->state;
        st.fence.reset(r);
        auto org = st.m.org();
        auto revision = st.m.org_revision();
        st.m = desk::model{st.cfg.settings};
        if (!rehydrate(st)) {
          then(true);
          self->quit(storage::make_error(storage::storage_errc::corrupt_record,
                                         "desk " + st.cfg.account +
                                           " cannot be restored"));
          return;
        }
        st.m.set_org(std::move(org), revision);
        desk::effects fx;
        for (auto& [tech, conns] : st.consoles)
          for (size_t i = 0; i < conns.size(); ++i)
            st.m.console_connected(tech, now(st), fx);
        update_gauges(st);
        for (auto& [tech, conns] : st.consoles)
          push_console(st, tech, st.m.console_state(tech, now(st)));
        for (auto& [id, conns] : st.customers)
          if (auto* r = st.m.find(id))
            push_customer(st, *r);
        then(true);
        commit(
          self, std::move(fx), [](bool) {}, true);
      },
      [self, then](caf::error& err) {
        monitoring::component_logger("desk")->error(
          "[desk {}] storage does not answer a fence: {}",
          self->state.cfg.account, self->system().render(err));
        then(false);
        self->quit(err);
      });
}

void apply_org(self_ptr self, uint64_t revision, const std::string& body) {
  auto& st = self->state;
  st.last_org_fetch_ms = now(st);
  if (body.empty())
    return;
  auto doc = json::parse(body, nullptr, false);
  auto org = doc.is_discarded() ? std::nullopt : from_storage_json(doc);
  if (!org)
    return;
  bool first = st.m.org_revision() == 0;
  st.m.set_org(std::move(*org), revision);
  update_gauges(st);
  if (first)
    return; // starting: nobody is connected yet, and rehydrate comes next
  desk::effects fx;
  st.m.org_changed(now(st), fx);
  commit(self, std::move(fx), [](bool) {});
}

// Names unknown at a fetch stay unknown (404 without a refetch) this long;
// at most this many are remembered, the oldest go first.
constexpr int64_t unknown_name_ttl_ms = 10000;
constexpr size_t unknown_names_kept = 4096;
constexpr size_t org_waiters_max = 1000;

void remember_unknown(desk_state& st, const std::string& key) {
  auto [i, fresh] =
    st.unknown_names.insert_or_assign(key, now(st) + unknown_name_ttl_ms);
  if (fresh)
    st.unknown_order.push_back(key);
  while (st.unknown_order.size() > unknown_names_kept) {
    st.unknown_names.erase(st.unknown_order.front());
    st.unknown_order.pop_front();
  }
}

// Runs the messages that waited for a fetch: the names they carried are
// known now, or remembered as unknown so that they are answered at once.
void serve_org_waiters(self_ptr self) {
  auto waiters = std::move(self->state.org_waiters);
  self->state.org_waiters.clear();
  for (auto& [key, again] : waiters) {
    remember_unknown(self->state, key);
    again();
  }
}

void fetch_org(self_ptr self, bool blocking) {
  auto& st = self->state;
  if (st.org_fetch_running && !blocking)
    return;
  st.org_fetch_running = true;
  st.last_org_fetch_ms = now(st);
  auto on_err = [self](caf::error&) {
    self->state.org_fetch_running = false;
    serve_org_waiters(self);
  };
  auto on_org = [self](uint64_t revision, std::string& body) {
    self->state.org_fetch_running = false;
    apply_org(self, revision, body);
    serve_org_waiters(self);
  };
  auto lookup =
    self->request(st.cfg.directory, std::chrono::seconds(10),
                  cluster::lookup_atom::value, "account/" + st.cfg.account);
  auto ask = [self, blocking, on_org, on_err](caf::actor& a) {
    auto req =
      self->request(caf::actor_cast<account_actor>(a), std::chrono::seconds(10),
                    org_snapshot_atom::value, self->state.m.org_revision());
    if (blocking)
      req.await(on_org, on_err);
    else
      req.then(on_org, on_err);
  };
  // Blocking: no other message is handled before the organisation is here.
  if (blocking)
    lookup.await(ask, on_err);
  else
    lookup.then(ask, on_err);
}

// Whether a message with an unknown name (`key`: a slug or a user) waits
// for the next organisation fetch, as the name may be news (a portal or a
// technician just created). Not when the name was unknown at a fetch of the
// last seconds, nor when too many wait already (a flood of made-up names):
// then it is answered from what is known.
bool wait_for_org(desk_state& st, const std::string& key) {
  if (auto i = st.unknown_names.find(key); i != st.unknown_names.end()) {
    if (i->second > now(st))
      return false;
    st.unknown_names.erase(i); // its place in unknown_order goes in time
  }
  return st.org_waiters.size() < org_waiters_max;
}

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

// The teams a team manager manages, with all their sub-teams.
std::set<uint64_t> managed_teams(const org_account& org,
                                 const org_user& manager) {
  return with_sub_teams(
    org, {manager.managed_team_ids.begin(), manager.managed_team_ids.end()});
}

// Whether `technician` is in one of `teams`.
bool in_teams(const org_account& org, const std::set<uint64_t>& teams,
              uint64_t technician) {
  auto t = org.users.find(technician);
  return t != org.users.end() && teams.count(t->second.team_id) > 0;
}

std::optional<uint64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(s);
}

// The request a customer's token opens, or nullptr.
const desk::request* customer_request(desk_state& st, const std::string& id,
                                      const std::string& token) {
  auto n = parse_id(id);
  if (!n || token.empty() || token.size() > 128)
    return nullptr;
  auto* r = st.m.find(*n);
  auto digest = token_digest(token);
  if (r == nullptr || r->token_digest.size() != digest.size() ||
      sodium_memcmp(r->token_digest.data(), digest.data(), digest.size()) != 0)
    return nullptr;
  return r;
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
    return answer(error_reply(404, "not_found", "no such request"));
  auto rid = r->id;
  desk::effects fx;
  if (auto f = step(rid, fx))
    return answer(failure_reply(*f));
  auto view = dump_text(json{{"type", "request.state"},
                             {"request", st.m.customer_view(*st.m.find(rid))}});
  auto rp = self->make_response_promise<unsigned, std::string>();
  commit_reply(self, std::move(fx), rp, reply(200u, view));
  return rp;
}

// Whether a user may read a request's chat (technicians who see it, or with
// `participants_only` only its technician; the account's managers).
reply may_read(desk_state& st, uint64_t user, const std::string& id,
               bool participants_only) {
  auto n = parse_id(id);
  auto& users = st.m.org().users;
  auto u = users.find(user);
  if (!n || u == users.end() || u->second.deleted)
    return error_reply(404, "not_found", "no such request");
  if (u->second.r == role::technician) {
    auto* r = st.m.find(*n);
    if (r == nullptr || !st.m.visible_to(*r, user) ||
        (participants_only && !st.m.participant(*r, user)))
      return error_reply(404, "not_found", "no such request for you");
    return reply(200u, "{}");
  }
  // Managers read the requests of their account; team managers those
  // their teams' technicians handled.
  auto v =
    st.cfg.env->get(storage::table::requests, request_key(st.cfg.account, *n));
  if (!v || !*v)
    return error_reply(404, "not_found", "no such request");
  if (u->second.r == role::team_manager) {
    auto doc = json::parse(**v, nullptr, false);
    auto r = doc.is_discarded() ? std::nullopt : desk::model::from_storage(doc);
    if (!r || !in_teams(st.m.org(), managed_teams(st.m.org(), u->second),
                        r->technician_id))
      return error_reply(404, "not_found", "no such request of your teams");
  }
  return reply(200u, "{}");
}

bool intake_allowed(desk_state& st, const std::string& address) {
  if (st.cfg.intake_per_address_per_min <= 0)
    return true;
  return st.intakes.try_hit(address_key(address), now(st));
}

constexpr int max_list_readers = 4;

// The managers' list from stored documents (read by a history reader): the
// live state where the desk holds the request.
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

} // namespace

caf::behavior desk_actor(caf::stateful_actor<desk_state>* self,
                         desk_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.mailbox = monitoring::mailbox_probe(st.cfg.metrics.mailbox);
  if (!st.cfg.now_ms)
    st.cfg.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
    };
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
        fetch_org(self, true);
      },
      [self](caf::error& err) {
        monitoring::component_logger("desk")->error(
          "[desk {}] storage does not answer a fence: {}",
          self->state.cfg.account, self->system().render(err));
        self->quit(err);
      });
  self->set_down_handler(
    [self](caf::down_msg& msg) { forget(self, msg.source); });
  self->delayed_send(self, st.cfg.tick_interval, desk_tick_atom::value);
  return {
    [self](desk_request_atom, uint64_t id) -> reply {
      auto& st = self->state;
      auto* r = st.m.find(id);
      if (r == nullptr)
        return error_reply(404, "not_found", "not an open or recent request");
      return reply(200u, dump_text(session_info(st, *r)));
    },
    [self](desk_list_atom, uint64_t user, uint64_t limit,
           uint64_t before) -> result {
      auto& st = self->state;
      auto& org = st.m.org();
      auto u = org.users.find(user);
      if (u == org.users.end() || u->second.deleted ||
          u->second.r == role::technician)
        return answer(error_reply(403, "forbidden", "managers only"));
      history_query q;
      q.env = st.cfg.env;
      q.account = st.cfg.account;
      q.limit = std::clamp<uint64_t>(limit, 1, 200);
      q.newest = st.m.next_request_id() - 1;
      if (before != 0)
        q.newest = std::min(q.newest, before - 1);
      // Team managers: the technicians of their teams and sub-teams.
      q.all = u->second.r != role::team_manager;
      if (!q.all) {
        auto teams = managed_teams(org, u->second);
        for (auto& [uid, x] : org.users)
          if (teams.count(x.team_id))
            q.technicians.insert(uid);
      }
      // The scan runs in a reader of its own, never in the live desk.
      if (st.list_readers >= max_list_readers)
        return answer(
          error_reply(503, "busy", "too many listings at once; try again"));
      ++st.list_readers;
      auto reader = self->spawn(history_reader, std::move(q));
      auto rp = self->make_response_promise<unsigned, std::string>();
      self->request(reader, std::chrono::seconds(60), desk_list_atom::value)
        .then(
          [self, rp](bool ok, std::string& docs) mutable {
            --self->state.list_readers;
            if (!ok) {
              auto [s, b] = error_reply(503, "storage_unavailable",
                                        "cannot read requests now");
              rp.deliver(s, b);
              return;
            }
            rp.deliver(200u, list_view(self->state, docs));
          },
          [self, rp](caf::error&) mutable {
            --self->state.list_readers;
            auto [s, b] = error_reply(503, "storage_unavailable",
                                      "cannot read requests now");
            rp.deliver(s, b);
          });
      return rp;
    },
    [self](desk_monitor_atom, uint64_t user, const std::string& id) -> reply {
      auto& st = self->state;
      auto& org = st.m.org();
      auto u = org.users.find(user);
      auto n = parse_id(id);
      if (u == org.users.end() || u->second.deleted ||
          u->second.r == role::technician)
        return error_reply(403, "forbidden", "managers only");
      auto* r = n ? st.m.find(*n) : nullptr;
      if (r == nullptr || !r->session)
        return error_reply(404, "not_found", "no such session");
      if (u->second.r == role::team_manager) {
        if (!in_teams(org, managed_teams(org, u->second), r->technician_id))
          return error_reply(404, "not_found", "no such session of your teams");
      }
      return reply(200u, "{}");
    },
    [self](desk_can_read_atom, uint64_t user, const std::string& id) -> reply {
      return may_read(self->state, user, id, false);
    },
    [self](desk_participant_atom, uint64_t user, const std::string& id)
      -> reply { return may_read(self->state, user, id, true); },
    [self](desk_user_atom, uint64_t user) -> reply {
      auto& users = self->state.m.org().users;
      auto u = users.find(user);
      if (u == users.end() || u->second.deleted)
        return error_reply(404, "not_found", "no such user");
      return reply(200u, dump_text(json{{"role", to_string(u->second.r)}}));
    },
    [self](desk_replay_atom, uint64_t user, const std::string& id) -> reply {
      auto& st = self->state;
      auto& users = st.m.org().users;
      auto u = users.find(user);
      if (u == users.end() || u->second.deleted ||
          u->second.r == role::technician)
        return error_reply(403, "forbidden",
                           "recordings are replayed by managers");
      return may_read(st, user, id, false);
    },
    [self](desk_keys_atom, uint64_t user, uint64_t portal) -> reply {
      auto& st = self->state;
      auto& users = st.m.org().users;
      auto u = users.find(user);
      if (u == users.end() || u->second.deleted ||
          u->second.r != role::company_manager)
        return error_reply(403, "forbidden", "company managers only");
      if (st.m.portal_by_id(portal) == nullptr)
        return error_reply(404, "not_found", "no such portal");
      return reply(200u, "{}");
    },
    [self](desk_upload_atom, const std::string& id, const std::string& token,
           uint64_t user) -> reply {
      auto& st = self->state;
      const desk::request* r = nullptr;
      if (user == 0) {
        r = customer_request(st, id, token);
        if (r == nullptr)
          return error_reply(404, "not_found",
                             "no such request, or a wrong token");
      } else {
        auto n = parse_id(id);
        r = n ? st.m.find(*n) : nullptr;
        if (r == nullptr || !st.m.visible_to(*r, user))
          return error_reply(404, "not_found", "no such request for you");
        auto* c = r->colleague(user);
        if (r->technician_id != user && (c == nullptr || !c->full))
          return error_reply(403, "not_yours",
                             c ? "you watch this session (view only)"
                               : "another technician has this session");
      }
      if (r->st != desk::status::active)
        return error_reply(409, "chat_not_open",
                           "files can be sent during the session only");
      if (!st.m.feature_on(r->technician_id, r->portal_id,
                           feature::file_transfer))
        return error_reply(403, "feature_off",
                           "file transfer is not enabled for this session");
      auto max_bytes =
        static_cast<uint64_t>(st.m.org().file_limit_mb) * 1024 * 1024;
      return reply(200u, dump_text(json{{"max_bytes", max_bytes},
                                        {"technician", user != 0},
                                        {"technician_id", user}}));
    },
    [self](desk_tick_atom) {
      auto& st = self->state;
      desk::effects fx;
      st.m.tick(now(st), fx);
      commit(self, std::move(fx), [](bool) {});
      // An unchanged organisation costs one small message; a changed one
      // (settings, people, portals) reaches the desk within about a second.
      if (now(st) - st.last_org_fetch_ms >= 1000)
        fetch_org(self, false);
      self->delayed_send(self, st.cfg.tick_interval, desk_tick_atom::value);
    },
    [self](desk_portal_atom, const std::string& slug) -> result {
      auto& st = self->state;
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr && wait_for_org(st, "portal:" + slug))
        return after_org_fetch(self, "portal:" + slug, desk_portal_atom::value,
                               slug);
      if (p == nullptr)
        return answer(error_reply(404, "not_found", "no such portal"));
      return answer(reply(200u, dump_text(st.m.portal_page(*p, now(st)))));
    },
    [self](desk_status_atom, const std::string& slug) -> reply {
      auto& st = self->state;
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr)
        return error_reply(404, "not_found", "no such portal");
      return reply(200u, dump_text(st.m.public_status(*p, now(st))));
    },
    [self](desk_intake_atom, const std::string& slug,
           const std::string& body_text,
           const std::string& source_text) -> result {
      auto& st = self->state;
      st.mailbox.sample(self);
      auto received = std::chrono::steady_clock::now();
      auto* p = st.m.portal_by_slug(slug);
      if (p == nullptr && wait_for_org(st, "portal:" + slug))
        return after_org_fetch(self, "portal:" + slug, desk_intake_atom::value,
                               slug, body_text, source_text);
      if (p == nullptr)
        return answer(error_reply(404, "not_found", "no such portal"));
      auto body = json::parse(body_text, nullptr, false);
      auto src = json::parse(source_text, nullptr, false);
      if (body.is_discarded() || !body.is_object() || !src.is_object())
        return answer(error_reply(400, "bad_json",
                                  "the request body must be a JSON object"));
      desk::intake in;
      if (auto f = body.find("fields"); f != body.end()) {
        if (!f->is_object())
          return answer(error_reply(400, "bad_field",
                                    "fields: must be an object", "fields"));
        in.fields = *f;
      }
      if (auto t = body.find("technician_id");
          t != body.end() && !t->is_null()) {
        if (t->is_number_unsigned())
          in.technician_id = t->get<uint64_t>();
        else if (t->is_string() && parse_id(t->get<std::string>()))
          in.technician_id = *parse_id(t->get<std::string>());
        else
          return answer(error_reply(
            400, "bad_field", "technician_id: must be an id", "technician_id"));
      }
      if (auto c = body.find("code"); c != body.end() && !c->is_null()) {
        if (!c->is_string() || c->get<std::string>().size() > 32)
          return answer(
            error_reply(400, "bad_field", "code: the 9 digits", "code"));
        in.code = c->get<std::string>();
      }
      // The customer's language, for the confirmation mail.
      std::string lang = "en";
      if (auto l = body.find("lang"); l != body.end() && !l->is_null()) {
        if (!l->is_string() || (*l != "en" && *l != "de"))
          return answer(
            error_reply(400, "bad_field", "lang: en or de", "lang"));
        lang = l->get<std::string>();
      }
      in.source = {src.value("ip", ""), src.value("device", ""),
                   src.value("os", ""), src.value("browser", "")};
      // A retry with the same Idempotency-Key: the first request again.
      auto key = value_or<std::string>(src, "idempotency_key", "");
      auto fingerprint = body_digest(body_text);
      if (auto prior = st.m.replay_intake(*p, key, fingerprint, now(st))) {
        if (auto* f = std::get_if<desk::failure>(&*prior))
          return answer(failure_reply(*f));
        auto& first = std::get<desk::intake_replay>(*prior);
        json out = st.m.customer_view(*st.m.find(first.request_id));
        out["request_id"] = std::to_string(first.request_id);
        out["token"] = first.token;
        return answer(reply(201u, dump_text(out)));
      }
      if (!intake_allowed(st, in.source.ip))
        return answer(error_reply(
          429, "too_many_requests",
          "too many requests from your address; please wait a minute"));
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
      auto rp = self->make_response_promise<unsigned, std::string>();
      auto* hist = st.cfg.metrics.intake_to_alert_seconds;
      commit(self, std::move(fx),
             [self, rp, out, alerted, received, hist, portal_id,
              key](bool stored) mutable {
               if (stored && !key.empty())
                 self->state.m.intake_stored(portal_id, key);
               if (!stored) {
                 auto [s, b] = write_failure_reply(
                   self->state,
                   "your request could not be stored; please try again");
                 rp.deliver(s, b);
                 return;
               }
               if (alerted)
                 monitoring::observe(
                   hist, std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - received)
                           .count());
               rp.deliver(201u, dump_text(out));
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
           const std::string& input_text) -> result {
      return customer_step(
        self, id, token,
        [self, &input_text](uint64_t rid,
                            auto& fx) -> std::optional<desk::failure> {
          auto input = json::parse(input_text, nullptr, false);
          if (input.is_discarded() || !input.is_object())
            return desk::failure{400, "bad_json", "a choice is a JSON object"};
          return self->state.m.customer_choice(rid, input, now(self->state),
                                               fx);
        });
    },
    [self](desk_rate_atom, const std::string& id, const std::string& token,
           const std::string& input_text) -> result {
      return customer_step(
        self, id, token,
        [self, &input_text](uint64_t rid,
                            auto& fx) -> std::optional<desk::failure> {
          auto input = json::parse(input_text, nullptr, false);
          if (input.is_discarded() || !input.is_object())
            return desk::failure{400, "bad_json", "a rating is a JSON object"};
          return self->state.m.rate(rid, input, now(self->state), fx);
        });
    },
    [self](desk_attach_atom, const std::string& id, const std::string& token,
           const caf::actor& conn) -> reply {
      auto& st = self->state;
      auto* r = customer_request(st, id, token);
      if (r == nullptr)
        return error_reply(404, "not_found",
                           "no such request, or a wrong token");
      if (conn && !st.customer_of.count(conn.address())) {
        self->monitor(conn);
        st.customers[r->id].push_back(conn);
        st.customer_of.emplace(conn.address(), r->id);
      }
      return reply(200u, dump_text(json{{"type", "request.state"},
                                        {"request", st.m.customer_view(*r)}}));
    },
    [self](desk_console_atom, uint64_t user, const caf::actor& conn) -> result {
      auto& st = self->state;
      if (!st.m.is_technician(user) &&
          wait_for_org(st, "user:" + std::to_string(user)))
        return after_org_fetch(self, "user:" + std::to_string(user),
                               desk_console_atom::value, user, conn);
      if (!st.m.is_technician(user))
        return answer(
          error_reply(403, "forbidden", "the console is for technicians"));
      desk::effects fx;
      if (conn && !st.console_of.count(conn.address())) {
        self->monitor(conn);
        st.consoles[user].push_back(conn);
        st.console_of.emplace(conn.address(), user);
        st.m.console_connected(user, now(st), fx);
      }
      auto rp = self->make_response_promise<unsigned, std::string>();
      // The state is taken once the change is durable, so it includes it.
      commit(self, std::move(fx), [self, rp, user](bool stored) mutable {
        if (!stored) {
          auto [s, b] =
            error_reply(503, "storage_unavailable", "please reconnect");
          rp.deliver(s, b);
          return;
        }
        auto& st = self->state;
        rp.deliver(200u, dump_text(st.m.console_state(user, now(st))));
      });
      return rp;
    },
    [self](desk_command_atom, uint64_t user,
           const std::string& text) -> result {
      auto& st = self->state;
      if (!st.m.is_technician(user))
        return answer(
          error_reply(403, "forbidden", "the console is for technicians"));
      auto cmd = json::parse(text, nullptr, false);
      if (cmd.is_discarded() || !cmd.is_object())
        return answer(
          error_reply(400, "bad_json", "a command is a JSON object"));
      desk::effects fx;
      auto res = st.m.command(user, cmd, now(st), fx);
      if (auto* f = std::get_if<desk::failure>(&res)) {
        return answer(failure_reply(*f));
      }
      auto rp = self->make_response_promise<unsigned, std::string>();
      commit_reply(self, std::move(fx), rp,
                   reply(200u, dump_text(std::get<json>(res))));
      return rp;
    },
  };
}

} // namespace openassist::actors
