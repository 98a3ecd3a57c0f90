// User-Agent headers come from anyone: parsing never fails, never reads past
// the header and gives short, printable names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateways/user_agent.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view ua(reinterpret_cast<const char*>(data), size);
  auto c = openassist::gateways::parse_user_agent(ua);
  for (auto* part : {&c.device, &c.os, &c.browser}) {
    if (part->empty() || part->size() > 40)
      std::abort();
    for (unsigned char ch : *part)
      if (ch < 0x20 || ch > 0x7e)
        std::abort();
  }
  return 0;
}
