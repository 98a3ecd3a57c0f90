#define CAF_SUITE storage.blob_store

#include "storage/blob_store.hpp"

#include <caf/test/unit_test.hpp>

#include <filesystem>

using namespace openassist::storage;

namespace {

struct fixture {
  std::filesystem::path dir;
  fixture() {
    dir =
      std::filesystem::temp_directory_path() /
      ("oa-blobs-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  }
  ~fixture() { std::filesystem::remove_all(dir); }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(blob_store_tests, fixture)

CAF_TEST(put read append size remove) {
  blob_store store(dir.string());
  std::string bytes("hello\0world", 11);
  auto put = store.put("files/acme/7/abc", bytes);
  CAF_CHECK_EQUAL(put, "");
  auto back = store.read("files/acme/7/abc");
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == bytes);
  CAF_CHECK(!std::filesystem::exists(dir / "files/acme/7/abc.tmp"));
  CAF_CHECK(store.append("recordings/acme/7/1.rec", "ab").empty());
  CAF_CHECK(store.append("recordings/acme/7/1.rec", "cd").empty());
  CAF_CHECK(store.sync("recordings/acme/7/1.rec").empty());
  CAF_CHECK(store.read("recordings/acme/7/1.rec") ==
            std::optional<std::string>{"abcd"});
  CAF_CHECK(store.size("recordings/acme/7/1.rec") ==
            std::optional<uint64_t>{4});
  CAF_CHECK(store.remove("recordings/acme/7/1.rec"));
  CAF_CHECK(store.remove("recordings/acme/7/1.rec")); // gone is gone
  CAF_CHECK(!store.read("recordings/acme/7/1.rec"));
}

CAF_TEST(paths outside the store are refused) {
  blob_store store(dir.string());
  for (auto bad : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/", "A/b",
                   "a/b c", "a\\b"}) {
    CAF_CHECK(!blob_store::valid_path(bad));
    CAF_CHECK(!store.put(bad, "x").empty());
    CAF_CHECK(!store.read(bad));
  }
  CAF_CHECK(blob_store::valid_path("files/acme-1/12/0123abcd"));
}

CAF_TEST_FIXTURE_SCOPE_END()
