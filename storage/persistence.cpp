#include "storage/persistence.hpp"

#include <algorithm>
#include <thread>

#include "monitoring/logging.hpp"

namespace openassist::storage {

const char* persistence_state::name = "persistence";

int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

void publish_queue(const writer_status& s, const monitoring::storage_metrics& m,
                   int64_t now_us) {
  if (m.queue_depth != nullptr)
    m.queue_depth->Set(static_cast<double>(s.depth.load()));
  if (m.oldest_batch_age_seconds != nullptr) {
    auto oldest = s.oldest_sent_us.load();
    m.oldest_batch_age_seconds->Set(oldest == 0 || now_us < oldest
                                      ? 0.0
                                      : static_cast<double>(now_us - oldest) /
                                          1e6);
  }
}

namespace {

using self_ptr = persistence_actor::stateful_pointer<persistence_state>;

void count_refusal(persistence_state& st, storage_errc why) {
  if (auto* fam = st.cfg.metrics.refused)
    fam->Add({{"reason", to_string(why)}}).Increment();
}

// After a refusal every later batch of the same epoch is refused too, so the
// committed batches of an epoch are always a prefix of what it sent.
void mark_refused(persistence_state& st, const write_batch& b) {
  if (b.fence.empty())
    return;
  if (auto i = st.fences.find(b.fence);
      i != st.fences.end() && i->second.epoch == b.epoch)
    i->second.refused = true;
}

// "" if the batch may be committed as far as its fence goes, else why not.
std::string fence_problem(persistence_state& st, const write_batch& b,
                          int64_t now) {
  if (b.fence.empty())
    return {};
  auto i = st.fences.find(b.fence);
  if (i == st.fences.end() || i->second.epoch != b.epoch || b.epoch == 0)
    return "stale epoch of " + b.fence;
  i->second.last_used_us = now;
  if (i->second.refused)
    return "an earlier write of this epoch of " + b.fence + " was refused";
  return {};
}

// Whether a batch makes the map grow (anything but erases).
bool grows(const write_batch& b) {
  if (!b.events.empty())
    return true;
  return std::any_of(b.ops.begin(), b.ops.end(), [](const put_op& op) {
    return op.kind != op_kind::erase;
  });
}

void refuse(persistence_state& st, persistence_state::pending_write& w,
            storage_errc why, std::string context) {
  count_refusal(st, why);
  mark_refused(st, w.batch);
  w.promise.deliver(make_error(why, std::move(context)));
}

void update_status(self_ptr self) {
  auto& st = self->state;
  auto& s = *st.cfg.status;
  s.depth.store(st.pending.size() + self->mailbox().size());
  int64_t oldest = 0;
  for (auto& w : st.pending)
    if (w.batch.sent_us != 0 && (oldest == 0 || w.batch.sent_us < oldest))
      oldest = w.batch.sent_us;
  s.oldest_sent_us.store(oldest);
}

void refresh_usage(persistence_state& st) {
  auto u = st.cfg.env->usage();
  if (!u)
    return;
  st.usage = *u;
  auto& m = st.cfg.metrics;
  if (m.map_used_bytes != nullptr)
    m.map_used_bytes->Set(static_cast<double>(u->used_bytes));
  if (m.map_size_bytes != nullptr)
    m.map_size_bytes->Set(static_cast<double>(u->map_bytes));
  if (m.map_used_ratio != nullptr)
    m.map_used_ratio->Set(u->ratio());
  if (u->ratio() >= st.cfg.map_refuse_ratio)
    st.map_full = true;
  else if (u->ratio() <
           std::min(st.cfg.map_alert_ratio, st.cfg.map_refuse_ratio))
    st.map_full = false;
  if (m.map_full != nullptr)
    m.map_full->Set(st.map_full ? 1.0 : 0.0);
  if (u->ratio() < st.cfg.map_alert_ratio)
    return;
  auto now = st.cfg.steady_now_us();
  auto every = std::chrono::duration_cast<std::chrono::microseconds>(
                 st.cfg.map_alert_every)
                 .count();
  if (st.last_alert_us != 0 && now - st.last_alert_us < every)
    return;
  st.last_alert_us = now;
  monitoring::inc(m.map_alerts);
  monitoring::component_logger("storage")->warn(
    "the LMDB map is {:.0f}% full ({} of {} bytes); above {:.0f}% new data is "
    "refused (storage_full): raise storage.map-size-mb or remove old data",
    u->ratio() * 100, u->used_bytes, u->map_bytes,
    st.cfg.map_refuse_ratio * 100);
}

void committed(persistence_state& st, const write_batch& b) {
  if (b.fence.empty())
    return;
  if (auto i = st.fences.find(b.fence);
      i != st.fences.end() && i->second.epoch == b.epoch)
    i->second.committed = std::max(i->second.committed, b.seq);
}

caf::error commit_now(persistence_state& st, std::vector<write_batch*>& batches,
                      std::vector<write_receipt>& receipts) {
  if (st.cfg.before_commit)
    st.cfg.before_commit();
  if (st.cfg.commit_delay.count() > 0)
    std::this_thread::sleep_for(st.cfg.commit_delay);
  auto& m = st.cfg.metrics;
  auto started = std::chrono::steady_clock::now();
  auto err = st.cfg.env->commit(batches, receipts, st.cfg.now_us());
  monitoring::observe(
    m.commit_seconds,
    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
      .count());
  if (err) {
    monitoring::inc(m.commit_errors);
  } else {
    monitoring::inc(m.commits);
    monitoring::inc(m.writes, static_cast<double>(batches.size()));
    monitoring::observe(m.commit_batch_size,
                        static_cast<double>(batches.size()));
  }
  return err;
}

// Decides `pending` (all of it, or the first max_batches_per_commit at a
// time): refuses what may not be committed, commits the rest and answers
// each writer.
void flush(self_ptr self) {
  auto& st = self->state;
  while (!st.pending.empty()) {
    auto n = std::min(st.pending.size(), st.cfg.max_batches_per_commit);
    auto now = st.cfg.steady_now_us();
    bool full = st.map_full;
    std::vector<size_t> keep;
    keep.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto& w = st.pending[i];
      if (auto why = fence_problem(st, w.batch, now); !why.empty())
        refuse(st, w, storage_errc::fenced, why);
      else if (w.batch.deadline_us < now)
        refuse(st, w, storage_errc::expired,
               "the write waited past its deadline; nothing was written");
      else if (full && !w.batch.may_use_reserve && grows(w.batch))
        refuse(st, w, storage_errc::map_full,
               "storage is full; nothing was written");
      else
        keep.push_back(i);
    }
    if (!keep.empty()) {
      // Ends the commit interval's wait: after this flush the next batch
      // either waits for the interval or finds the writer idle.
      auto end_commit = [&st] {
        st.last_commit_end_us = st.cfg.steady_now_us();
      };
      std::vector<write_batch*> batches;
      batches.reserve(keep.size());
      for (auto i : keep)
        batches.push_back(&st.pending[i].batch);
      std::vector<write_receipt> receipts;
      auto err = commit_now(st, batches, receipts);
      if (!err) {
        for (size_t j = 0; j < keep.size(); ++j) {
          committed(st, st.pending[keep[j]].batch);
          st.pending[keep[j]].promise.deliver(std::move(receipts[j]));
        }
      } else if (keep.size() > 1) {
        // One bad batch (say, an oversize key) must not fail its neighbours:
        // commit each alone so every writer gets its own answer.
        for (auto i : keep) {
          auto& w = st.pending[i];
          if (auto why = fence_problem(st, w.batch, now); !why.empty()) {
            refuse(st, w, storage_errc::fenced, why);
            continue;
          }
          std::vector<write_batch*> single{&w.batch};
          if (auto e = commit_now(st, single, receipts)) {
            count_refusal(st, static_cast<storage_errc>(e.code()));
            mark_refused(st, w.batch);
            w.promise.deliver(e);
          } else {
            committed(st, w.batch);
            w.promise.deliver(std::move(receipts[0]));
          }
        }
      } else {
        auto& w = st.pending[keep[0]];
        monitoring::component_logger("storage")->warn(
          "commit failed: {}", self->system().render(err));
        count_refusal(st, static_cast<storage_errc>(err.code()));
        mark_refused(st, w.batch);
        w.promise.deliver(err);
      }
      refresh_usage(st);
      end_commit();
    }
    st.pending.erase(st.pending.begin(),
                     st.pending.begin() + static_cast<ptrdiff_t>(n));
  }
  update_status(self);
}

void count_fences(const persistence_state& st) {
  if (auto* g = st.cfg.metrics.fences)
    g->Set(static_cast<double>(st.fences.size()));
}

// Forgets the least recently used quarter of the fences beyond the bound.
void bound_fences(persistence_state& st, const std::string& keep) {
  if (st.fences.size() <= st.cfg.max_fences)
    return;
  std::vector<int64_t> used;
  used.reserve(st.fences.size());
  for (auto& [d, f] : st.fences)
    used.push_back(f.last_used_us);
  auto cut = used.begin() + static_cast<ptrdiff_t>(used.size() / 4);
  std::nth_element(used.begin(), cut, used.end());
  auto limit = *cut;
  for (auto i = st.fences.begin(); i != st.fences.end();)
    i = i->second.last_used_us <= limit && i->first != keep ? st.fences.erase(i)
                                                            : std::next(i);
}

} // namespace

persistence_actor::behavior_type
persistence(persistence_actor::stateful_pointer<persistence_state> self,
            persistence_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.status)
    st.cfg.status = std::make_shared<writer_status>();
  // Epochs only grow, also across restarts of the writer: start from the
  // wall clock.
  st.next_epoch = std::max<uint64_t>(1, static_cast<uint64_t>(st.cfg.now_us()));
  st.mailbox = monitoring::mailbox_probe(st.cfg.metrics.mailbox);
  refresh_usage(st);
  return {
    [self](write_atom, write_batch& batch) -> caf::result<write_receipt> {
      auto& st = self->state;
      st.mailbox.sample(self);
      auto now = st.cfg.steady_now_us();
      if (batch.sent_us == 0)
        batch.sent_us = now;
      if (batch.deadline_us == 0)
        batch.deadline_us =
          now + std::chrono::duration_cast<std::chrono::microseconds>(
                  st.cfg.default_deadline)
                  .count();
      auto promise = self->make_response_promise<write_receipt>();
      if (st.pending.size() + self->mailbox().size() >= st.cfg.max_queue) {
        persistence_state::pending_write w{std::move(batch), promise};
        refuse(st, w, storage_errc::busy,
               "the storage writer is busy; nothing was written");
        return promise;
      }
      st.pending.push_back({std::move(batch), promise});
      if (st.pending.size() >= st.cfg.max_batches_per_commit) {
        flush(self);
      } else {
        update_status(self);
        if (!st.flush_scheduled) {
          // Everything already in the mailbox comes before this flush: that
          // is the group of the next commit.
          st.flush_scheduled = true;
          self->send(self, flush_atom::value);
        }
      }
      return promise;
    },
    [self](flush_atom) {
      auto& st = self->state;
      if (st.pending.empty()) {
        // A full batch or a fence committed them meanwhile.
        st.flush_scheduled = false;
        return;
      }
      // Under load, commits keep the interval: the wait gathers the batches
      // arriving meanwhile into the same commit (one fsync).
      auto wait_us = st.cfg.commit_interval.count() -
                     (st.cfg.steady_now_us() - st.last_commit_end_us);
      if (st.last_commit_end_us != 0 && wait_us > 0 &&
          st.pending.size() < st.cfg.max_batches_per_commit) {
        self->delayed_send(self, std::chrono::microseconds{wait_us},
                           flush_atom::value);
        return;
      }
      st.flush_scheduled = false;
      flush(self);
    },
    [self](sync_atom) -> uint64_t {
      flush(self);
      return self->state.cfg.env->commits();
    },
    [self](fence_atom, const std::string& domain) -> fence_receipt {
      auto& st = self->state;
      // Everything sent before the fence is decided first.
      flush(self);
      auto& f = st.fences[domain];
      fence_receipt r{st.next_epoch++, f.committed};
      f = persistence_state::fence_state{r.epoch, 0, false,
                                         st.cfg.steady_now_us()};
      bound_fences(st, domain);
      count_fences(st);
      return r;
    },
    [self](unfence_atom, const std::string& domain, uint64_t epoch) {
      auto& st = self->state;
      // Its queued batches are decided first; an idle session has none,
      // and then no commit is forced (group commit stays whole).
      for (auto& w : st.pending)
        if (w.batch.fence == domain) {
          flush(self);
          break;
        }
      if (auto i = st.fences.find(domain);
          i != st.fences.end() && i->second.epoch == epoch)
        st.fences.erase(i);
      count_fences(st);
    },
  };
}

} // namespace openassist::storage
