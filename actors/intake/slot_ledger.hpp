// The presence's side of the accept protocol (accept_protocol.hpp): the slots
// a technician uses against their maximum. A slot is reserved before its
// claim goes to the queue, held once the queue says the request is theirs,
// and releasing while the queue stores that it was given back. Every slot
// counts against the maximum in every state, so "never more sessions than the
// maximum" holds whatever the order of messages. Pure and deterministic; the
// presence actor stores the ledger before each message it sends.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/errc.hpp"
#include "actors/intake/accept_protocol.hpp"

namespace openassist::actors::intake {

enum class slot_state : uint8_t { reserved, held, releasing };

const char* to_string(slot_state x);

struct slot {
  uint64_t request = 0;
  std::string queue; ///< the queue's key (`queue/<account>/<portal>`)
  reservation_no no = 0;
  slot_state state = slot_state::reserved;
  int64_t since_ms = 0; ///< when it entered its state
  bool front = true;    ///< releasing: back to the front, else closed
  /// Restored from storage and not yet confirmed by the queue: a held slot
  /// whose request may have ended while this presence was down (the
  /// queue's `ended` is lost with a dead incarnation's mailbox). Not stored:
  /// every restored slot starts unsure.
  bool unsure = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot& x) {
  return f(x.request, x.queue, x.no, x.state, x.since_ms, x.front);
}

class slot_ledger {
public:
  /// What to do after an answer changed a slot.
  enum class step : uint8_t {
    none, ///< nothing changed (a late or repeated answer)
    held, ///< the slot is held now: the request is the technician's
    gone, ///< the slot is free again
  };

  /// Reserves a slot for `request` of `queue` under a new number: the slot
  /// to store and claim with. A request already held answers its held slot
  /// (nothing to claim); errc::bad_state while one is reserved or releasing;
  /// errc::full at `max` slots.
  std::variant<slot, errc> reserve(uint64_t request, std::string queue, int max,
                                   int64_t now_ms);

  /// The queue answered the claim of `no`.
  step claim_answered(uint64_t request, reservation_no no, claim_outcome o,
                      int64_t now_ms);
  /// The queue answered `who_has` about the slot of `no`: held when the
  /// queue names this technician and number (`me`), else gone (a reserved or
  /// releasing slot is then free; a held one lost its request).
  step holder_answered(uint64_t request, reservation_no no, uint64_t me,
                       const holder_info& h, int64_t now_ms);

  /// The technician gives `request` back: held -> releasing; the slot to
  /// send the release for (already releasing: the same again), nullopt when
  /// it holds no such request.
  std::optional<slot> release(uint64_t request, bool front, int64_t now_ms);
  /// The queue stored the release of `no`: the slot is free.
  step released(uint64_t request, reservation_no no);
  /// The queue says the request held under `no` ended.
  step ended(uint64_t request, reservation_no no);

  /// Slots to ask the queue about: reserved, releasing or unsure for
  /// `timeout_ms` or more (ask `who_has`, send the release again). After a
  /// restart the presence asks about every slot at once (`all()`), and
  /// again here until the queue has answered.
  std::vector<slot> overdue(int64_t now_ms, int64_t timeout_ms) const;

  int used() const { return static_cast<int>(slots_.size()); }
  bool has_room(int max) const { return used() < max; }
  const slot* find(uint64_t request) const;
  const std::map<uint64_t, slot>& all() const { return slots_; }
  /// Held requests (what the console shows as the technician's).
  std::vector<uint64_t> held() const;
  reservation_no last_no() const { return last_no_; }

  /// Rebuilds the ledger from storage; every slot is unsure until the
  /// queue answers about it.
  void restore(std::vector<slot> slots, reservation_no last_no);

private:
  slot* find_mut(uint64_t request);
  std::map<uint64_t, slot> slots_; ///< by request
  reservation_no last_no_ = 0;
};

} // namespace openassist::actors::intake
