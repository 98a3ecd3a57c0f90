#define CAF_SUITE actors.recording_export

#include "actors/session/recording_export.hpp"

#include <cstdio>

#include <caf/test/unit_test.hpp>
#include <jpeglib.h>

#include "storage/big_endian.hpp"

using namespace openassist;
using namespace openassist::actors::recording;

namespace {

// A JPEG of one colour.
std::string jpeg(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(static_cast<size_t>(width) * 3);
  for (int x = 0; x < width; ++x) {
    row[static_cast<size_t>(x) * 3] = r;
    row[static_cast<size_t>(x) * 3 + 1] = g;
    row[static_cast<size_t>(x) * 3 + 2] = b;
  }
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW p = row.data();
    jpeg_write_scanlines(&cinfo, &p, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

// "OAT1" tiles of a `width` x `height` screen.
std::string tiles(int width, int height,
                  const std::vector<std::tuple<int, int, std::string>>& ts) {
  std::string out = "OAT1";
  storage::put_be(out, static_cast<uint64_t>(width), 2);
  storage::put_be(out, static_cast<uint64_t>(height), 2);
  storage::put_be(out, 0, 2);
  storage::put_be(out, ts.size(), 2);
  for (auto& [x, y, img] : ts) {
    storage::put_be(out, static_cast<uint64_t>(x), 2);
    storage::put_be(out, static_cast<uint64_t>(y), 2);
    storage::put_be(out, 16, 2);
    storage::put_be(out, 16, 2);
    storage::put_be(out, img.size(), 4);
    out += img;
  }
  return out;
}

// The colour at (x, y), each channel within 12 of what was drawn (JPEG).
bool near(const screen_canvas& c, int x, int y, int r, int g, int b) {
  auto* p = c.pixels().data() + (static_cast<size_t>(y) * c.width() + x) * 3;
  return std::abs(p[0] - r) <= 12 && std::abs(p[1] - g) <= 12 &&
         std::abs(p[2] - b) <= 12;
}

std::string record(char kind, int64_t time, const std::string& payload) {
  std::string out;
  storage::put_be(out, 9 + payload.size(), 4);
  out.push_back(kind);
  storage::put_be(out, static_cast<uint64_t>(time));
  return out + payload;
}

} // namespace

CAF_TEST(the canvas takes the first picture and draws later ones and tiles) {
  screen_canvas c;
  CAF_CHECK(c.empty());
  CAF_CHECK(!c.draw("not a picture"));
  CAF_CHECK(c.empty());
  CAF_REQUIRE(c.draw(jpeg(33, 17, 255, 0, 0)));
  CAF_CHECK_EQUAL(c.width(), 32); // even, for the video
  CAF_CHECK_EQUAL(c.height(), 16);
  CAF_CHECK(near(c, 5, 5, 255, 0, 0));
  // Tiles are drawn over the picture where they are.
  CAF_REQUIRE(c.draw(tiles(32, 16, {{16, 0, jpeg(16, 16, 0, 0, 255)}})));
  CAF_CHECK(near(c, 5, 5, 255, 0, 0));
  CAF_CHECK(near(c, 20, 8, 0, 0, 255));
  // A larger picture is cut to the canvas, a smaller one leaves black.
  CAF_REQUIRE(c.draw(jpeg(8, 8, 0, 255, 0)));
  CAF_CHECK(near(c, 2, 2, 0, 255, 0));
  CAF_CHECK(near(c, 20, 8, 0, 0, 0));
  CAF_REQUIRE(c.draw(jpeg(64, 64, 255, 255, 255)));
  CAF_CHECK_EQUAL(c.width(), 32);
  CAF_CHECK(near(c, 31, 15, 255, 255, 255));
  // Cut short or lying about its length: not drawn.
  auto bad = tiles(32, 16, {{0, 0, jpeg(16, 16, 0, 0, 0)}});
  CAF_CHECK(!c.draw(bad.substr(0, bad.size() - 10)));
  CAF_CHECK(!c.draw(bad.substr(0, 20)));
  CAF_CHECK(near(c, 31, 15, 255, 255, 255));
}

CAF_TEST(the replay reader takes pieces cut anywhere) {
  std::string stream = "OAREPLAY1\n";
  stream += record('c', 1000, "{\"text\":\"hi\"}");
  stream += record('f', 1500, std::string(300, 'x'));
  stream += record('e', 2000, "{}");
  for (size_t cut = 1; cut < stream.size(); cut += 7) {
    replay_reader r;
    std::vector<replay_reader::item> items;
    CAF_REQUIRE(r.feed(std::string_view{stream}.substr(0, cut), items));
    CAF_REQUIRE(r.feed(std::string_view{stream}.substr(cut), items));
    CAF_REQUIRE_EQUAL(items.size(), 3u);
    CAF_CHECK_EQUAL(items[1].kind, 'f');
    CAF_CHECK_EQUAL(items[1].time_ms, 1500);
    CAF_CHECK_EQUAL(items[1].payload.size(), 300u);
    CAF_CHECK(r.complete());
  }
  replay_reader wrong;
  std::vector<replay_reader::item> items;
  CAF_CHECK(!wrong.feed("OAREPLAY2\nxxxxxxxxxx", items));
  replay_reader short_record;
  std::string tiny = "OAREPLAY1\n";
  storage::put_be(tiny, 3, 4);
  CAF_CHECK(!short_record.feed(tiny + "abc", items));
  replay_reader cut;
  CAF_CHECK(cut.feed(stream.substr(0, stream.size() - 1), items));
  CAF_CHECK(!cut.complete());
}

CAF_TEST(the timeline samples the screen twice a second from the first picture
           to the end) {
  std::vector<std::pair<int, int>> seen; // red, blue of each video frame
  video_timeline t{[&seen](const screen_canvas& c) {
    seen.emplace_back(c.pixels()[0], c.pixels()[2]);
    return true;
  }};
  t.add({'c', 500, "{}"}); // before any picture: not in the video
  t.add({'f', 900, "garbage"});
  CAF_CHECK(!t.started());
  t.add({'f', 1000, jpeg(16, 16, 255, 0, 0)});
  t.add({'f', 2200, jpeg(16, 16, 0, 0, 255)});
  t.add({'c', 3000, "{}"});
  CAF_REQUIRE(t.finish());
  // 1000, 1500, 2000 red; 2500, 3000 blue.
  CAF_REQUIRE_EQUAL(seen.size(), 5u);
  CAF_CHECK_EQUAL(t.frames(), 5u);
  for (size_t i = 0; i < seen.size(); ++i) {
    bool red = i < 3;
    CAF_CHECK_EQUAL(seen[i].first > 200, red);
    CAF_CHECK_EQUAL(seen[i].second > 200, !red);
  }
  video_timeline failing{[](const screen_canvas&) { return false; }};
  failing.add({'f', 0, jpeg(16, 16, 1, 2, 3)});
  CAF_CHECK(!failing.add({'f', 600, jpeg(16, 16, 1, 2, 3)}));
}
