// The rules of one technician's presence: the status they chose, their
// consoles and the grace after the last one left, and the requests they hold
// against their maximum. Pure and deterministic (issue 11: the model of the
// presence actor; the desk keeps one per technician until that actor exists).
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace openassist::actors::desk {

class presence_model {
public:
  /// The statuses a technician may choose.
  static bool valid_status(const std::string& s);

  // -- status and consoles ---------------------------------------------------
  /// What the technician chose ("available" until they choose).
  const std::string& chosen() const { return chosen_; }
  /// Sets the chosen status (valid_status); true when it changed.
  bool choose(const std::string& s);
  /// What others see: the chosen status while a console is connected, else
  /// "offline" (also during the grace after the last console left).
  std::string effective() const;
  bool online() const { return consoles_ > 0; }
  int consoles() const { return consoles_; }
  /// A console connected; true when the technician came online by it.
  bool connect();
  /// A console left; true when it was the last (the grace then runs until
  /// `now_ms + grace_ms`: a console back before keeps everything).
  bool disconnect(int64_t now_ms, int64_t grace_ms);
  /// After a restart: consoles get until `deadline_ms` to come back.
  void expect_until(int64_t deadline_ms);
  /// The grace ran out (once): the technician is gone for real, their
  /// requests go elsewhere.
  bool grace_over(int64_t now_ms);
  int64_t offline_at_ms() const { return offline_at_ms_; }
  bool expecting() const { return offline_at_ms_ != 0; }

  // -- the requests held -----------------------------------------------------
  /// The one place the load grows: takes request `id` if below `max` (or
  /// held already); false, and nothing changed, at the maximum. The
  /// invariant "never more sessions than the maximum" lives here.
  [[nodiscard]] bool hold(uint64_t id, int max, int64_t now_ms);
  /// Takes `id` whatever the maximum: restoring what storage says is held.
  void restore_held(uint64_t id) { held_.insert(id); }
  void release(uint64_t id) { held_.erase(id); }
  bool holds(uint64_t id) const { return held_.count(id) != 0; }
  int load() const { return static_cast<int>(held_.size()); }
  bool has_room(int max) const { return load() < max; }
  const std::set<uint64_t>& held() const { return held_; }
  /// When the technician last got a request (round-robin routing).
  int64_t last_assigned_ms() const { return last_assigned_ms_; }

  // -- storage
  // -----------------------------------------------------------------
  /// What a snapshot keeps: the chosen status and the last assignment.
  void restore(std::string chosen, int64_t last_assigned_ms);

private:
  std::string chosen_ = "available";
  int consoles_ = 0;
  int64_t offline_at_ms_ = 0; ///< grace end after the last console left; 0 none
  int64_t last_assigned_ms_ = 0;
  std::set<uint64_t> held_; ///< assigned or active requests
};

} // namespace openassist::actors::desk
