#include "node/supervisor.hpp"

#include <deque>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/hasher.hpp"
#include "monitoring/logging.hpp"

namespace openassist::node {

void readiness::set(const std::string& what, std::string why) {
  std::lock_guard<std::mutex> guard{m_};
  reasons_[what] = std::move(why);
}

void readiness::clear(const std::string& what) {
  std::lock_guard<std::mutex> guard{m_};
  reasons_.erase(what);
}

std::string readiness::why_not() const {
  std::lock_guard<std::mutex> guard{m_};
  std::string out;
  for (auto& [what, why] : reasons_)
    out += (out.empty() ? "" : "; ") + why;
  return out;
}

namespace {

struct proxy_state {
  std::string service;
  caf::actor target;
  size_t max_held = 0;
  std::deque<std::pair<caf::response_promise, caf::message>> held;
  static const char* name;
};

const char* proxy_state::name = "service_proxy";

caf::behavior proxy_actor(caf::stateful_actor<proxy_state>* self,
                          std::string service, size_t max_held) {
  self->state.service = std::move(service);
  self->state.max_held = max_held;
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& x) -> caf::result<caf::message> {
      auto& st = self->state;
      if (!st.target && st.held.size() >= st.max_held)
        return caf::make_error(caf::sec::request_receiver_down,
                               st.service + " is restarting");
      auto rp = self->make_response_promise();
      auto msg = x.move_content_to_message();
      if (st.target)
        rp.delegate(st.target, std::move(msg));
      else
        st.held.emplace_back(std::move(rp), std::move(msg));
      return caf::response_promise{};
    });
  return {
    [self](proxy_target_atom, caf::actor& target) {
      auto& st = self->state;
      st.target = std::move(target);
      if (!st.target)
        return;
      for (auto& [rp, msg] : st.held)
        rp.delegate(st.target, std::move(msg));
      st.held.clear();
    },
  };
}

using self_ptr = caf::stateful_actor<supervisor_state>*;
using service = supervisor_state::service;

auto log() {
  return monitoring::component_logger("supervisor");
}

void set_up(supervisor_state& st, const std::string& name, bool up) {
  if (st.cfg.up != nullptr)
    st.cfg.up->Add({{"service", name}}).Set(up ? 1 : 0);
}

void start(self_ptr self, service& s) {
  s.current = s.spec.spawn(self->system());
  s.started = std::chrono::steady_clock::now();
  // Linked: an incarnation's death reaches the exit handler, and the
  // supervisor's exit ends the incarnations it started.
  self->link_to(s.current);
  if (s.spec.proxy)
    self->send(s.spec.proxy, proxy_target_atom::value, s.current);
  set_up(self->state, s.spec.name, true);
}

void failed(self_ptr self, service& s, const caf::error& reason) {
  auto& st = self->state;
  auto& name = s.spec.name;
  auto why = self->system().render(reason);
  s.current = caf::actor{};
  set_up(st, name, false);
  if (!s.spec.spawn) {
    // Not safe to restart (the writer's queue and the directory's map of
    // live entities die with them): the node says so and stays up for the
    // operator to see why.
    st.cfg.ready->set(name, name + " stopped (" + why +
                              "); not restarted: restart the node");
    log()->error("service {} stopped ({}); not restarted: the node is not "
                 "ready until it is restarted",
                 name, why);
    return;
  }
  if (s.spec.proxy)
    self->send(s.spec.proxy, proxy_target_atom::value, caf::actor{});
  if (std::chrono::steady_clock::now() - s.started >= st.cfg.stable_after)
    s.failures = 0;
  auto delay = st.cfg.min_backoff;
  for (size_t i = 0; i < s.failures && delay < st.cfg.max_backoff; ++i)
    delay *= 2;
  delay = std::min(delay, st.cfg.max_backoff);
  ++s.failures;
  st.cfg.ready->set(name, name + " stopped (" + why + "), restarting");
  log()->warn("service {} stopped ({}); restarting in {} ms", name, why,
              delay.count());
  self->delayed_send(self, delay, service_restart_atom::value, name);
}

} // namespace

const char* supervisor_state::name = "supervisor";

supervisor_config supervision(prometheus::Registry& registry,
                              std::shared_ptr<readiness> ready) {
  supervisor_config cfg;
  cfg.ready = std::move(ready);
  cfg.restarts =
    &prometheus::BuildCounter()
       .Name("openassist_service_restarts_total")
       .Help("Service actors restarted by the node supervisor (hasher-worker: "
             "by the hasher pool), by service")
       .Register(registry);
  cfg.up = &prometheus::BuildGauge()
              .Name("openassist_service_up")
              .Help("1 while a service actor runs, by service")
              .Register(registry);
  return cfg;
}

caf::actor spawn_proxy(caf::actor_system& sys, std::string name,
                       size_t max_held) {
  return sys.spawn(proxy_actor, std::move(name), max_held);
}

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self,
                         supervisor_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.ready)
    st.cfg.ready = std::make_shared<readiness>();
  for (auto& spec : st.cfg.services) {
    auto& s = st.services[spec.name];
    s.spec = spec;
    if (spec.spawn) {
      start(self, s);
    } else {
      s.current = spec.handle;
      self->monitor(s.current);
      set_up(st, spec.name, true);
    }
  }
  auto find = [self](const caf::actor_addr& who) -> service* {
    for (auto& [name, s] : self->state.services)
      if (s.current && s.current.address() == who)
        return &s;
    return nullptr;
  };
  self->set_exit_handler([self, find](caf::exit_msg& msg) {
    if (auto* s = find(msg.source)) {
      self->unlink_from(msg.source);
      return failed(self, *s, msg.reason);
    }
    // The node stops: the proxies go too (the incarnations follow the
    // links).
    for (auto& [name, s] : self->state.services)
      if (s.spec.proxy)
        caf::anon_send_exit(s.spec.proxy, caf::exit_reason::user_shutdown);
    self->quit(msg.reason);
  });
  self->set_down_handler([self, find](caf::down_msg& msg) {
    if (auto* s = find(msg.source))
      failed(self, *s, msg.reason);
  });
  return {
    [self](service_restart_atom, const std::string& name) {
      auto& st = self->state;
      auto i = st.services.find(name);
      if (i == st.services.end() || i->second.current)
        return;
      auto& s = i->second;
      start(self, s);
      ++s.restarts;
      if (st.cfg.restarts != nullptr)
        st.cfg.restarts->Add({{"service", name}}).Increment();
      st.cfg.ready->clear(name);
      log()->info("service {} restarted ({} restarts so far)", name,
                  s.restarts);
    },
    [self](service_status_atom) {
      nlohmann::json out = nlohmann::json::object();
      for (auto& [name, s] : self->state.services)
        out[name] = {{"up", static_cast<bool>(s.current)},
                     {"restarts", s.restarts},
                     {"restarted", static_cast<bool>(s.spec.spawn)}};
      return out.dump();
    },
    [self](service_kill_atom, const std::string& name) -> caf::result<bool> {
      auto& st = self->state;
      if (name == "hasher-worker") {
        auto i = st.services.find("hasher");
        if (i == st.services.end() || !i->second.current)
          return false;
        auto rp = self->make_response_promise<bool>();
        self
          ->request(
            caf::actor_cast<actors::hasher_pool_actor>(i->second.current),
            std::chrono::seconds(10), actors::hasher_workers_atom::value)
          .then(
            [rp](std::vector<caf::actor>& workers) mutable {
              if (workers.empty() || !workers.front()) {
                rp.deliver(false);
                return;
              }
              caf::anon_send_exit(workers.front(),
                                  caf::exit_reason::unhandled_exception);
              rp.deliver(true);
            },
            [rp](caf::error&) mutable { rp.deliver(false); });
        return rp;
      }
      auto i = st.services.find(name);
      if (i == st.services.end() || !i->second.current)
        return false;
      log()->warn("test hook: killing service {}", name);
      caf::anon_send_exit(i->second.current,
                          caf::exit_reason::unhandled_exception);
      return true;
    },
  };
}

} // namespace openassist::node
