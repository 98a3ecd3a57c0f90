// Cap'n Proto records read back from disk or from peers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schema/codec.hpp"

using namespace openassist::schema;

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
  return 0;
}
