#include "actors/reports/facts_backfill.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/reports/facts_record.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors::reports {

namespace {

constexpr std::string_view marker = "report_facts";

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

caf::error write(storage::environment& env, storage::write_batch& batch) {
  std::vector<storage::write_batch*> batches{&batch};
  std::vector<storage::write_receipt> receipts;
  return env.commit(batches, receipts, now_us());
}

} // namespace

caf::error backfill_report_facts(storage::environment& env, size_t batch,
                                 uint64_t& done) {
  done = 0;
  auto known = env.get(storage::table::meta, marker);
  if (!known)
    return known.error();
  if (*known)
    return {};
  batch = std::max<size_t>(batch, 1);
  std::string cursor;
  for (;;) {
    storage::write_batch out;
    size_t seen = 0;
    std::string last;
    auto err =
      env.scan(storage::table::requests, cursor, batch,
               [&](std::string_view k, std::string_view v) {
                 ++seen;
                 last = std::string{k};
                 auto nul = k.find('\0');
                 if (nul == std::string_view::npos)
                   return true;
                 auto doc = nlohmann::json::parse(v, nullptr, false);
                 if (auto f = facts_of(doc))
                   out.ops.push_back({storage::table::report_facts,
                                      facts_key(std::string{k.substr(0, nul)},
                                                f->created, f->id),
                                      encode_facts(*f), storage::op_kind::put});
                 return true;
               });
    if (err)
      return err;
    done += seen;
    if (!out.ops.empty())
      if (auto e = write(env, out))
        return e;
    if (seen < batch)
      break;
    cursor = last + '\0';
  }
  storage::write_batch mark;
  mark.ops.push_back(
    {storage::table::meta, std::string{marker}, "1", storage::op_kind::put});
  return write(env, mark);
}

} // namespace openassist::actors::reports
