// The support app's join link comes from whoever hands it to the customer:
// reading it never fails hard, and what it accepts is a server and a code
// of exactly 10 digits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "agent/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string problem;
  auto t = openassist::agent::parse_link(input, problem);
  auto split = input.find('\n');
  auto u = openassist::agent::parse_server_and_code(
    input.substr(0, split),
    split == std::string::npos ? "" : input.substr(split + 1), problem);
  for (const auto* x : {&t, &u}) {
    if (!x->has_value())
      continue;
    const auto& v = **x;
    if (v.code.size() != 10 ||
        v.code.find_first_not_of("0123456789") != std::string::npos)
      std::abort();
    if (v.host.empty() || v.port.empty() || v.port.size() > 5 ||
        v.port.find_first_not_of("0123456789") != std::string::npos)
      std::abort();
  }
  return 0;
}
