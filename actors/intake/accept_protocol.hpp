// The messages of the accept protocol between a technician's presence and a
// portal's queue (docs/design/entity-actors.md, "Accept and assign"). Plain
// structs with an `inspect` function, so that they cross nodes with CAF's
// binary serializer (the cluster issue places the two on different nodes).
//
// In short: the presence reserves a slot under a new reservation number and
// stores it (refused at the maximum); it asks the queue to `claim` the
// request with that number; the queue gives the request to the first valid
// claim and stores the holder (technician and number). A claim is final: no
// confirmation round. What makes lost and late messages harmless is the
// number: a presence that does not know what became of a claim asks the
// queue `who_has`, and the queue first *fences* every number up to the one
// asked about, so a claim still on its way from an older incarnation of the
// presence is refused as `stale` when it arrives. A technician gives a
// request back with `release`; the queue tells the presence when a request it
// holds has `ended`.
#pragma once

#include <cstdint>
#include <string>

namespace openassist::actors::intake {

/// A reservation's number: per technician, growing, stored by the presence
/// before it is used (so a restart never reuses one).
using reservation_no = uint64_t;

/// presence -> queue: give `request` to `technician` under reservation `no`.
struct claim_msg {
  uint64_t request = 0;
  uint64_t technician = 0;
  reservation_no no = 0;
};

enum class claim_outcome : uint8_t {
  claimed,  ///< the request is the technician's under this number (stored)
  taken,    ///< another technician or another number has it
  not_open, ///< no such open request
  stale,    ///< the number was fenced by a `who_has`: the claim is void
};

const char* to_string(claim_outcome x);

/// queue -> presence: the answer to a claim.
struct claim_answer {
  claim_outcome outcome = claim_outcome::not_open;
};

/// presence -> queue: who has `request`? Fences every number of
/// `technician` up to `no` first: a claim with such a number that arrives
/// later is `stale`.
struct who_has_msg {
  uint64_t request = 0;
  uint64_t technician = 0;
  reservation_no no = 0;
};

/// queue -> presence: the holder of a request (technician 0: nobody), and
/// whether the request is still open.
struct holder_info {
  uint64_t technician = 0;
  reservation_no no = 0;
  bool open = false;
};

/// presence -> queue: the technician gives `request` back (its session
/// ended on their side, or they hand it back); with `front` it waits again
/// at the front of the queue, else it closes. The answer is an empty
/// acknowledgement once stored (also when the queue no longer had it for
/// them: nothing to do).
struct release_msg {
  uint64_t request = 0;
  uint64_t technician = 0;
  reservation_no no = 0;
  bool front = true;
};

/// queue -> presence: `request`, held under `no`, is over (the customer
/// cancelled, or it closed); the slot is free again.
struct ended_msg {
  uint64_t request = 0;
  reservation_no no = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_msg& x) {
  return f(x.request, x.technician, x.no);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, claim_answer& x) {
  return f(x.outcome);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, who_has_msg& x) {
  return f(x.request, x.technician, x.no);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, holder_info& x) {
  return f(x.technician, x.no, x.open);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, release_msg& x) {
  return f(x.request, x.technician, x.no, x.front);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ended_msg& x) {
  return f(x.request, x.no);
}

} // namespace openassist::actors::intake
