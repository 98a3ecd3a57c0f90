#include "actors/session/session_store.hpp"

#include <algorithm>
#include <vector>

#include <caf/all.hpp>

#include "actors/json_fields.hpp"
#include "actors/session/session.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

namespace {

using json = nlohmann::json;

std::string prefix_of(const session_state& st) {
  std::string key = st.cfg.account;
  key.push_back('\0');
  storage::put_be(key, st.cfg.request);
  return key;
}

// What the watchdog waits for before it asks the fence.
std::chrono::steady_clock::duration answer_limit() {
  return storage::write_timeout();
}

void watch(session_store::self_ptr self) {
  auto& w = self->state.writes;
  if (w.check_pending || w.empty())
    return;
  w.check_pending = true;
  self->delayed_send(self, answer_limit() / 4, session_writes_atom::value);
}

// The line `seq` is durable: pushed, counted, its sender told.
void stored(session_store::self_ptr self, uint64_t seq) {
  auto& st = self->state;
  auto i = st.writes.in_flight.find(seq);
  if (i == st.writes.in_flight.end())
    return; // decided already (by the watchdog's fence)
  auto w = std::move(i->second);
  st.writes.in_flight.erase(i);
  st.seq.durable_seq = std::max(st.seq.durable_seq, seq);
  publish_line(self, w.line);
  monitoring::inc(st.cfg.metrics.chat_lines);
  monitoring::observe(
    st.cfg.metrics.chat_line_seconds,
    std::chrono::duration<double>(std::chrono::steady_clock::now() - w.received)
      .count());
  w.done(true, seq);
}

void not_stored(session_store::self_ptr self, uint64_t seq) {
  auto& st = self->state;
  auto i = st.writes.in_flight.find(seq);
  if (i == st.writes.in_flight.end())
    return;
  auto w = std::move(i->second);
  st.writes.in_flight.erase(i);
  w.done(false, seq);
}

// After a fence: each of `seqs` was stored if the fence says its batch of
// the ended epoch was committed.
void decide_by_fence(session_store::self_ptr self,
                     const std::vector<uint64_t>& seqs, bool known) {
  auto& st = self->state;
  for (auto seq : seqs) {
    auto i = st.writes.in_flight.find(seq);
    if (i == st.writes.in_flight.end())
      continue;
    if (known && st.fence.was_stored(i->second.epoch, i->second.fseq))
      stored(self, seq);
    else
      not_stored(self, seq);
  }
}

void write_failed(session_store::self_ptr self, uint64_t seq,
                  const caf::error& err) {
  auto& st = self->state;
  auto i = st.writes.in_flight.find(seq);
  if (i == st.writes.in_flight.end())
    return;
  st.last_write_error = err;
  if (i->second.epoch != st.fence.epoch) {
    // Decided before the fence of a resync, which knows its fate.
    if (st.fence.was_stored(i->second.epoch, i->second.fseq))
      stored(self, seq);
    else
      not_stored(self, seq);
    return;
  }
  auto log = monitoring::component_logger("session");
  if (storage::definite_refusal(err)) {
    // Nothing written, and later lines of this epoch are refused too:
    // numbering goes on from what is stored.
    log->warn("[session {}/{}] line {} refused by storage: {}", st.cfg.account,
              st.cfg.request, seq, self->system().render(err));
    not_stored(self, seq);
    session_store::resync(self, [](bool) {});
    return;
  }
  // No answer (the writer went away): the fence of a resync says whether it
  // was stored.
  log->warn("[session {}/{}] line {} not acknowledged: {}", st.cfg.account,
            st.cfg.request, seq, self->system().render(err));
  session_store::resync(
    self, [self, seq](bool known) { decide_by_fence(self, {seq}, known); });
}

} // namespace

caf::error read_lines(const session_state& st, uint64_t from, uint64_t to,
                      const std::function<void(const json&)>& each) {
  if (from > to)
    return {};
  auto prefix = prefix_of(st);
  auto start = prefix;
  storage::put_be(start, from);
  return st.cfg.env->scan(storage::table::chat, start, to - from + 1,
                          [&](std::string_view k, std::string_view v) {
                            if (k.substr(0, prefix.size()) != prefix)
                              return false;
                            auto line = json::parse(v, nullptr, false);
                            if (line.is_discarded())
                              return true;
                            if (value_or<uint64_t>(line, "seq", 0) > to)
                              return false;
                            each(line);
                            return true;
                          });
}

namespace session_store {

void append(self_ptr self, json line, line_written done,
            storage::write_batch batch) {
  auto& st = self->state;
  auto seq = st.seq.next_seq++;
  line["seq"] = seq;
  line["time"] = st.cfg.now_ms();
  batch.ops.push_back({storage::table::chat,
                       chat_key(st.cfg.account, st.cfg.request, seq),
                       dump_text(line), storage::op_kind::put});
  session_write w;
  w.fseq = st.fence.stamp(batch);
  w.epoch = st.fence.epoch;
  w.received = std::chrono::steady_clock::now();
  w.sent = self->clock().now();
  w.line = std::move(line);
  w.done = std::move(done);
  st.writes.in_flight.emplace(seq, std::move(w));
  watch(self);
  // No clock timeout per line: the writer answers every batch (refusing it
  // when its deadline passed before its commit), and the watchdog covers a
  // writer that stopped answering.
  self
    ->request(st.cfg.persistence, caf::infinite, storage::write_atom::value,
              std::move(batch))
    .then([self, seq](const storage::write_receipt&) { stored(self, seq); },
          [self, seq](caf::error& err) { write_failed(self, seq, err); });
}

void resync(self_ptr self, std::function<void(bool)> then) {
  auto& st = self->state;
  self
    ->request(st.cfg.persistence, storage::write_timeout(),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self, then](const storage::fence_receipt& r) {
        auto& st = self->state;
        st.fence.reset(r);
        read_lines(st, st.seq.durable_seq + 1, UINT64_MAX - 1,
                   [&](const json& line) {
                     st.seq.durable_seq =
                       value_or<uint64_t>(line, "seq", st.seq.durable_seq);
                   });
        st.seq.next_seq = st.seq.durable_seq + 1;
        then(true);
      },
      [self, then](caf::error& err) {
        then(false);
        self->quit(err);
      });
}

void check_overdue(self_ptr self) {
  auto& st = self->state;
  st.writes.check_pending = false;
  auto limit = self->clock().now() - answer_limit();
  std::vector<uint64_t> overdue;
  for (auto& [seq, w] : st.writes.in_flight)
    if (w.sent < limit && w.epoch == st.fence.epoch)
      overdue.push_back(seq);
  if (!overdue.empty()) {
    monitoring::component_logger("session")->warn(
      "[session {}/{}] {} line(s) not acknowledged by storage within {} s",
      st.cfg.account, st.cfg.request, overdue.size(),
      std::chrono::duration_cast<std::chrono::seconds>(answer_limit()).count());
    st.last_write_error = caf::make_error(caf::sec::request_timeout);
    resync(self, [self, overdue](bool known) {
      decide_by_fence(self, overdue, known);
    });
  }
  watch(self);
}

} // namespace session_store

} // namespace openassist::actors
