#include "storage/persistence.hpp"

#include "monitoring/logging.hpp"

namespace openassist::storage {

const char* persistence_state::name = "persistence";

namespace {

using self_ptr = persistence_actor::stateful_pointer<persistence_state>;

// Commits `pending` (all of it, or the first max_batches_per_commit) and
// answers each writer.
void flush(self_ptr self) {
  auto& st = self->state;
  auto& m = st.cfg.metrics;
  while (!st.pending.empty()) {
    auto n = std::min(st.pending.size(), st.cfg.max_batches_per_commit);
    std::vector<write_batch*> batches;
    batches.reserve(n);
    for (size_t i = 0; i < n; ++i)
      batches.push_back(&st.pending[i].batch);
    std::vector<write_receipt> receipts;
    auto started = std::chrono::steady_clock::now();
    auto err = st.cfg.env->commit(batches, receipts, st.cfg.now_us());
    monitoring::observe(m.commit_seconds,
                        std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - started)
                          .count());
    if (!err) {
      monitoring::inc(m.commits);
      monitoring::inc(m.writes, static_cast<double>(n));
      monitoring::observe(m.commit_batch_size, static_cast<double>(n));
      for (size_t i = 0; i < n; ++i)
        st.pending[i].promise.deliver(std::move(receipts[i]));
    } else if (n > 1) {
      // One bad batch (say, an oversize key) must not fail its neighbours:
      // commit each alone so every writer gets its own answer.
      monitoring::inc(m.commit_errors);
      for (size_t i = 0; i < n; ++i) {
        std::vector<write_batch*> single{&st.pending[i].batch};
        auto single_err = st.cfg.env->commit(single, receipts, st.cfg.now_us());
        if (!single_err) {
          monitoring::inc(m.commits);
          monitoring::inc(m.writes);
          monitoring::observe(m.commit_batch_size, 1);
          st.pending[i].promise.deliver(std::move(receipts[0]));
        } else {
          monitoring::inc(m.commit_errors);
          st.pending[i].promise.deliver(single_err);
        }
      }
    } else {
      monitoring::inc(m.commit_errors);
      monitoring::component_logger("storage")->warn("commit failed: {}",
                                                    self->system().render(err));
      st.pending[0].promise.deliver(err);
    }
    st.pending.erase(st.pending.begin(),
                     st.pending.begin() + static_cast<ptrdiff_t>(n));
  }
}

} // namespace

persistence_actor::behavior_type
persistence(persistence_actor::stateful_pointer<persistence_state> self,
            persistence_config cfg) {
  self->state.cfg = std::move(cfg);
  return {
    [self](write_atom, write_batch& batch) -> caf::result<write_receipt> {
      auto& st = self->state;
      auto promise = self->make_response_promise<write_receipt>();
      st.pending.push_back({std::move(batch), promise});
      if (st.pending.size() >= st.cfg.max_batches_per_commit) {
        flush(self);
      } else if (!st.flush_scheduled) {
        // Everything already in the mailbox comes before this flush: that is
        // the group of the next commit.
        st.flush_scheduled = true;
        self->send(self, flush_atom::value);
      }
      return promise;
    },
    [self](flush_atom) {
      self->state.flush_scheduled = false;
      flush(self);
    },
    [self](sync_atom) -> uint64_t {
      flush(self);
      return self->state.cfg.env->commits();
    },
  };
}

} // namespace openassist::storage
