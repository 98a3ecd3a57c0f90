#define CAF_SUITE gateways.static_files

#include "gateways/static_files.hpp"

#include <filesystem>
#include <fstream>

#include <caf/test/dsl.hpp>

#include "temp_dir.hpp"

using namespace openassist::gateways;

namespace {

struct fixture {
  temp_dir dir;
  temp_dir outside;
  std::unique_ptr<static_files> files;
  fixture() {
    std::filesystem::create_directories(dir.path + "/assets");
    std::ofstream(dir.path + "/index.html") << "<!doctype html>";
    std::ofstream(dir.path + "/assets/app-1234.js") << "console.log(1)";
    std::ofstream(dir.path + "/.secret") << "no";
    std::ofstream(outside.path + "/passwd") << "root";
    std::filesystem::create_symlink(outside.path + "/passwd",
                                    dir.path + "/link");
    files = std::make_unique<static_files>(dir.path);
  }
  std::string header(const http_response& res, const std::string& name) {
    for (auto& [k, v] : res.headers)
      if (k == name)
        return v;
    return {};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(static_files_tests, fixture)

CAF_TEST(the root serves index html that revalidates) {
  auto res = files->serve("/", "");
  CAF_CHECK_EQUAL(res.status, 200u);
  CAF_CHECK_EQUAL(res.body, "<!doctype html>");
  CAF_CHECK_EQUAL(res.content_type, "text/html; charset=utf-8");
  CAF_CHECK_EQUAL(header(res, "Cache-Control"), "no-cache");
  auto again = files->serve("/index.html", header(res, "ETag"));
  CAF_CHECK_EQUAL(again.status, 304u);
  CAF_CHECK(again.body.empty());
}

CAF_TEST(hashed assets are immutable) {
  auto res = files->serve("/assets/app-1234.js", "");
  CAF_CHECK_EQUAL(res.status, 200u);
  CAF_CHECK_EQUAL(res.content_type, "text/javascript; charset=utf-8");
  CAF_CHECK_EQUAL(header(res, "Cache-Control"),
                  "public, max-age=31536000, immutable");
}

CAF_TEST(nothing outside the root or hidden is served) {
  CAF_CHECK_EQUAL(files->serve("/../" + outside.path + "/passwd", "").status,
                  404u);
  CAF_CHECK_EQUAL(files->serve("/assets/../../etc/passwd", "").status, 404u);
  CAF_CHECK_EQUAL(files->serve("/.secret", "").status, 404u);
  CAF_CHECK_EQUAL(files->serve("/link", "").status, 404u);
  CAF_CHECK_EQUAL(files->serve("/missing.js", "").status, 404u);
}

CAF_TEST_FIXTURE_SCOPE_END()
