#include "actors/identity/hasher.hpp"

#include <thread>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "actors/identity/credentials.hpp"
#include "monitoring/logging.hpp"

namespace openassist::actors {

const char* hasher_pool_state::name = "hasher_pool";

namespace {

// Lowers the calling thread's scheduling priority once (Linux: nice is per
// thread), so a hashing worker yields the cores to the node's actors.
void lower_priority(int nice) {
  thread_local bool done = false;
  if (done || nice == 0)
    return;
  done = true;
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice);
}

hasher_actor::behavior_type hasher_worker(hasher_actor::pointer, int nice) {
  return {
    [nice](hash_atom, const std::vector<std::string>& passwords)
      -> std::map<std::string, std::string> {
      lower_priority(nice);
      std::map<std::string, std::string> out;
      for (auto& p : passwords)
        if (!out.count(p))
          if (auto h = hash_password(p))
            out.emplace(p, std::move(*h));
      return out;
    },
    [nice](verify_atom, const std::string& stored,
           const std::string& password) {
      lower_priority(nice);
      return verify_password(stored, password);
    },
  };
}

} // namespace

hasher_actor::behavior_type hasher(hasher_actor::pointer self) {
  return hasher_worker(self, 0);
}

namespace {

using pool_ptr = hasher_pool_actor::stateful_pointer<hasher_pool_state>;
using job = hasher_pool_state::job;

// A chunk of argon2id hashes takes well under a minute even on a slow,
// shared machine; a worker that takes longer counts as failed.
constexpr auto worker_timeout = std::chrono::minutes(5);

hasher_actor spawn_worker(pool_ptr self) {
  // A detached worker has a thread of its own, whose priority it lowers.
  auto w =
    self->state.cfg.detached
      ? self->system().spawn<caf::detached>(hasher_worker, self->state.cfg.nice)
      : self->system().spawn(hasher);
  // Linked: a worker's death reaches the pool's exit handler, and the
  // pool's end ends its workers.
  self->link_to(w);
  return w;
}

size_t bulk_busy(const hasher_pool_state& st) {
  size_t n = 0;
  for (auto& w : st.workers)
    n += w.job != 0 && w.bulk;
  return n;
}

void dispatch(pool_ptr self);

void run(pool_ptr self, size_t index, job j, bool bulk) {
  auto& st = self->state;
  auto& w = st.workers[index];
  auto id = j.id;
  w.job = id;
  w.bulk = bulk;
  bool verify = j.verify;
  auto stored = j.stored;
  auto passwords = j.passwords;
  auto handle = w.handle;
  st.running.emplace(id, std::move(j));
  // Whichever comes first (answer, error, the worker's death) ends the job.
  auto finish = [self, id](auto deliver) {
    auto& st = self->state;
    auto i = st.running.find(id);
    if (i == st.running.end())
      return;
    auto done = std::move(i->second);
    st.running.erase(i);
    for (auto& w : st.workers)
      if (w.job == id)
        w.job = 0;
    deliver(done);
    dispatch(self);
  };
  auto on_error = [finish](caf::error& err) {
    finish([&](job& d) { d.failed(std::move(err)); });
  };
  if (verify) {
    self
      ->request(handle, worker_timeout, verify_atom::value, std::move(stored),
                std::move(passwords.front()))
      .then(
        [finish](bool ok) {
          finish([&](job& d) { d.done(caf::make_message(ok)); });
        },
        on_error);
    return;
  }
  self->request(handle, worker_timeout, hash_atom::value, std::move(passwords))
    .then(
      [finish](std::map<std::string, std::string>& hashes) {
        finish([&](job& d) { d.done(caf::make_message(std::move(hashes))); });
      },
      on_error);
}

void dispatch(pool_ptr self) {
  auto& st = self->state;
  auto n = st.workers.size();
  auto bulk_limit = n > 1 ? n - 1 : 1;
  for (size_t i = 0; i < n; ++i) {
    if (st.workers[i].job != 0 || !st.workers[i].handle)
      continue;
    if (st.interactive.empty() && st.bulk.empty())
      return;
    // An import keeps one worker while logins wait, so it ends; logins get
    // the others (and alternate with it on a single worker).
    bool take_bulk = false;
    auto busy = bulk_busy(st);
    if (!st.bulk.empty()) {
      if (st.interactive.empty())
        take_bulk = busy < bulk_limit || n == 1;
      else
        take_bulk = busy == 0 && (n > 1 || st.last_was_interactive);
    }
    if (!take_bulk && st.interactive.empty())
      continue;
    auto& q = take_bulk ? st.bulk : st.interactive;
    auto j = std::move(q.front());
    q.pop_front();
    st.last_was_interactive = !take_bulk;
    run(self, i, std::move(j), take_bulk);
  }
}

caf::error busy_error() {
  return caf::make_error(caf::sec::request_timeout,
                         "password hashing is overloaded");
}

} // namespace

hasher_pool_actor::behavior_type
hasher_pool(hasher_pool_actor::stateful_pointer<hasher_pool_state> self,
            hasher_pool_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (st.cfg.workers == 0)
    st.cfg.workers = std::max(1u, std::thread::hardware_concurrency());
  if (st.cfg.chunk == 0)
    st.cfg.chunk = 1;
  for (size_t i = 0; i < st.cfg.workers; ++i)
    st.workers.push_back({spawn_worker(self), 0, false});
  self->set_exit_handler([self](caf::exit_msg& dm) {
    auto& st = self->state;
    bool worker = false;
    for (auto& w : st.workers) {
      if (caf::actor_cast<caf::actor_addr>(w.handle) != dm.source)
        continue;
      worker = true;
      self->unlink_from(dm.source);
      monitoring::component_logger("hasher")->warn(
        "a password hashing worker stopped ({}); starting another",
        self->system().render(dm.reason));
      auto id = w.job;
      w.handle = spawn_worker(self);
      w.job = 0;
      if (auto i = st.running.find(id); i != st.running.end()) {
        auto done = std::move(i->second);
        st.running.erase(i);
        done.failed(caf::make_error(caf::sec::request_receiver_down,
                                    "the hashing worker stopped"));
      }
      if (st.cfg.on_restart)
        st.cfg.on_restart();
    }
    if (!worker)
      return self->quit(dm.reason);
    dispatch(self);
  });
  return {
    [self](hash_atom, std::vector<std::string>& passwords)
      -> caf::result<std::map<std::string, std::string>> {
      auto& st = self->state;
      if (passwords.empty())
        return std::map<std::string, std::string>{};
      if (st.interactive.size() + st.bulk.size() >= st.cfg.max_queued)
        return busy_error();
      auto rp =
        self->make_response_promise<std::map<std::string, std::string>>();
      struct gather {
        std::map<std::string, std::string> out;
        size_t left = 0;
        bool failed = false;
      };
      auto all = std::make_shared<gather>();
      bool bulk = passwords.size() > 1;
      auto chunk = st.cfg.chunk;
      for (size_t at = 0; at < passwords.size(); at += chunk) {
        job j;
        j.id = st.next_job++;
        auto end = std::min(passwords.size(), at + chunk);
        j.passwords.assign(std::make_move_iterator(passwords.begin() + at),
                           std::make_move_iterator(passwords.begin() + end));
        j.done = [all, rp](caf::message m) mutable {
          if (all->failed)
            return;
          auto& part = m.get_as<std::map<std::string, std::string>>(0);
          all->out.insert(part.begin(), part.end());
          if (--all->left == 0)
            rp.deliver(std::move(all->out));
        };
        j.failed = [all, rp](caf::error err) mutable {
          if (all->failed)
            return;
          all->failed = true;
          rp.deliver(std::move(err));
        };
        ++all->left;
        (bulk ? st.bulk : st.interactive).push_back(std::move(j));
      }
      dispatch(self);
      return rp;
    },
    [self](verify_atom, std::string& stored,
           std::string& password) -> caf::result<bool> {
      auto& st = self->state;
      if (st.interactive.size() + st.bulk.size() >= st.cfg.max_queued)
        return busy_error();
      auto rp = self->make_response_promise<bool>();
      job j;
      j.id = st.next_job++;
      j.verify = true;
      j.stored = std::move(stored);
      j.passwords.push_back(std::move(password));
      j.done = [rp](caf::message m) mutable { rp.deliver(m.get_as<bool>(0)); };
      j.failed = [rp](caf::error err) mutable { rp.deliver(std::move(err)); };
      st.interactive.push_back(std::move(j));
      dispatch(self);
      return rp;
    },
    [self](hasher_workers_atom) {
      std::vector<caf::actor> out;
      for (auto& w : self->state.workers)
        out.push_back(caf::actor_cast<caf::actor>(w.handle));
      return out;
    },
  };
}

} // namespace openassist::actors
