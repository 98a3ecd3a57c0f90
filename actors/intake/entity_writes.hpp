// How the intake's entity actors (presence, queue) store their one record
// and keep "durable before visible": every change is written through the
// persistence actor under the incarnation's fence, and every answer or
// message waits until each write issued before it is durable
// (`write_order::after`), so that nobody ever sees a change that a failed
// write could take back. A failed write stops the actor: the directory's
// next lookup rehydrates it from what was stored.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>

#include <caf/all.hpp>

#include "actors/entity_store.hpp"
#include "actors/errc.hpp"
#include "monitoring/logging.hpp"
#include "schema/records.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors::intake {

/// Orders answers behind the writes issued before them.
class write_order {
public:
  /// A write is issued: its number.
  uint64_t issue() { return ++issued_; }
  /// Write `n` is durable (so is every one before it: one fence, committed
  /// as a prefix): runs what waited for it.
  void done(uint64_t n) {
    if (n > done_)
      done_ = n;
    while (!waiting_.empty() && waiting_.front().first <= done_) {
      auto f = std::move(waiting_.front().second);
      waiting_.pop_front();
      f();
    }
  }
  /// Runs `f` now if every issued write is durable, else once it is.
  void after(std::function<void()> f) {
    if (done_ >= issued_) {
      f();
      return;
    }
    waiting_.emplace_back(issued_, std::move(f));
  }
  size_t pending() const { return issued_ - done_; }

private:
  uint64_t issued_ = 0;
  uint64_t done_ = 0;
  std::deque<std::pair<uint64_t, std::function<void()>>> waiting_;
};

/// Stores `body` as the record of `key`; `then` runs once it (and every
/// write before it) is durable. On failure `failed` gets the answer to give
/// (errc::write_failed) and the actor quits.
template <class Self>
void store_entity(Self self, const std::string& key, std::string body,
                  std::function<void()> then,
                  std::function<void(caf::error)> failed) {
  auto& st = self->state;
  schema::entity_record rec{key, ++st.revision, st.fence.epoch,
                            std::move(body)};
  auto batch = entity_put(rec);
  st.fence.stamp(batch, st.cfg.write_deadline);
  auto n = st.order.issue();
  st.order.after(std::move(then)); // queued behind write n
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::write_atom::value, std::move(batch))
    .then([self, n](storage::write_receipt&) { self->state.order.done(n); },
          [self, failed](caf::error& err) {
            failed(write_failed(err, "the change could not be stored; "
                                     "please try again"));
            self->quit(err);
          });
}

/// Reads the actor's state behind a fence of its key (`st.fence.domain`):
/// whatever an earlier incarnation left in the writer's queue is decided
/// first and can no longer land after the read. Nothing else is handled
/// before (await). `restore(st)` is false when what is stored does not
/// decode: the actor then stops with corrupt_record, logged. `then()` runs
/// after a restore.
template <class Self, class Restore>
void rehydrate_behind_fence(
  Self self, Restore restore, std::function<void()> then = [] {}) {
  auto& st = self->state;
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self, restore, then](const storage::fence_receipt& r) {
        auto& st = self->state;
        st.fence.reset(r);
        if (!restore(st)) {
          monitoring::component_logger(st.name)->error(
            "[{}] what is stored does not decode", st.fence.domain);
          self->quit(storage::make_error(storage::storage_errc::corrupt_record,
                                         st.fence.domain));
          return;
        }
        then();
      },
      [self](caf::error& err) { self->quit(err); });
}

} // namespace openassist::actors::intake
