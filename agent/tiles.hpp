#pragma once

#include <cstdint>
#include <string>
#include <vector>

// What changed on the screen, as the tile frames viewers draw
// (docs/remote-control.md, "The app's screen"): the screen is cut into
// 64-pixel tiles; a tile whose pixels differ from the last frame sent is
// encoded; changed tiles next to each other in a row go as one rectangle.
namespace openassist::agent {

/// A screen image: 32 bits per pixel, B G R x, `stride` bytes per row.
struct image_view {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
};

struct rect {
  int x = 0, y = 0, w = 0, h = 0;
};

class tile_differ {
public:
  static constexpr int tile = 64;

  /// The rectangles of `now` that changed since the last call (all of them
  /// with `key` or when the size changed), and keeps `now` for the next.
  std::vector<rect> changes(const image_view& now, bool key);

private:
  int width_ = 0, height_ = 0;
  std::vector<uint8_t> last_; ///< the last frame, rows packed (width * 4)
};

/// Encodes `area` of `img` as a JPEG of `quality` (1..100).
std::string encode_jpeg(const image_view& img, const rect& area, int quality);

/// One tile message: "OAT1", width, height, flags (bit 0: key), count, then
/// per tile x, y, w, h, length and the JPEG.
std::string
tile_message(int width, int height, bool key,
             const std::vector<std::pair<rect, std::string>>& tiles);

} // namespace openassist::agent
