#define CAF_SUITE actors.recording_crypto

#include "actors/session/recording_crypto.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors::recording;

namespace {

std::string write_sample(const portal_key& key, bool finish) {
  writer w(key.public_key, key.generation);
  auto out = *w.header();
  out += w.chunk({kind::chat, 1000, R"({"seq":1,"text":"hello"})"});
  out += w.chunk({kind::frame, 1500, std::string("\xFF\xD8\xFF frame")});
  if (finish)
    out += w.chunk({kind::end, 2000, R"({"reason":"closed"})"}, true);
  return out;
}

} // namespace

CAF_TEST(a recording opens with the passphrase of its key and no other) {
  auto key = make_key("correct horse battery", 1, 42);
  CAF_REQUIRE(key.has_value());
  auto stored = from_json(to_json(*key));
  CAF_REQUIRE(stored.has_value());
  uint64_t generation = stored->generation;
  CAF_CHECK_EQUAL(generation, 1u);
  CAF_CHECK(stored->public_key == key->public_key);
  CAF_CHECK(!unwrap(*stored, "wrong horse battery"));
  auto secret = unwrap(*stored, "correct horse battery");
  CAF_REQUIRE(secret.has_value());

  auto file = write_sample(*key, true);
  auto file_generation = *generation_of(file);
  CAF_CHECK_EQUAL(file_generation, 1u);
  CAF_CHECK(file.find("hello") == std::string::npos); // encrypted
  auto r = read(file, key->public_key, *secret);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK(r->finished);
  auto count = r->records.size();
  CAF_REQUIRE_EQUAL(count, 3u);
  CAF_CHECK(r->records[0].k == kind::chat);
  auto first_time = r->records[0].time_ms;
  CAF_CHECK_EQUAL(first_time, 1000);
  std::string first_payload = r->records[0].payload;
  CAF_CHECK_EQUAL(first_payload, R"({"seq":1,"text":"hello"})");
  auto frame_size = r->records[1].payload.size();
  CAF_CHECK_EQUAL(frame_size, 9u);
  CAF_CHECK(r->records[2].k == kind::end);

  // Another generation's key does not open it.
  auto other = make_key("correct horse battery", 2, 43);
  auto other_secret = unwrap(*other, "correct horse battery");
  CAF_CHECK(!read(file, other->public_key, *other_secret));
}

CAF_TEST(a recording cut off or tampered with keeps what came before) {
  auto key = make_key("correct horse battery", 1, 42);
  auto secret = *unwrap(*key, "correct horse battery");
  auto file = write_sample(*key, false);
  auto cut = file.substr(0, file.size() - 3);
  auto r = read(cut, key->public_key, secret);
  CAF_REQUIRE(r.has_value());
  CAF_CHECK(!r->finished);
  auto kept = r->records.size();
  CAF_CHECK_EQUAL(kept, 1u);
  auto flipped = file;
  flipped[flipped.size() - 1] ^= 1;
  auto t = read(flipped, key->public_key, secret);
  CAF_REQUIRE(t.has_value());
  auto kept_after_flip = t->records.size();
  CAF_CHECK_EQUAL(kept_after_flip, 1u); // the altered record is not taken
  CAF_CHECK(!read("garbage", key->public_key, secret));
  CAF_CHECK(!from_json("{\"generation\":1}"));
  CAF_CHECK(!from_json("not json"));
}

CAF_TEST(chunk sizes are known before encrypting) {
  auto key = make_key("correct horse battery", 1, 42);
  writer w(key->public_key, 1);
  (void)w.header();
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}}) {
    auto c = w.chunk({kind::frame, 1, std::string(n, 'x')});
    auto expected = chunk_size(n);
    auto got = c.size();
    CAF_CHECK_EQUAL(got, expected);
  }
}
