#define CAF_SUITE gateways.ws_batch

#include "gateways/ws_batch.hpp"

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace openassist::gateways;

CAF_TEST(only batch=1 in the query asks for batches) {
  CAF_CHECK(batch_requested("/ws/v1?batch=1"));
  CAF_CHECK(batch_requested("/ws/v1?x=2&batch=1"));
  CAF_CHECK(batch_requested("/ws/v1?batch=1&x=2"));
  CAF_CHECK(!batch_requested("/ws/v1"));
  CAF_CHECK(!batch_requested("/ws/v1?batch=0"));
  CAF_CHECK(!batch_requested("/ws/v1?batch=10"));
  CAF_CHECK(!batch_requested("/ws/v1?nobatch=1"));
  CAF_CHECK(!batch_requested("/ws/v1?"));
  CAF_CHECK(!batch_requested("/ws/v1?&&"));
}

CAF_TEST(a batch is a JSON array of the messages in order) {
  batch_builder b;
  CAF_CHECK(b.add(R"({"type":"a","n":1})"));
  CAF_CHECK(b.add(R"({"type":"b","text":"[,]"})"));
  CAF_CHECK_EQUAL(b.count(), 2u);
  auto text = b.take();
  auto doc = nlohmann::json::parse(text);
  CAF_REQUIRE(doc.is_array());
  CAF_CHECK_EQUAL(doc.size(), 2u);
  CAF_CHECK_EQUAL(doc[0]["type"], "a");
  CAF_CHECK_EQUAL(doc[1]["text"], "[,]");
  CAF_CHECK_EQUAL(b.count(), 0u);
  CAF_CHECK_EQUAL(b.take(), "");
}

CAF_TEST(a batch stops at its size and the first message always fits) {
  batch_builder b;
  std::string big(batch_builder::max_bytes + 10, 'x');
  big = "\"" + big + "\"";
  CAF_CHECK(b.add(big));
  CAF_CHECK(!b.add("{}"));
  CAF_CHECK_EQUAL(b.count(), 1u);
  b.take();
  std::string line =
    R"({"type":"chat.line","text":")" + std::string(1000, 'y') + "\"}";
  size_t n = 0;
  while (b.add(line))
    ++n;
  CAF_CHECK(n > 50 && n < 62);
  CAF_CHECK(b.take().size() <= batch_builder::max_bytes);
  for (size_t i = 0; i < batch_builder::max_messages; ++i)
    CAF_CHECK(b.add("{}"));
  CAF_CHECK(!b.add("{}"));
}
