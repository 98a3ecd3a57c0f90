#include "actors/session/screen_canvas.hpp"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>
#include <webp/decode.h>

#include "storage/big_endian.hpp"

namespace openassist::actors::recording {

namespace {

// Larger than any screen (8K UHD is 7680 x 4320): a header that says more
// is not believed, so no picture makes the export allocate gigabytes.
constexpr int max_side = 8192;
constexpr int64_t max_pixels = int64_t{8192} * 4608;

bool plausible(int64_t width, int64_t height) {
  return width > 0 && height > 0 && width <= max_side && height <= max_side &&
         width * height <= max_pixels;
}

struct jpeg_failure {
  jpeg_error_mgr mgr{};
  std::jmp_buf jump{};
};

void on_jpeg_error(j_common_ptr cinfo) {
  auto* f = reinterpret_cast<jpeg_failure*>(cinfo->err);
  std::longjmp(f->jump, 1);
}

void quiet(j_common_ptr) {}

// libjpeg reports errors by longjmp: nothing with a destructor lives in
// this function between setjmp and the end of decoding but `out`, whose
// storage is sized before the jump can happen again.
bool decode_jpeg_into(std::string_view bytes, rgb_image& out) {
  jpeg_decompress_struct cinfo{};
  jpeg_failure err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_jpeg_error;
  err.mgr.output_message = quiet;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK ||
      !plausible(cinfo.image_width, cinfo.image_height)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  out.width = static_cast<int>(cinfo.output_width);
  out.height = static_cast<int>(cinfo.output_height);
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.pixels.data() +
                   static_cast<size_t>(cinfo.output_scanline) * out.width * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

bool is_webp(std::string_view b) {
  return b.size() > 12 && b.compare(0, 4, "RIFF") == 0 &&
         b.compare(8, 4, "WEBP") == 0;
}

} // namespace

std::optional<rgb_image> decode_picture(std::string_view bytes) {
  rgb_image out;
  if (is_webp(bytes)) {
    int w = 0, h = 0;
    auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    if (!WebPGetInfo(data, bytes.size(), &w, &h) || !plausible(w, h))
      return std::nullopt;
    out.width = w;
    out.height = h;
    out.pixels.resize(static_cast<size_t>(w) * h * 3);
    if (WebPDecodeRGBInto(data, bytes.size(), out.pixels.data(),
                          out.pixels.size(), w * 3) == nullptr)
      return std::nullopt;
    return out;
  }
  if (!decode_jpeg_into(bytes, out))
    return std::nullopt;
  return out;
}

void screen_canvas::size_for(int width, int height) {
  if (!empty())
    return;
  width_ = std::max(2, width - width % 2);
  height_ = std::max(2, height - height % 2);
  pixels_.assign(static_cast<size_t>(width_) * height_ * 3, 0);
}

void screen_canvas::blit(const rgb_image& img, int x, int y) {
  if (x >= width_ || y >= height_)
    return;
  auto w = std::min(img.width, width_ - x);
  for (int row = 0; row < img.height && y + row < height_; ++row)
    std::memcpy(pixels_.data() +
                  (static_cast<size_t>(y + row) * width_ + x) * 3,
                img.pixels.data() + static_cast<size_t>(row) * img.width * 3,
                static_cast<size_t>(w) * 3);
}

bool screen_canvas::draw(std::string_view frame) {
  if (frame.size() >= 12 && frame.compare(0, 4, "OAT1") == 0) {
    // "OAT1", be16 width, height, flags, count; per tile be16 x, y, w, h,
    // be32 length and the JPEG.
    auto width = static_cast<int>(storage::get_be(frame.substr(4), 2));
    auto height = static_cast<int>(storage::get_be(frame.substr(6), 2));
    auto count = storage::get_be(frame.substr(10), 2);
    if (!plausible(width, height))
      return false;
    size_t at = 12;
    std::vector<std::pair<std::pair<int, int>, rgb_image>> tiles;
    for (uint64_t i = 0; i < count; ++i) {
      if (at + 12 > frame.size())
        return false;
      auto x = static_cast<int>(storage::get_be(frame.substr(at), 2));
      auto y = static_cast<int>(storage::get_be(frame.substr(at + 2), 2));
      auto length = storage::get_be(frame.substr(at + 8), 4);
      at += 12;
      if (length > frame.size() - at)
        return false;
      auto img = decode_picture(frame.substr(at, length));
      if (!img)
        return false;
      tiles.emplace_back(std::make_pair(x, y), std::move(*img));
      at += length;
    }
    size_for(width, height);
    for (auto& [at_xy, img] : tiles)
      blit(img, at_xy.first, at_xy.second);
    return true;
  }
  auto img = decode_picture(frame);
  if (!img)
    return false;
  size_for(img->width, img->height);
  std::fill(pixels_.begin(), pixels_.end(), 0);
  blit(*img, 0, 0);
  return true;
}

} // namespace openassist::actors::recording
