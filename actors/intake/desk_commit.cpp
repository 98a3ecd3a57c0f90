// Making a change of the desk durable; reloading it from storage.

#include "actors/intake/desk_internal.hpp"

#include "actors/entity_store.hpp"
#include "actors/intake/presence_log.hpp"
#include "actors/reports/facts_record.hpp"
#include "monitoring/logging.hpp"
#include "schema/codec.hpp"

namespace openassist::actors::desk_detail {

// Makes a change durable, then pushes it and calls `done(true)`. On a failed
// write calls `done(false)` (`write_error` says why); the desk's memory is
// then ahead of its storage: after a refusal it reloads from storage in
// place, and when the fate is unknown (no answer) it stops (the directory
// respawns it from what is stored). `bookkeeping`: the recount after a
// reload, which may use the map's reserve; if refused it stays in memory.
void commit(self_ptr self, desk::effects fx, std::function<void(bool)> done,
            bool bookkeeping) {
  auto& st = self->state;
  auto& m = st.m;
  storage::write_batch batch;
  for (auto id : fx.requests) {
    auto* r = m.find(id);
    if (r == nullptr)
      continue;
    auto key = request_key(st.cfg.account, id);
    auto doc = desk::model::to_storage(*r);
    // Its report facts in the same write (reports read those).
    if (auto facts = reports::facts_of(doc))
      batch.ops.push_back(
        {storage::table::report_facts,
         reports::facts_key(st.cfg.account, r->created_ms, id),
         reports::encode_facts(*facts), storage::op_kind::put});
    batch.ops.push_back(
      {storage::table::requests, key, dump_text(doc), storage::op_kind::put});
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
  auto log_status = [&](uint64_t tech, std::string status) {
    batch.ops.push_back({storage::table::presence_log,
                         presence_log_key(st.cfg.account, now(st), tech),
                         std::move(status), storage::op_kind::put});
  };
  for (auto& [tech, status] : fx.roll_call)
    log_status(tech, status);
  for (auto& [kind, payload] : fx.events) {
    if (kind == "presence.changed")
      log_status(payload.value("technician", uint64_t{0}),
                 payload.value("status", std::string{"offline"}));
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
caf::error write_failure_reply(const desk_state& st,
                               const std::string& message) {
  return write_failed(st.write_error, message);
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

} // namespace openassist::actors::desk_detail
