#define CAF_SUITE gateways.socket_sink

#include "gateways/socket_sink.hpp"

#include "gateways/connection.hpp"

#include <memory>
#include <string>
#include <vector>

#include <caf/test/unit_test.hpp>

using namespace openassist::gateways;

namespace {

struct log_outbox : ws_outbox {
  std::vector<std::string> sent;
  std::vector<const std::string*> buffers;
  std::vector<uint16_t> closed;
  void send_text(std::string message) override {
    sent.push_back(std::move(message));
  }
  void send_binary(std::string) override {}
  std::vector<const std::string*> frames;
  size_t queued = 0;
  void send_shared_binary(std::shared_ptr<const std::string> bytes) override {
    frames.push_back(bytes.get());
  }
  size_t queued_bytes() const override { return queued; }
  void send_shared(std::shared_ptr<const std::string> text) override {
    sent.push_back(*text);
    buffers.push_back(text.get());
  }
  void close(uint16_t code, std::string) override { closed.push_back(code); }
};

std::shared_ptr<const std::string> text(std::string s) {
  return std::make_shared<const std::string>(std::move(s));
}

} // namespace

CAF_TEST(an open sink writes each broadcast from the buffer of the session) {
  auto out = std::make_shared<log_outbox>();
  socket_sink sink{out};
  auto line = text("a");
  sink.write(line);
  sink.write(nullptr);
  CAF_REQUIRE_EQUAL(out->sent.size(), 1u);
  CAF_CHECK_EQUAL(out->buffers[0], line.get());
}

CAF_TEST(a held sink writes what waited in order after the answer) {
  auto out = std::make_shared<log_outbox>();
  socket_sink sink{out};
  sink.write(text("before"));
  sink.hold();
  sink.write(text("1"));
  sink.write(text("2"));
  out->send_text("synced"); // the connection's answer to the resume
  sink.open();
  sink.write(text("3"));
  std::vector<std::string> want{"before", "synced", "1", "2", "3"};
  CAF_CHECK_EQUAL(out->sent, want);
  CAF_CHECK(out->closed.empty());
}

CAF_TEST(holds nest and an open without a hold changes nothing) {
  auto out = std::make_shared<log_outbox>();
  socket_sink sink{out};
  sink.open();
  sink.hold();
  sink.hold();
  sink.write(text("1"));
  sink.open();
  CAF_CHECK(out->sent.empty());
  sink.open();
  CAF_CHECK_EQUAL(out->sent.size(), 1u);
}

CAF_TEST(a member that would hold too much is disconnected to resume again) {
  auto out = std::make_shared<log_outbox>();
  socket_sink sink{out};
  sink.hold();
  std::string big(socket_sink::max_held_bytes / 2 + 1, 'x');
  sink.write(text(big));
  sink.write(text(big)); // over the bound: nothing more is kept
  sink.write(text("small"));
  sink.open();
  CAF_CHECK(out->sent.empty());
  CAF_REQUIRE_EQUAL(out->closed.size(), 1u);
  CAF_CHECK_EQUAL(out->closed[0], 1013u);
  // A later hold starts empty.
  sink.hold();
  sink.write(text("again"));
  sink.open();
  CAF_CHECK_EQUAL(out->sent.size(), 1u);
}

CAF_TEST(a frame goes out at once from the shared buffer and is skipped when the
           socket is behind) {
  auto out = std::make_shared<log_outbox>();
  socket_sink sink{out};
  auto frame = text("12345678image");
  // Not held behind a resume: frames need no order with the chat.
  sink.hold();
  CAF_CHECK(sink.write_frame(frame));
  CAF_REQUIRE_EQUAL(out->frames.size(), 1u);
  CAF_CHECK_EQUAL(out->frames[0], frame.get());
  out->queued = screen_queue_limit + 1;
  CAF_CHECK(!sink.write_frame(frame));
  CAF_CHECK_EQUAL(out->frames.size(), 1u);
  sink.open();
}
