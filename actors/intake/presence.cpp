#include "actors/intake/presence.hpp"

#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/entity_store.hpp"
#include "actors/intake/entity_writes.hpp"
#include "actors/intake/queue.hpp"

namespace openassist::actors {

const char* presence_state::name = "presence";

std::string presence_key(const std::string& account, uint64_t technician) {
  return "presence/" + account + "/" + std::to_string(technician);
}

namespace {

using namespace intake;
using json = nlohmann::json;
using self_ptr = presence_actor::stateful_pointer<presence_state>;

int64_t now(const presence_state& st) {
  return st.cfg.now_ms();
}

std::string key_of(const presence_state& st) {
  return presence_key(st.cfg.account, st.cfg.technician);
}

std::string body_of(const slot_ledger& l) {
  json slots = json::array();
  for (auto& [id, s] : l.all())
    slots.push_back({{"request", s.request},
                     {"queue", s.queue},
                     {"no", s.no},
                     {"state", to_string(s.state)},
                     {"since", s.since_ms},
                     {"front", s.front}});
  return json{{"last_no", l.last_no()}, {"slots", slots}}.dump();
}

bool restore(presence_state& st) {
  auto rec = load_entity(*st.cfg.env, key_of(st));
  if (!rec)
    return false;
  if (!*rec)
    return true; // a new technician
  st.revision = (*rec)->revision;
  auto doc = json::parse((*rec)->body, nullptr, false);
  if (!doc.is_object())
    return false;
  std::vector<slot> slots;
  for (auto& j : doc.value("slots", json::array())) {
    slot s;
    s.request = j.value("request", uint64_t{0});
    s.queue = j.value("queue", std::string{});
    s.no = j.value("no", uint64_t{0});
    auto state = j.value("state", std::string{});
    s.state = state == "held"        ? slot_state::held
              : state == "releasing" ? slot_state::releasing
                                     : slot_state::reserved;
    s.since_ms = j.value("since", int64_t{0});
    s.front = j.value("front", true);
    slots.push_back(std::move(s));
  }
  st.slots.restore(std::move(slots), doc.value("last_no", uint64_t{0}));
  return true;
}

/// Stores the ledger; `then` once durable. On failure `failed` and the
/// actor stops.
void store(
  self_ptr self, std::function<void()> then,
  std::function<void(caf::error)> failed = [](caf::error) {}) {
  auto& st = self->state;
  store_entity(self, key_of(st), body_of(st.slots), std::move(then),
               std::move(failed));
}

/// Calls `f` with the queue of `key` (through the directory), or `failed`.
void with_queue(self_ptr self, const std::string& key,
                std::function<void(queue_actor)> f,
                std::function<void(caf::error)> failed) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, st.cfg.answer_timeout,
              cluster::lookup_atom::value, key)
    .then([f](caf::actor& q) { f(caf::actor_cast<queue_actor>(q)); },
          [failed](caf::error& err) { failed(err); });
}

caf::error refusal(claim_outcome o) {
  switch (o) {
    case claim_outcome::taken:
      return make_error(errc::taken, "another technician has taken it");
    case claim_outcome::not_open:
      return make_error(errc::not_open, "the request is no longer open");
    default:
      return make_error(errc::unavailable,
                        "the request could not be taken; please try again");
  }
}

caf::error no_answer() {
  return make_error(errc::unavailable,
                    "the queue did not answer; please try again");
}

using slot_promise = caf::typed_response_promise<slot>;
using bool_promise = caf::typed_response_promise<bool>;

/// The queue claims the request for the reserved slot `s`.
void claim(self_ptr self, slot s, slot_promise rp) {
  auto& st = self->state;
  auto tech = st.cfg.technician;
  with_queue(
    self, s.queue,
    [self, s, rp, tech](queue_actor q) mutable {
      auto& st = self->state;
      self
        ->request(q, st.cfg.answer_timeout, queue_claim_atom::value,
                  claim_msg{s.request, tech, s.no})
        .then(
          [self, s, rp](claim_answer& a) mutable {
            auto& st = self->state;
            auto step =
              st.slots.claim_answered(s.request, s.no, a.outcome, now(st));
            auto answer = [self, s, rp, a]() mutable {
              auto cur = self->state.slots.find(s.request);
              if (cur != nullptr && cur->no == s.no &&
                  cur->state == slot_state::held)
                rp.deliver(*cur);
              else if (a.outcome == claim_outcome::claimed)
                rp.deliver(
                  make_error(errc::not_open, "the request is no longer open"));
              else
                rp.deliver(refusal(a.outcome));
            };
            if (step == slot_ledger::step::none)
              st.order.after(answer);
            else
              store(self, answer,
                    [rp](caf::error err) mutable { rp.deliver(err); });
          },
          [rp](caf::error&) mutable { rp.deliver(no_answer()); });
    },
    [rp](caf::error) mutable { rp.deliver(no_answer()); });
}

/// Sends the release of slot `s` to its queue; `done(true)` once the queue
/// has stored it and the slot is free (stored too), `done(false)` when the
/// queue did not answer (the timer sends it again).
void send_release(self_ptr self, slot s, std::function<void(bool)> done) {
  auto tech = self->state.cfg.technician;
  with_queue(
    self, s.queue,
    [self, s, tech, done](queue_actor q) {
      auto& st = self->state;
      self
        ->request(q, st.cfg.answer_timeout, queue_release_atom::value,
                  release_msg{s.request, tech, s.no, s.front})
        .then(
          [self, s, done](bool) {
            auto& st = self->state;
            st.asking.erase(s.request);
            if (st.slots.released(s.request, s.no) == slot_ledger::step::gone)
              store(self, [done] { done(true); });
            else
              st.order.after([done] { done(true); });
          },
          [self, s, done](caf::error&) {
            self->state.asking.erase(s.request);
            done(false);
          });
    },
    [self, s, done](caf::error) {
      self->state.asking.erase(s.request);
      done(false);
    });
}

/// Asks the queue about slot `s` (who has its request), or sends its release
/// again; at most one question per slot at a time.
void ask(self_ptr self, const slot& s) {
  auto& st = self->state;
  if (!st.asking.insert(s.request).second)
    return;
  if (s.state == slot_state::releasing) {
    send_release(self, s, [](bool) {});
    return;
  }
  auto tech = st.cfg.technician;
  with_queue(
    self, s.queue,
    [self, s, tech](queue_actor q) {
      auto& st = self->state;
      self
        ->request(q, st.cfg.answer_timeout, queue_who_has_atom::value,
                  who_has_msg{s.request, tech, s.no})
        .then(
          [self, s, tech](holder_info& h) {
            auto& st = self->state;
            st.asking.erase(s.request);
            if (st.slots.holder_answered(s.request, s.no, tech, h, now(st)) !=
                slot_ledger::step::none)
              store(self, [] {});
          },
          [self, s](caf::error&) { self->state.asking.erase(s.request); });
    },
    [self, s](caf::error) { self->state.asking.erase(s.request); });
}

void ask_overdue(self_ptr self, int64_t timeout_ms) {
  auto& st = self->state;
  for (auto& s : st.slots.overdue(now(st), timeout_ms))
    ask(self, s);
}

} // namespace

presence_actor::behavior_type
presence_entity(presence_actor::stateful_pointer<presence_state> self,
                presence_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.now_ms)
    st.cfg.now_ms = [] { return wall_ms(); };
  st.fence.domain = key_of(st);
  rehydrate_behind_fence(
    self, [](presence_state& st) { return restore(st); },
    [self] { ask_overdue(self, 0); }); // every restored slot is unsure
  self->delayed_send(self, st.cfg.tick_interval, presence_tick_atom::value);
  return {
    [self](presence_accept_atom, uint64_t request,
           std::string& queue) -> caf::result<slot> {
      auto& st = self->state;
      auto got = st.slots.reserve(request, queue, st.cfg.max_sessions, now(st));
      if (auto e = std::get_if<errc>(&got)) {
        if (*e == errc::full) {
          error_details d;
          d.code = "at_capacity";
          return make_error(errc::full, "you are at your maximum of sessions",
                            d);
        }
        return make_error(*e, "this request is being taken; please wait");
      }
      auto s = std::get<slot>(got);
      auto rp = self->make_response_promise<slot>();
      if (s.state == slot_state::held) {
        st.order.after([rp, s]() mutable { rp.deliver(s); });
        return rp;
      }
      store(
        self, [self, s, rp] { claim(self, s, rp); },
        [rp](caf::error err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](presence_release_atom, uint64_t request,
           bool front) -> caf::result<bool> {
      auto& st = self->state;
      auto s = st.slots.release(request, front, now(st));
      if (!s)
        return false;
      auto rp = self->make_response_promise<bool>();
      auto done = [rp](bool ok) mutable {
        if (ok)
          rp.deliver(true);
        else
          rp.deliver(no_answer());
      };
      st.asking.insert(request);
      store(
        self, [self, s = *s, done] { send_release(self, s, done); },
        [rp](caf::error err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](presence_ended_atom, const ended_msg& m) {
      auto& st = self->state;
      if (st.slots.ended(m.request, m.no) == slot_ledger::step::gone)
        store(self, [] {});
    },
    [self](presence_max_atom, int32_t max) {
      self->state.cfg.max_sessions = max;
    },
    [self](presence_slots_atom) -> caf::result<std::vector<slot>> {
      auto& st = self->state;
      std::vector<slot> out;
      for (auto& [id, s] : st.slots.all())
        out.push_back(s);
      return out;
    },
    [self](presence_tick_atom) {
      auto& st = self->state;
      ask_overdue(self, st.cfg.answer_timeout.count());
      self->delayed_send(self, st.cfg.tick_interval, presence_tick_atom::value);
    },
  };
}

} // namespace openassist::actors
