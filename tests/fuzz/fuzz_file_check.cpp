// File names and contents come from customers: judging them never fails, a
// cleaned name is safe to store and show, and only allowlisted types pass.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "actors/session/file_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first line is the name, the rest the content.
  auto nl = in.find('\n');
  auto raw_name = in.substr(0, nl);
  auto content =
    nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
  auto name = openassist::actors::clean_file_name(raw_name);
  if (name.size() > 120 || name.find('/') != std::string::npos ||
      name.find('\\') != std::string::npos)
    std::abort();
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F || c == '"')
      std::abort();
  auto v = openassist::actors::check_file(name, content);
  if (v.ok != v.reason.empty())
    std::abort();
  if (v.ok && (content.empty() || v.mime.empty()))
    std::abort();
  // Only plain text may start like a Windows program (and a real one has
  // NUL bytes, which text never passes with).
  if (v.ok && content.substr(0, 2) == "MZ" &&
      v.mime.rfind("text/plain", 0) != 0)
    std::abort();
  if (v.ok && v.mime.rfind("text/plain", 0) == 0 &&
      content.find('\0') != std::string_view::npos)
    std::abort();
  return 0;
}
