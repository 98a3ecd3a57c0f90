#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// The screen of a recording as its frames drew it (docs/recording.md,
// "Export"): whole pictures (JPEG, WebP) and the support app's tile frames
// ("OAT1", docs/remote-control.md) drawn in order onto one RGB picture, as
// the Management Center's player draws them. Pure: no I/O.
namespace openassist::actors::recording {

/// An RGB picture, 3 bytes a pixel, rows packed.
struct rgb_image {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

/// A JPEG or WebP picture decoded; nullopt for bytes that are neither, or
/// that say they are larger than 8192 pixels a side or 8192 x 4608 in all.
std::optional<rgb_image> decode_picture(std::string_view bytes);

class screen_canvas {
public:
  /// Draws one frame of the recording: a whole picture replaces what was
  /// there, tiles are drawn over it. The canvas takes the size of the first
  /// frame (rounded down to even numbers, as the video needs); a later
  /// frame of another size is drawn from the top left corner, cut to the
  /// canvas. False for a frame that does not decode (nothing is drawn).
  bool draw(std::string_view frame);

  bool empty() const { return width_ == 0; }
  int width() const { return width_; }
  int height() const { return height_; }
  const std::vector<uint8_t>& pixels() const { return pixels_; }

private:
  void size_for(int width, int height);
  void blit(const rgb_image& img, int x, int y);

  int width_ = 0, height_ = 0;
  std::vector<uint8_t> pixels_;
};

} // namespace openassist::actors::recording
