// The desk's copy of the account's organisation: pushed by the account actor
// on every stored change (the desk subscribes and watches it), fetched for a
// name the desk does not know; such names are remembered for a while.

#include "actors/intake/desk_internal.hpp"

#include "actors/org/account.hpp"
#include "monitoring/logging.hpp"

namespace openassist::actors::desk_detail {

void apply_org(self_ptr self, uint64_t revision, const std::string& body) {
  auto& st = self->state;
  // An answer overtaken by a newer push changes nothing.
  if (body.empty() ||
      (st.m.org_revision() != 0 && revision <= st.m.org_revision()))
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
  dashboards_org_changed(self);
  monitor_list_changed(self);
  desk::effects fx;
  st.m.org_changed(now(st), fx);
  commit(self, std::move(fx), [](bool) {});
  refresh_sessions(self);
}

// Names unknown at a fetch stay unknown (not_found without a refetch) this
// long; at most this many are remembered, the oldest go first.
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

// Asks the account for the organisation: `subscribe` also to be told of its
// changes from now on (the account is watched: when it stops the desk
// subscribes again; until then, and after a failed subscription, the tick
// asks again every second). `blocking`: no other message is handled before
// the answer.
void ask_org(self_ptr self, bool subscribe, bool blocking) {
  auto& st = self->state;
  if (st.org_fetch_running && !blocking)
    return;
  st.org_fetch_running = true;
  st.last_org_fetch_ms = now(st);
  auto on_err = [self, subscribe](caf::error&) {
    self->state.org_fetch_running = false;
    if (subscribe)
      self->state.following_org = false;
    serve_org_waiters(self);
  };
  auto on_org = [self, subscribe](uint64_t revision, std::string& body) {
    self->state.org_fetch_running = false;
    if (subscribe)
      self->state.following_org = true;
    apply_org(self, revision, body);
    serve_org_waiters(self);
  };
  auto lookup =
    self->request(st.cfg.directory, std::chrono::seconds(10),
                  cluster::lookup_atom::value, "account/" + st.cfg.account);
  auto ask = [self, subscribe, blocking, on_org, on_err](caf::actor& a) {
    auto& st = self->state;
    auto account = caf::actor_cast<account_actor>(a);
    auto known = st.m.org_revision();
    if (subscribe && st.org_source != a.address()) {
      st.org_source = a.address();
      self->monitor(a);
    }
    auto req = subscribe
                 ? self->request(account, std::chrono::seconds(10),
                                 org_subscribe_atom::value,
                                 caf::actor_cast<caf::actor>(self), known)
                 : self->request(account, std::chrono::seconds(10),
                                 org_snapshot_atom::value, known);
    if (blocking)
      req.await(on_org, on_err);
    else
      req.then(on_org, on_err);
  };
  if (blocking)
    lookup.await(ask, on_err);
  else
    lookup.then(ask, on_err);
}

void follow_org(self_ptr self, bool blocking) {
  ask_org(self, true, blocking);
}

void fetch_org(self_ptr self, bool blocking) {
  ask_org(self, false, blocking);
}

// The account actor stopped: its subscribers are gone with it.
bool org_source_down(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  if (!who || who != st.org_source)
    return false;
  st.org_source = {};
  st.following_org = false;
  st.org_fetch_running = false;
  follow_org(self, false);
  return true;
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

} // namespace openassist::actors::desk_detail
