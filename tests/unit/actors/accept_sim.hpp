// A small world of presences and queues that speak the accept protocol
// (actors/intake/accept_protocol.hpp) over the real slot_ledger and
// claim_book, with every schedule a test or fuzzer picks: which message is
// delivered next, restarts (what was in a dead incarnation's mailbox is
// lost, answers to it too), requests whose answer timed out, timers, a
// technician giving a request back, a customer cancelling. The delivery
// rules are CAF's: messages from one incarnation to another arrive in the
// order they were sent; nothing else is ordered. Both actors store their
// whole state before they send, so a restart keeps it.
//
// `check()` names a broken invariant after any step; `check_quiet()` what
// must hold once every message is delivered and every timer has run.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "actors/intake/claim_book.hpp"
#include "actors/intake/slot_ledger.hpp"

namespace openassist::accept_sim {

using namespace openassist::actors::intake;

struct config {
  int technicians = 2; ///< ids 1..n
  int queues = 2;      ///< keys q0, q1, ...
  int requests = 2;    ///< per queue: ids q*100 + 1..n
  int max = 1;         ///< every technician's maximum
};

class world {
private:
  enum class kind : uint8_t {
    claim,
    claimed, // the answer to a claim
    who_has,
    holder, // the answer to who_has
    release,
    released, // the answer to release
    ended,
  };
  static bool is_answer(kind k) {
    return k == kind::claimed || k == kind::holder || k == kind::released;
  }
  struct msg {
    kind k = kind::claim;
    uint64_t request = 0;
    reservation_no no = 0;
    claim_msg claim{};
    claim_outcome outcome = claim_outcome::not_open;
    holder_info holder{};
    bool front = true;
  };
  struct ref {
    char kind; // 'p' or 'q'
    int id;
    int inc;
    auto key() const { return std::tie(kind, id, inc); }
    bool operator<(const ref& o) const { return key() < o.key(); }
  };
  using channels = std::map<std::pair<ref, ref>, std::deque<msg>>;
  static msg make(kind k, uint64_t request, reservation_no no) {
    msg m;
    m.k = k;
    m.request = request;
    m.no = no;
    return m;
  }

  /// Delivers the message at the head of channel `c`.
  bool deliver(channels::iterator c) {
    if (c == channels_.end())
      return false;
    auto m = c->second.front();
    auto [from, to] = c->first;
    c->second.pop_front();
    if (c->second.empty())
      channels_.erase(c);
    if (inc_[{to.kind, to.id}] != to.inc) {
      note("lost " + name(m));
      return true;
    }
    note("deliver " + name(m));
    handle(from, to, m);
    return true;
  }

public:
  explicit world(config c) : cfg_(c) {
    for (int t = 1; t <= c.technicians; ++t) {
      presences_[t];
      inc_[{'p', t}] = 1;
    }
    for (int q = 0; q < c.queues; ++q) {
      inc_[{'q', q}] = 1;
      for (int k = 1; k <= c.requests; ++k)
        books_[q].open(static_cast<uint64_t>(q * 100 + k));
    }
  }

  // -- events ----------------------------------------------------------------

  /// A technician's console accepts a request.
  void accept(int t, uint64_t r) {
    auto got = presences_[t].reserve(r, queue_key(r), cfg_.max, now_);
    if (auto s = std::get_if<slot>(&got);
        s && s->state == slot_state::reserved) {
      auto m = make(kind::claim, r, s->no);
      m.claim = claim_msg{r, static_cast<uint64_t>(t), s->no};
      send(pres(t), queue_of(r), m);
    }
    note("accept t" + std::to_string(t) + " r" + std::to_string(r));
  }

  /// A technician gives a request back (to the front, or closing it).
  void finish(int t, uint64_t r, bool front) {
    if (auto s = presences_[t].release(r, front, now_))
      send_release(t, *s);
    note("finish t" + std::to_string(t) + " r" + std::to_string(r));
  }

  /// The customer cancels: the queue closes the request.
  void cancel(uint64_t r) {
    auto q = static_cast<int>(r / 100);
    if (auto h = books_[q].close(r))
      send(queue_of(r), pres(static_cast<int>(h->technician)),
           make(kind::ended, r, h->no));
    note("cancel r" + std::to_string(r));
  }

  /// A presence's timer: asks about reservations, sends releases again.
  void timer(int t) {
    for (auto& s : presences_[t].overdue(now_, 0))
      ask(t, s);
    note("timer t" + std::to_string(t));
  }

  /// An actor restarts: its mailbox is lost, its stored state stays; a
  /// presence then asks about every slot it has.
  void restart_presence(int t) {
    ++inc_[{'p', t}];
    auto& l = presences_[t];
    std::vector<slot> stored;
    for (auto& [r, s] : l.all())
      stored.push_back(s);
    l.restore(stored, l.last_no());
    for (auto& [r, s] : l.all())
      ask(t, s);
    note("restart t" + std::to_string(t));
  }
  void restart_queue(int q) {
    ++inc_[{'q', q}];
    note("restart q" + std::to_string(q));
  }

  /// Delivers the next message of one of the channels (`pick` modulo their
  /// number); false when nothing is in flight.
  bool deliver(size_t pick) { return deliver(channel(pick)); }

  /// Delivers the next message sent by actor `kind`/`id` (of incarnation
  /// `inc`, 0 for any); false when it has nothing in flight.
  bool deliver_from(char kind, int id, int inc = 0) {
    for (auto i = channels_.begin(); i != channels_.end(); ++i) {
      auto& from = i->first.first;
      if (from.kind == kind && from.id == id && (inc == 0 || from.inc == inc))
        return deliver(i);
    }
    return false;
  }

  /// The incarnation of a presence or queue (1 until its first restart).
  int incarnation(char kind, int id) const { return inc_.at({kind, id}); }

  /// The answer at the head of one channel is dropped: its request timed
  /// out. False when no answer is in flight.
  bool time_out(size_t pick) {
    std::vector<channels::iterator> answers;
    for (auto i = channels_.begin(); i != channels_.end(); ++i)
      if (is_answer(i->second.front().k))
        answers.push_back(i);
    if (answers.empty())
      return false;
    auto c = answers[pick % answers.size()];
    note("timed out " + name(c->second.front()));
    c->second.pop_front();
    if (c->second.empty())
      channels_.erase(c);
    return true;
  }

  void tick() { ++now_; }

  /// Delivers everything and runs the timers until nothing is left to do.
  void settle() {
    for (int round = 0; round < 50; ++round) {
      while (deliver(0)) {
      }
      bool asked = false;
      for (auto& [t, l] : presences_)
        if (!l.overdue(now_, 0).empty()) {
          timer(t);
          asked = true;
        }
      if (!asked)
        return;
    }
  }

  // -- invariants
  // --------------------------------------------------------------

  /// "" when every invariant holds, else which one broke.
  std::string check() const {
    std::map<uint64_t, int> held_by;
    for (auto& [t, l] : presences_) {
      if (l.used() > cfg_.max)
        return "technician " + std::to_string(t) + " uses " +
               std::to_string(l.used()) + " slots, max " +
               std::to_string(cfg_.max);
      for (auto& [r, s] : l.all()) {
        if (s.state != slot_state::held)
          continue;
        ++held_by[r];
        auto h = books_.at(static_cast<int>(r / 100)).holder(r);
        if (h.open &&
            (h.technician != static_cast<uint64_t>(t) || h.no != s.no))
          return "technician " + std::to_string(t) + " holds r" +
                 std::to_string(r) + " but the queue says t" +
                 std::to_string(h.technician);
      }
    }
    for (auto& [r, n] : held_by)
      if (n > 1)
        return "r" + std::to_string(r) + " held by " + std::to_string(n);
    for (auto& [q, b] : books_)
      for (auto& e : b.entries()) {
        if (e.technician == 0)
          continue;
        auto& l = presences_.at(static_cast<int>(e.technician));
        auto s = l.find(e.request);
        if (s == nullptr || s->no != e.no)
          return "the queue gave r" + std::to_string(e.request) + " to t" +
                 std::to_string(e.technician) + " whose slots do not count it";
      }
    return {};
  }

  /// After settle(): no slot in between, and the queues and presences agree.
  std::string check_quiet() const {
    if (!channels_.empty())
      return "messages in flight";
    for (auto& [t, l] : presences_)
      for (auto& [r, s] : l.all())
        if (s.state != slot_state::held)
          return "t" + std::to_string(t) + " has r" + std::to_string(r) + " " +
                 to_string(s.state) + " at rest";
        else if (!books_.at(static_cast<int>(r / 100)).holder(r).open)
          return "t" + std::to_string(t) + " holds r" + std::to_string(r) +
                 " which ended";
    for (auto& [q, b] : books_)
      for (auto& e : b.entries())
        if (e.technician != 0) {
          auto s =
            presences_.at(static_cast<int>(e.technician)).find(e.request);
          if (s == nullptr || s->state != slot_state::held)
            return "r" + std::to_string(e.request) +
                   " is assigned but not held";
        }
    return {};
  }

  const slot_ledger& presence(int t) const { return presences_.at(t); }
  const claim_book& book(int q) const { return books_.at(q); }
  size_t in_flight() const {
    size_t n = 0;
    for (auto& [k, c] : channels_)
      n += c.size();
    return n;
  }
  const std::vector<std::string>& trace() const { return trace_; }
  const config& cfg() const { return cfg_; }

private:
  static std::string name(const msg& m) {
    static const char* names[] = {"claim",   "claimed",  "who_has", "holder",
                                  "release", "released", "ended"};
    return std::string{names[static_cast<int>(m.k)]} + " r" +
           std::to_string(m.request) + " #" + std::to_string(m.no);
  }
  std::string queue_key(uint64_t r) const {
    return "q" + std::to_string(r / 100);
  }
  ref pres(int t) { return {'p', t, inc_[{'p', t}]}; }
  ref queue_of(uint64_t r) {
    auto q = static_cast<int>(r / 100);
    return {'q', q, inc_[{'q', q}]};
  }
  void send(ref from, ref to, msg m) { channels_[{from, to}].push_back(m); }
  channels::iterator channel(size_t pick) {
    if (channels_.empty())
      return channels_.end();
    auto i = channels_.begin();
    std::advance(i, static_cast<long>(pick % channels_.size()));
    return i;
  }
  void send_release(int t, const slot& s) {
    auto m = make(kind::release, s.request, s.no);
    m.front = s.front;
    send(pres(t), queue_of(s.request), m);
  }
  void ask(int t, const slot& s) {
    if (s.state == slot_state::releasing)
      send_release(t, s);
    else
      send(pres(t), queue_of(s.request), make(kind::who_has, s.request, s.no));
  }

  void handle(ref from, ref to, const msg& m) {
    if (to.kind == 'q') {
      auto& b = books_[to.id];
      auto tech = static_cast<uint64_t>(from.id);
      auto a = make(kind::claimed, m.request, m.no);
      switch (m.k) {
        case kind::claim:
          a.outcome = b.claim(m.claim);
          break;
        case kind::who_has:
          a.k = kind::holder;
          a.holder = b.who_has(who_has_msg{m.request, tech, m.no}).first;
          break;
        case kind::release:
          a.k = kind::released;
          b.release(release_msg{m.request, tech, m.no, m.front});
          break;
        default:
          return;
      }
      send(to, from, a); // answers go to the asking incarnation
      return;
    }
    auto& l = presences_[to.id];
    auto me = static_cast<uint64_t>(to.id);
    switch (m.k) {
      case kind::claimed:
        l.claim_answered(m.request, m.no, m.outcome, now_);
        break;
      case kind::holder:
        l.holder_answered(m.request, m.no, me, m.holder, now_);
        break;
      case kind::released:
        l.released(m.request, m.no);
        break;
      case kind::ended:
        l.ended(m.request, m.no);
        break;
      default:
        break;
    }
  }

  void note(std::string s) {
    if (trace_.size() < 400)
      trace_.push_back(std::move(s));
  }

  config cfg_;
  int64_t now_ = 0;
  std::map<int, slot_ledger> presences_;
  std::map<int, claim_book> books_;
  std::map<std::pair<char, int>, int> inc_;
  channels channels_;
  std::vector<std::string> trace_;
};

} // namespace openassist::accept_sim
