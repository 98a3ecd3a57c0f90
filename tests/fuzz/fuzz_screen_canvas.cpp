// Screen pictures come from customers' browsers and support apps (JPEG,
// WebP, "OAT1" tiles) and are drawn again when a recording is exported:
// drawing bytes that are anything never fails or reads out of bounds, and
// a drawn canvas keeps its size.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "actors/session/screen_canvas.hpp"

using namespace openassist::actors::recording;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes{reinterpret_cast<const char*>(data), size};
  screen_canvas c;
  c.draw(bytes);
  if (!c.empty()) {
    auto w = c.width(), h = c.height();
    if (w % 2 != 0 || h % 2 != 0 ||
        c.pixels().size() != static_cast<size_t>(w) * h * 3)
      __builtin_trap();
    // Drawn again over itself (tiles over a picture).
    c.draw(bytes);
    if (c.width() != w || c.height() != h)
      __builtin_trap();
  }
  return 0;
}
