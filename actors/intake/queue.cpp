#include "actors/intake/queue.hpp"

#include <nlohmann/json.hpp>

#include "actors/entity_store.hpp"
#include "actors/intake/presence.hpp"

namespace openassist::actors {

const char* queue_state::name = "queue";

std::string queue_key(const std::string& account, uint64_t portal) {
  return "queue/" + account + "/" + std::to_string(portal);
}

namespace {

using namespace intake;
using json = nlohmann::json;
using self_ptr = queue_actor::stateful_pointer<queue_state>;

std::string key_of(const queue_state& st) {
  return queue_key(st.cfg.account, st.cfg.portal);
}

std::string body_of(const claim_book& b) {
  json open = json::array();
  for (auto& e : b.entries())
    open.push_back({e.request, e.technician, e.no});
  json fences = json::array();
  for (auto& [tech, no] : b.fences())
    fences.push_back({tech, no});
  return json{{"open", open}, {"fences", fences}}.dump();
}

bool restore(queue_state& st) {
  auto rec = load_entity(*st.cfg.env, key_of(st));
  if (!rec)
    return false;
  if (!*rec)
    return true; // a new portal
  st.revision = (*rec)->revision;
  auto doc = json::parse((*rec)->body, nullptr, false);
  if (!doc.is_object())
    return false;
  std::vector<claim_book::entry> entries;
  std::map<uint64_t, reservation_no> fences;
  try {
    for (auto& e : doc.value("open", json::array()))
      entries.push_back({e.at(0).get<uint64_t>(), e.at(1).get<uint64_t>(),
                         e.at(2).get<uint64_t>()});
    for (auto& f : doc.value("fences", json::array()))
      fences[f.at(0).get<uint64_t>()] = f.at(1).get<uint64_t>();
  } catch (const json::exception&) {
    return false;
  }
  st.book.restore(entries, std::move(fences));
  return true;
}

/// Answers `rp` with `value` once the book is durable: stores it first when
/// `changed`, else waits for the writes before.
template <class T>
void answer(self_ptr self, bool changed, caf::typed_response_promise<T> rp,
            T value) {
  auto& st = self->state;
  auto deliver = [rp, value]() mutable { rp.deliver(value); };
  if (!changed) {
    st.order.after(deliver);
    return;
  }
  store_entity(self, key_of(st), body_of(st.book), deliver,
               [rp](caf::error err) mutable { rp.deliver(err); });
}

} // namespace

queue_actor::behavior_type
queue_entity(queue_actor::stateful_pointer<queue_state> self,
             queue_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.fence.domain = key_of(st);
  rehydrate_behind_fence(self, [](queue_state& st) { return restore(st); });
  return {
    [self](queue_open_atom, uint64_t request) -> caf::result<bool> {
      auto& st = self->state;
      bool added = !st.book.holder(request).open;
      if (added)
        st.book.open(request);
      auto rp = self->make_response_promise<bool>();
      answer(self, added, rp, added);
      return rp;
    },
    [self](queue_claim_atom, const claim_msg& m) -> caf::result<claim_answer> {
      auto& st = self->state;
      auto before = st.book.holder(m.request);
      auto outcome = st.book.claim(m);
      auto after = st.book.holder(m.request);
      bool changed =
        before.technician != after.technician || before.no != after.no;
      auto rp = self->make_response_promise<claim_answer>();
      answer(self, changed, rp, claim_answer{outcome});
      return rp;
    },
    [self](queue_who_has_atom,
           const who_has_msg& m) -> caf::result<holder_info> {
      auto [h, moved] = self->state.book.who_has(m);
      auto rp = self->make_response_promise<holder_info>();
      answer(self, moved, rp, h);
      return rp;
    },
    [self](queue_release_atom, const release_msg& m) -> caf::result<bool> {
      auto changed = self->state.book.release(m);
      auto rp = self->make_response_promise<bool>();
      answer(self, changed, rp, true);
      return rp;
    },
    [self](queue_close_atom, uint64_t request) -> caf::result<bool> {
      auto& st = self->state;
      if (!st.book.holder(request).open)
        return false;
      auto holder = st.book.close(request);
      auto rp = self->make_response_promise<bool>();
      store_entity(
        self, key_of(st), body_of(st.book),
        [self, rp, request, holder]() mutable {
          rp.deliver(true);
          if (!holder)
            return;
          // The holder's presence frees the slot; if it is down, its
          // rehydration asks who_has and learns the same.
          auto& st = self->state;
          auto key = presence_key(st.cfg.account, holder->technician);
          auto m = ended_msg{request, holder->no};
          self
            ->request(st.cfg.directory, std::chrono::seconds(5),
                      cluster::lookup_atom::value, key)
            .then(
              [self, m](caf::actor& p) {
                self->send(caf::actor_cast<presence_actor>(p),
                           presence_ended_atom::value, m);
              },
              [](caf::error&) {});
        },
        [rp](caf::error err) mutable { rp.deliver(err); });
      return rp;
    },
    [self](queue_holder_atom, uint64_t request) -> caf::result<holder_info> {
      auto rp = self->make_response_promise<holder_info>();
      answer(self, false, rp, self->state.book.holder(request));
      return rp;
    },
  };
}

} // namespace openassist::actors
