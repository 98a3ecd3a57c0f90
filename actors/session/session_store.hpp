#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <nlohmann/json.hpp>

#include "storage/write_batch.hpp"

// How a session stores its chat lines (docs/ARCHITECTURE.md, "The per-line
// path"): each line is numbered, written through the persistence actor and,
// once durable, pushed to the members who may see it. One line in flight
// costs one entry in `session_writes` (the line is moved there, not copied
// into callbacks) and one request without a clock timeout; a single
// watchdog per session, armed only while lines are in flight, decides lines
// whose answer is overdue.
namespace openassist::actors {

struct session_state;

/// The watchdog's turn.
using session_writes_atom = caf::atom_constant<caf::atom("ss_writes")>;

/// Called once a line's fate is known: stored (then with its number) or not.
using line_written = std::function<void(bool stored, uint64_t seq)>;

/// A line on its way to storage.
struct session_write {
  nlohmann::json line;
  line_written done;
  uint64_t fseq = 0;  ///< its batch's number in the fence's epoch
  uint64_t epoch = 0; ///< the fence's epoch it was written in
  std::chrono::steady_clock::time_point received; ///< for the latency metric
  std::chrono::steady_clock::time_point sent;     ///< by the actor clock
};

/// The lines in flight, by line number, and the watchdog's state.
struct session_writes {
  std::map<uint64_t, session_write> in_flight;
  bool check_pending = false;
  bool empty() const { return in_flight.empty(); }
};

namespace session_store {

using self_ptr = caf::stateful_actor<session_state>*;

/// Numbers and times `line`, stores it with whatever `batch` holds, then
/// pushes it (publish_line) and calls `done(true, seq)`; `done(false, seq)`
/// if it was not stored. A retry of an unstored line must store it anew.
void append(self_ptr self, nlohmann::json line, line_written done,
            storage::write_batch batch = {});

/// After a refused or unanswered line: a new fence (every line of the old
/// epoch decided first), then numbering goes on after the last stored line;
/// `then(false)` and the session stops if storage does not answer.
void resync(self_ptr self, std::function<void(bool)> then);

/// The watchdog (session_writes_atom): lines without an answer after
/// storage::write_timeout() are decided by a resync's fence.
void check_overdue(self_ptr self);

} // namespace session_store

/// Reads the stored lines with from <= seq <= to, in order.
caf::error read_lines(const session_state& st, uint64_t from, uint64_t to,
                      const std::function<void(const nlohmann::json&)>& each);

/// Pushes a stored line to the session's members who may see it (and to its
/// recording). Defined with the session actor (actors/session/session.cpp).
void publish_line(session_store::self_ptr self, const nlohmann::json& line);

} // namespace openassist::actors
