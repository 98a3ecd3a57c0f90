#define CAF_SUITE schema.codec

#include "schema/codec.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::schema;

CAF_TEST(events round trip) {
  event_record ev{42,     1700000000123456, "request.created",
                  "acme", "session/7",      R"({"portal":"p1"})"};
  auto bytes = encode(ev);
  CAF_CHECK_EQUAL(bytes.size() % 8, 0u);
  auto back = decode_event(bytes);
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == ev);
}

CAF_TEST(entities keep binary bodies) {
  entity_record e{"portal/1", 3, 9, std::string("\0\x01\xff body", 8)};
  auto back = decode_entity(encode(e));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == e);
}

CAF_TEST(schema info round trip) {
  schema_info info{1, 123, "abcdef"};
  auto back = decode_schema_info(encode(info));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == info);
}

CAF_TEST(garbage does not decode) {
  CAF_CHECK(!decode_event(""));
  CAF_CHECK(!decode_event("1234567")); // not word-aligned
  // A segment table that claims far more words than there are.
  std::string lie("\x00\x00\x00\x00\xff\xff\xff\x0f", 8);
  CAF_CHECK(!decode_event(lie));
  auto bytes = encode(event_record{1, 2, "k", "a", "s", "p"});
  CAF_CHECK(!decode_event(bytes.substr(0, bytes.size() - 8)));
}

CAF_TEST(text with NUL bytes round trips) {
  // Found by fuzz_records: a C-string conversion cut keys at the first NUL.
  entity_record e{std::string("portal/1\0x", 10), 1, 0, ""};
  auto back = decode_entity(encode(e));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK_EQUAL(back->key.size(), 10u);
}
