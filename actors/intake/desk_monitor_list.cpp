// The list of an account's dashboard monitors, pushed to the managers'
// connections that follow it (docs/dashboards.md, `dashboards.follow`): a
// monitor another manager adds, renames, restarts or removes shows at once.

#include "actors/intake/desk_internal.hpp"

namespace openassist::actors::desk_detail {

namespace {

const org_user* manager_of(desk_state& st, uint64_t user) {
  auto& users = st.m.org().users;
  auto u = users.find(user);
  if (u == users.end() || u->second.deleted || u->second.r == role::technician)
    return nullptr;
  return &u->second;
}

std::string list_message(desk_state& st, const org_user& u) {
  auto out = monitor_list_json(st.m.org(), u, now(st));
  out["type"] = "dashboards.list";
  return dump_text(out);
}

} // namespace

caf::result<std::string> follow_monitor_list(self_ptr self, uint64_t user,
                                             const caf::actor& conn) {
  auto& st = self->state;
  auto* u = manager_of(st, user);
  if (u == nullptr)
    return make_error(errc::forbidden, "managers only");
  auto text = list_message(st, *u);
  if (conn) {
    auto [i, fresh] = st.list_followers.try_emplace(conn.address());
    if (fresh)
      self->monitor(conn);
    i->second = {conn, user, text};
  }
  return text;
}

void monitor_list_changed(self_ptr self) {
  // Each follower gets its list when it is not the one it was sent last.
  auto& st = self->state;
  for (auto& [addr, f] : st.list_followers) {
    auto* u = manager_of(st, f.user);
    if (u == nullptr)
      continue; // the login check closes the connection
    auto text = list_message(st, *u);
    if (text == f.sent)
      continue;
    f.sent = text;
    self->send(f.conn, desk_push_atom::value, std::move(text));
  }
}

bool monitor_list_down(desk_state& st, const caf::actor_addr& who) {
  return st.list_followers.erase(who) > 0;
}

} // namespace openassist::actors::desk_detail
