// The queue's side of the accept protocol (accept_protocol.hpp): who holds
// each of the portal's open requests, and per technician the highest
// reservation number fenced by a `who_has`. "A request is taken once" lives
// here: a request has one holder (a technician and a reservation number) or
// none, and a claim only takes a request that has none. Pure and
// deterministic; the queue actor stores the book's change before it answers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "actors/intake/accept_protocol.hpp"

namespace openassist::actors::intake {

class claim_book {
public:
  /// One open request as stored: its holder (technician 0: waiting).
  struct entry {
    uint64_t request = 0;
    uint64_t technician = 0;
    reservation_no no = 0;
  };

  /// A new request waits for a technician.
  void open(uint64_t request);
  /// Gives the request to the claim's technician under its number when it
  /// waits (claimed; the same claim again is claimed too); `stale` for a
  /// fenced number, `taken` when someone else has it, `not_open` when it is
  /// not open.
  claim_outcome claim(const claim_msg& m);
  /// Fences the technician's numbers up to `m.no`, then answers the holder;
  /// `.second` is whether the fence moved (then the book must be stored
  /// before the answer goes out).
  std::pair<holder_info, bool> who_has(const who_has_msg& m);
  /// The holder gives the request back: waiting again (`front`) or closed.
  /// True when the book changed; a release of a number that does not hold
  /// the request changes nothing and is acknowledged all the same.
  bool release(const release_msg& m);
  /// The request ends (cancelled, closed): the holder to tell, if it had one.
  std::optional<holder_info> close(uint64_t request);

  holder_info holder(uint64_t request) const;
  bool waiting(uint64_t request) const;
  reservation_no fence(uint64_t technician) const;
  /// The requests `technician` holds.
  std::vector<uint64_t> held_by(uint64_t technician) const;
  size_t size() const { return open_.size(); }

  // -- storage
  std::vector<entry> entries() const;
  const std::map<uint64_t, reservation_no>& fences() const { return fences_; }
  void restore(const std::vector<entry>& entries,
               std::map<uint64_t, reservation_no> fences);

private:
  std::map<uint64_t, entry> open_;            ///< by request
  std::map<uint64_t, reservation_no> fences_; ///< by technician
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_book::entry& x) {
  return f(x.request, x.technician, x.no);
}

} // namespace openassist::actors::intake
