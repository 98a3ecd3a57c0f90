#include "actors/reports/facts_record.hpp"

#include <algorithm>

#include "storage/big_endian.hpp"

namespace openassist::actors::reports {

namespace {

constexpr std::string_view magic = "F1";
constexpr uint32_t max_decliners = 10000;
constexpr uint32_t max_text = 1 << 20;

void put_text(std::string& out, const std::string& s) {
  auto n = static_cast<uint32_t>(std::min<size_t>(s.size(), max_text));
  storage::put_be(out, n, 4);
  out.append(s, 0, n);
}

// Reads from the front of `in`, failing (and staying failed) when it runs
// short.
struct reader {
  std::string_view in;
  bool ok = true;
  uint64_t be(int bytes) {
    if (!ok || in.size() < static_cast<size_t>(bytes)) {
      ok = false;
      return 0;
    }
    auto v = storage::get_be(in, bytes);
    in.remove_prefix(static_cast<size_t>(bytes));
    return v;
  }
  std::string text() {
    auto n = be(4);
    if (!ok || n > max_text || in.size() < n) {
      ok = false;
      return {};
    }
    std::string s{in.substr(0, n)};
    in.remove_prefix(n);
    return s;
  }
};

} // namespace

std::string facts_key(const std::string& account, int64_t created_ms,
                      uint64_t id) {
  std::string key = account;
  key.push_back('\0');
  storage::put_be(key, static_cast<uint64_t>(std::max<int64_t>(created_ms, 0)));
  storage::put_be(key, id);
  return key;
}

std::string encode_facts(const request_facts& f) {
  std::string out{magic};
  out.reserve(96 + f.customer.size() + f.comment.size());
  for (uint64_t v :
       {f.id, f.portal, f.technician, static_cast<uint64_t>(f.created),
        static_cast<uint64_t>(f.answered), static_cast<uint64_t>(f.closed)})
    storage::put_be(out, v);
  out.push_back(static_cast<char>((f.ended ? 1 : 0) | (f.abandoned ? 2 : 0) |
                                  (f.no_response ? 4 : 0)));
  out.push_back(static_cast<char>(std::clamp(f.rating, 0, 5)));
  storage::put_be(out, static_cast<uint32_t>(std::max(f.transfers, 0)), 4);
  auto n =
    static_cast<uint32_t>(std::min<size_t>(f.decliners.size(), max_decliners));
  storage::put_be(out, n, 4);
  for (auto it = f.decliners.begin(); n > 0; ++it, --n)
    storage::put_be(out, *it);
  put_text(out, f.outcome);
  put_text(out, f.resolution);
  put_text(out, f.comment);
  put_text(out, f.customer);
  return out;
}

std::optional<request_facts> decode_facts(std::string_view bytes) {
  if (bytes.substr(0, magic.size()) != magic)
    return std::nullopt;
  reader r{bytes.substr(magic.size())};
  request_facts f;
  f.id = r.be(8);
  f.portal = r.be(8);
  f.technician = r.be(8);
  f.created = static_cast<int64_t>(r.be(8));
  f.answered = static_cast<int64_t>(r.be(8));
  f.closed = static_cast<int64_t>(r.be(8));
  auto flags = r.be(1);
  f.ended = (flags & 1) != 0;
  f.abandoned = (flags & 2) != 0;
  f.no_response = (flags & 4) != 0;
  f.rating = static_cast<int>(std::min<uint64_t>(r.be(1), 5));
  f.transfers = static_cast<int>(std::min<uint64_t>(r.be(4), 1 << 30));
  auto n = r.be(4);
  if (!r.ok || n > max_decliners)
    return std::nullopt;
  for (uint64_t i = 0; i < n && r.ok; ++i)
    f.decliners.insert(r.be(8));
  f.outcome = r.text();
  f.resolution = r.text();
  f.comment = r.text();
  f.customer = r.text();
  if (!r.ok || f.id == 0)
    return std::nullopt;
  return f;
}

} // namespace openassist::actors::reports
