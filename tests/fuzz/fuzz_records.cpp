// Cap'n Proto records read back from disk or from peers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "actors/reports/facts_record.hpp"
#include "actors/reports/rollup.hpp"
#include "schema/codec.hpp"

using namespace openassist::schema;
using openassist::actors::reports::decode_facts;
using openassist::actors::reports::decode_rollup;
using openassist::actors::reports::encode_facts;
using openassist::actors::reports::encode_rollup;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto ev = decode_event(bytes)) {
    // A decoded record encodes and decodes to itself.
    auto again = decode_event(encode(*ev));
    if (!again || !(*again == *ev))
      __builtin_trap();
  }
  if (auto en = decode_entity(bytes)) {
    auto again = decode_entity(encode(*en));
    if (!again || !(*again == *en))
      __builtin_trap();
  }
  (void)decode_schema_info(bytes);
  // A request's report facts (table report_facts).
  if (auto f = decode_facts(bytes)) {
    auto again = decode_facts(encode_facts(*f));
    if (!again || !(*again == *f))
      __builtin_trap();
  }
  // A day's report roll-up (table rollups).
  if (auto r = decode_rollup(bytes, "2026-01-01")) {
    auto again = decode_rollup(encode_rollup(*r), r->day);
    if (!again || !(*again == *r))
      __builtin_trap();
  }
  return 0;
}
