#include "agent/tiles.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <jpeglib.h>

namespace openassist::agent {

namespace {

void put16(std::string& out, int v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8)
    out.push_back(static_cast<char>((v >> s) & 0xff));
}

} // namespace

std::vector<rect> tile_differ::changes(const image_view& now, bool key) {
  std::vector<rect> out;
  size_t row_bytes = static_cast<size_t>(now.width) * 4;
  bool resized = now.width != width_ || now.height != height_;
  if (resized) {
    width_ = now.width;
    height_ = now.height;
    last_.assign(row_bytes * static_cast<size_t>(now.height), 0);
  }
  bool all = key || resized;
  for (int ty = 0; ty < now.height; ty += tile) {
    int th = std::min(tile, now.height - ty);
    int run_start = -1;
    auto close_run = [&](int end_x) {
      if (run_start >= 0)
        out.push_back({run_start, ty, end_x - run_start, th});
      run_start = -1;
    };
    for (int tx = 0; tx < now.width; tx += tile) {
      int tw = std::min(tile, now.width - tx);
      bool changed = all;
      for (int y = ty; y < ty + th && !changed; ++y) {
        const uint8_t* a = now.data + static_cast<size_t>(y) * now.stride +
                           static_cast<size_t>(tx) * 4;
        const uint8_t* b = last_.data() + static_cast<size_t>(y) * row_bytes +
                           static_cast<size_t>(tx) * 4;
        changed = std::memcmp(a, b, static_cast<size_t>(tw) * 4) != 0;
      }
      if (changed) {
        if (run_start < 0)
          run_start = tx;
      } else {
        close_run(tx);
      }
    }
    close_run(now.width);
  }
  for (int y = 0; y < now.height; ++y)
    std::memcpy(last_.data() + static_cast<size_t>(y) * row_bytes,
                now.data + static_cast<size_t>(y) * now.stride, row_bytes);
  return out;
}

std::string encode_jpeg(const image_view& img, const rect& area, int quality) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jerr.error_exit = [](j_common_ptr) {
    throw std::runtime_error("jpeg encoding failed");
  };
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  std::string out;
  try {
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(area.w);
    cinfo.image_height = static_cast<JDIMENSION>(area.h);
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, std::clamp(quality, 1, 100), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<uint8_t> row(static_cast<size_t>(area.w) * 3);
    for (int y = area.y; y < area.y + area.h; ++y) {
      const uint8_t* src = img.data + static_cast<size_t>(y) * img.stride +
                           static_cast<size_t>(area.x) * 4;
      for (int x = 0; x < area.w; ++x) {
        row[x * 3 + 0] = src[x * 4 + 2];
        row[x * 3 + 1] = src[x * 4 + 1];
        row[x * 3 + 2] = src[x * 4 + 0];
      }
      JSAMPROW rows[1] = {row.data()};
      jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    out.assign(reinterpret_cast<char*>(buffer), size);
  } catch (...) {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    throw;
  }
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

std::string
tile_message(int width, int height, bool key,
             const std::vector<std::pair<rect, std::string>>& tiles) {
  std::string out = "OAT1";
  put16(out, width);
  put16(out, height);
  put16(out, key ? 1 : 0);
  put16(out, static_cast<int>(tiles.size()));
  for (auto& [r, jpeg] : tiles) {
    put16(out, r.x);
    put16(out, r.y);
    put16(out, r.w);
    put16(out, r.h);
    put32(out, static_cast<uint32_t>(jpeg.size()));
    out += jpeg;
  }
  return out;
}

} // namespace openassist::agent
