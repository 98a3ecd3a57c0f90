#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Big-endian integers in keys and file formats: they sort as numbers.
namespace openassist::storage {

/// Appends the low `bytes` bytes of `v`, most significant first.
inline void put_be(std::string& out, uint64_t v, int bytes = 8) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

/// Reads `bytes` bytes (fewer if `in` is shorter) as a big-endian number.
inline uint64_t get_be(std::string_view in, int bytes = 8) {
  uint64_t v = 0;
  for (size_t i = 0; i < static_cast<size_t>(bytes) && i < in.size(); ++i)
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

} // namespace openassist::storage
