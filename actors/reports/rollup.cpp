#include "actors/reports/rollup.hpp"

#include <algorithm>

#include "storage/big_endian.hpp"

namespace openassist::actors::reports {

namespace {

constexpr std::string_view magic = "R1";
constexpr uint64_t max_cells = 1'000'000;
constexpr uint64_t max_declines = 100'000;

// Reads from the front of `in`, failing (and staying failed) when it runs
// short.
struct reader {
  std::string_view in;
  bool ok = true;
  uint64_t be(int bytes = 8) {
    if (!ok || in.size() < static_cast<size_t>(bytes)) {
      ok = false;
      return 0;
    }
    auto v = storage::get_be(in, bytes);
    in.remove_prefix(static_cast<size_t>(bytes));
    return v;
  }
  int64_t number() { return static_cast<int64_t>(be()); }
  void read(mean& m) {
    m.sum = number();
    m.count = number();
    m.max = number();
  }
};

void put(std::string& out, int64_t v) {
  storage::put_be(out, static_cast<uint64_t>(v));
}

void put(std::string& out, const mean& m) {
  put(out, m.sum);
  put(out, m.count);
  put(out, m.max);
}

} // namespace

void rollup_cell::add(const request_facts& f) {
  ++submitted;
  answered += f.was_answered() ? 1 : 0;
  declined += f.decliners.empty() ? 0 : 1;
  no_response += f.no_response ? 1 : 0;
  abandoned += f.abandoned ? 1 : 0;
  open += f.ended ? 0 : 1;
  if (auto w = f.wait()) {
    wait.add(*w);
    size_t bucket = 0;
    while (bucket < wait_bounds_ms.size() && *w > wait_bounds_ms[bucket])
      ++bucket;
    ++waits[bucket];
  }
  if (auto h = f.handle())
    handle.add(*h);
  if (f.rating > 0) {
    rating.add(f.rating);
    ++by_score[static_cast<size_t>(std::clamp(f.rating, 1, 5) - 1)];
    comments += f.comment.empty() ? 0 : 1;
    if (f.was_answered())
      rating_answered.add(f.rating);
  }
  if (f.was_answered())
    transfers += f.transfers;
  for (auto t : f.decliners)
    ++declines[t];
}

void rollup_cell::merge(const rollup_cell& o) {
  submitted += o.submitted;
  answered += o.answered;
  declined += o.declined;
  no_response += o.no_response;
  abandoned += o.abandoned;
  open += o.open;
  wait.merge(o.wait);
  handle.merge(o.handle);
  rating.merge(o.rating);
  rating_answered.merge(o.rating_answered);
  comments += o.comments;
  for (size_t i = 0; i < by_score.size(); ++i)
    by_score[i] += o.by_score[i];
  transfers += o.transfers;
  for (auto& [t, n] : o.declines)
    declines[t] += n;
  for (size_t i = 0; i < waits.size(); ++i)
    waits[i] += o.waits[i];
}

std::string rollup_key(const std::string& account, const std::string& day) {
  std::string key = account;
  key.push_back('\0');
  key += day;
  return key;
}

std::string encode_rollup(const day_rollup& d) {
  std::string out{magic};
  storage::put_be(out, d.cells.size(), 4);
  for (auto& [key, c] : d.cells) {
    storage::put_be(out, key.first);
    storage::put_be(out, key.second);
    for (auto v : {c.submitted, c.answered, c.declined, c.no_response,
                   c.abandoned, c.open})
      put(out, v);
    for (auto* m : {&c.wait, &c.handle, &c.rating, &c.rating_answered})
      put(out, *m);
    put(out, c.comments);
    for (auto v : c.by_score)
      put(out, v);
    put(out, c.transfers);
    for (auto v : c.waits)
      put(out, v);
    storage::put_be(out, c.declines.size(), 4);
    for (auto& [t, n] : c.declines) {
      storage::put_be(out, t);
      put(out, n);
    }
  }
  return out;
}

std::optional<day_rollup> decode_rollup(std::string_view bytes,
                                        std::string day) {
  if (bytes.substr(0, magic.size()) != magic)
    return std::nullopt;
  reader r{bytes.substr(magic.size())};
  day_rollup d;
  d.day = std::move(day);
  auto cells = r.be(4);
  if (cells > max_cells)
    return std::nullopt;
  for (uint64_t i = 0; i < cells && r.ok; ++i) {
    cell_key key{r.be(), r.be()};
    rollup_cell c;
    for (auto* v : {&c.submitted, &c.answered, &c.declined, &c.no_response,
                    &c.abandoned, &c.open})
      *v = r.number();
    for (auto* m : {&c.wait, &c.handle, &c.rating, &c.rating_answered})
      r.read(*m);
    c.comments = r.number();
    for (auto& v : c.by_score)
      v = r.number();
    c.transfers = r.number();
    for (auto& v : c.waits)
      v = r.number();
    auto declines = r.be(4);
    if (declines > max_declines)
      return std::nullopt;
    for (uint64_t j = 0; j < declines && r.ok; ++j) {
      auto t = r.be();
      c.declines[t] = r.number();
    }
    d.cells[key] = std::move(c);
  }
  if (!r.ok || !r.in.empty())
    return std::nullopt;
  return d;
}

} // namespace openassist::actors::reports
