// The rules of one portal's queue: the order its waiting requests are served
// in (first come, first served, with a front for requests given back), their
// places, and the portal's handle time and wait estimates (docs/intake.md,
// "Wait estimates"). Pure and deterministic (issue 11: the model of the
// queue actor; the desk keeps one per portal until that actor exists).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace openassist::actors::desk {

class queue_model {
public:
  // -- the waiting requests --------------------------------------------------
  /// Puts request `id` at the back (a new request) or at the front (one a
  /// technician gave back); a request already waiting moves there. Returns
  /// its order, which the request stores so that a restart puts it back in
  /// the same place.
  int64_t push(uint64_t id, bool front);
  /// A stored waiting request back at its stored `order`. Later pushes go
  /// behind (or, at the front, before) every restored one, so the queue
  /// needs no counters of its own in storage.
  void restore(uint64_t id, int64_t order);
  /// The request left the queue (taken, cancelled, closed); false when it
  /// was not waiting.
  bool remove(uint64_t id);
  bool contains(uint64_t id) const { return order_of_.count(id) != 0; }
  size_t size() const { return order_of_.size(); }
  bool empty() const { return order_of_.empty(); }
  /// The request served next, if any.
  std::optional<uint64_t> front() const;
  /// Its place, 1 for the next; 0 when not waiting. O(place).
  size_t position(uint64_t id) const;
  /// Every waiting request, the next first.
  std::vector<uint64_t> in_order() const;

  // -- handle time and estimates ---------------------------------------------
  /// A session of the portal ended after `seconds`: the mean of the first
  /// ten, then a moving average in which each new session weighs a tenth.
  void record_handle(double seconds);
  /// The handle time in whole seconds: measured, else `default_s` (until the
  /// first session of the portal has ended).
  int64_t handle_s(int64_t default_s) const;
  /// Expected wait of the request at `place` (1 = next) when `servers`
  /// sessions end in parallel for the portal (each of its available
  /// technicians counted with its sessions in progress, at least once):
  /// places free about every handle / servers seconds, as in the Erlang-C
  /// queue. nullopt when nobody is available (servers <= 0).
  std::optional<int64_t> wait_estimate_s(size_t place, int servers,
                                         int64_t default_handle_s) const;
  double handle_average_s() const { return handle_avg_s_; }
  int64_t handle_sessions() const { return handle_n_; }
  /// From a snapshot; `sessions` 0 with an average means one stored without
  /// its count, which then weighs as ten.
  void restore_handle(double average_s, int64_t sessions);
  bool has_handle() const { return handle_avg_s_ > 0 || handle_n_ > 0; }

private:
  std::set<std::pair<int64_t, uint64_t>> waiting_; ///< (order, id)
  std::unordered_map<uint64_t, int64_t> order_of_;
  int64_t next_back_ = 1;  ///< orders grow at the back...
  int64_t next_front_ = 0; ///< ...and shrink at the front
  double handle_avg_s_ = 0;
  int64_t handle_n_ = 0;
};

} // namespace openassist::actors::desk
