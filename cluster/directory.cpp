#include "cluster/directory.hpp"

#include <caf/actor_system.hpp>
#include <caf/system_messages.hpp>

namespace openassist::cluster {

const char* directory_state::name = "directory";

const char* to_string(directory_errc x) {
  switch (x) {
    case directory_errc::bad_key:
      return "bad_key";
    case directory_errc::unknown_kind:
      return "unknown_kind";
    case directory_errc::spawn_failed:
      return "spawn_failed";
  }
  return "unknown";
}

bool split_key(const std::string& key, std::string& kind, std::string& id) {
  if (key.empty() || key.size() > max_key_length)
    return false;
  auto slash = key.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == key.size())
    return false;
  for (char c : key)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return false;
  kind = key.substr(0, slash);
  id = key.substr(slash + 1);
  return true;
}

namespace {

void track_alive(directory_state& st, const std::string& kind, double delta) {
  if (st.cfg.metrics.alive != nullptr)
    st.cfg.metrics.alive->Add({{"kind", kind}}).Increment(delta);
}

} // namespace

directory_actor::behavior_type
directory(directory_actor::stateful_pointer<directory_state> self,
          directory_config cfg) {
  self->state.cfg = std::move(cfg);
  // Stopping the directory (node shutdown) stops every entity it spawned.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [key, entity] : self->state.live)
      self->send_exit(entity, msg.reason);
    self->quit(msg.reason);
  });
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    auto i = st.key_of.find(msg.source);
    if (i == st.key_of.end())
      return;
    std::string kind, id;
    if (split_key(i->second, kind, id))
      track_alive(st, kind, -1);
    st.live.erase(i->second);
    st.key_of.erase(i);
  });
  return {
    [self](lookup_atom, const std::string& key) -> caf::result<caf::actor> {
      auto& st = self->state;
      if (auto i = st.live.find(key); i != st.live.end())
        return i->second;
      std::string kind, id;
      if (!split_key(key, kind, id))
        return make_error(
          directory_errc::bad_key,
          "entity key must be <kind>/<id>, printable, at most " +
            std::to_string(max_key_length) + " bytes");
      auto f = st.cfg.factories.find(kind);
      if (f == st.cfg.factories.end())
        return make_error(directory_errc::unknown_kind,
                          "no entity kind '" + kind + "'");
      auto entity = f->second(self->home_system(), key);
      if (!entity)
        return make_error(directory_errc::spawn_failed, key);
      self->monitor(entity);
      st.key_of.emplace(entity.address(), key);
      st.live.emplace(key, entity);
      track_alive(st, kind, 1);
      return entity;
    },
    [self](count_atom) -> uint64_t { return self->state.live.size(); },
  };
}

} // namespace openassist::cluster
