#include "ws_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>

namespace openassist::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

ws_client::ws_client(asio::io_context& io) : io_(io), ws_(io) {
  ws_.read_message_max(8u << 20);
}

void ws_client::drive(const bool& done, clock::time_point deadline,
                      const char* what) {
  io_.restart();
  while (!done) {
    if (io_.run_one_until(deadline) > 0)
      continue;
    if (done)
      break;
    // Timed out: cancel what is pending and let its handler run.
    beast::get_lowest_layer(ws_).cancel();
    io_.restart();
    while (!done && io_.run_one() > 0) {
    }
    throw std::runtime_error(std::string("timed out: ") + what);
  }
}

void ws_client::connect(const std::string& from, unsigned short port,
                        const std::string& cookie, bool batch,
                        clock::duration timeout) {
  const auto deadline = clock::now() + timeout;
  auto& sock = beast::get_lowest_layer(ws_).socket();
  sock.open(tcp::v4());
  if (!from.empty()) {
    // The port is picked at connect, per destination, so one source
    // address serves more than the ephemeral range's 28,000 sockets.
    const int on = 1;
    setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
               sizeof on);
    sock.bind(tcp::endpoint(asio::ip::make_address(from), 0));
  }
  bool done = false;
  beast::error_code err;
  sock.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                     [&](beast::error_code ec) {
                       err = ec;
                       done = true;
                     });
  drive(done, deadline, "connect");
  if (err)
    throw std::runtime_error("connect: " + err.message());
  sock.set_option(tcp::no_delay(true));
  ws_.set_option(
    websocket::stream_base::decorator([cookie](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "openassist-loadgen");
      if (!cookie.empty())
        req.set(beast::http::field::cookie, cookie);
    }));
  done = false;
  ws_.async_handshake("127.0.0.1:" + std::to_string(port),
                      batch ? "/ws/v1?batch=1" : "/ws/v1",
                      [&](beast::error_code ec) {
                        err = ec;
                        done = true;
                      });
  drive(done, deadline, "handshake");
  if (err)
    throw std::runtime_error("handshake: " + err.message());
  read_until({"\"welcome\""}, deadline - clock::now());
}

void ws_client::write_sync(const std::string& text) {
  bool done = false;
  beast::error_code err;
  ws_.text(true);
  ws_.async_write(asio::buffer(text), [&](beast::error_code ec, size_t) {
    err = ec;
    done = true;
  });
  drive(done, clock::now() + std::chrono::seconds(15), "write");
  if (err)
    throw std::runtime_error("write: " + err.message());
}

std::string ws_client::read_sync(clock::duration timeout) {
  bool done = false;
  beast::error_code err;
  ws_.async_read(buffer_, [&](beast::error_code ec, size_t) {
    err = ec;
    done = true;
  });
  drive(done, clock::now() + timeout, "read");
  if (err)
    throw std::runtime_error("read: " + err.message());
  auto text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  return text;
}

std::string ws_client::read_until(std::initializer_list<std::string_view> parts,
                                  clock::duration timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    std::string text;
    try {
      text = read_sync(deadline - clock::now());
    } catch (const std::runtime_error& e) {
      std::string wanted;
      for (auto part : parts)
        wanted += std::string(wanted.empty() ? "" : " ") + std::string(part);
      throw std::runtime_error(std::string(e.what()) + " waiting for " +
                               wanted);
    }
    std::string found;
    for_each_message(text, [&](std::string_view m) {
      if (m.starts_with("{\"error\""))
        throw std::runtime_error("the node refused: " + std::string(m));
      bool all = true;
      for (auto part : parts)
        all = all && m.find(part) != std::string_view::npos;
      if (all && found.empty())
        found = m;
    });
    if (!found.empty())
      return found;
  }
}

void ws_client::start(callbacks cb) {
  cb_ = std::move(cb);
  asio::post(io_, [self = shared_from_this()] { self->do_read(); });
}

void ws_client::do_read() {
  ws_.async_read(buffer_,
                 [self = shared_from_this()](beast::error_code ec, size_t n) {
                   self->on_read(ec, n);
                 });
}

void ws_client::on_read(beast::error_code ec, size_t) {
  if (ec) {
    fail("read: " + ec.message());
    return;
  }
  const auto data = buffer_.cdata();
  const std::string_view frame(static_cast<const char*>(data.data()),
                               data.size());
  if (ws_.got_binary())
    cb_.message(frame, true);
  else
    for_each_message(frame,
                     [this](std::string_view m) { cb_.message(m, false); });
  buffer_.consume(buffer_.size());
  do_read();
}

void ws_client::send(std::string text) {
  enqueue({std::make_shared<const std::string>(std::move(text)), false});
}

void ws_client::send_binary(std::shared_ptr<const std::string> bytes) {
  enqueue({std::move(bytes), true});
}

void ws_client::enqueue(outgoing out) {
  queued_.fetch_add(out.bytes->size(), std::memory_order_relaxed);
  asio::post(io_, [self = shared_from_this(), out = std::move(out)]() mutable {
    if (self->closing_) {
      self->queued_.fetch_sub(out.bytes->size(), std::memory_order_relaxed);
      return;
    }
    self->queue_.push_back(std::move(out));
    if (!self->writing_)
      self->do_write();
  });
}

void ws_client::do_write() {
  writing_ = true;
  const auto& next = queue_.front();
  ws_.binary(next.binary);
  ws_.async_write(asio::buffer(*next.bytes),
                  [self = shared_from_this()](beast::error_code ec, size_t n) {
                    self->on_write(ec, n);
                  });
}

void ws_client::on_write(beast::error_code ec, size_t) {
  queued_.fetch_sub(queue_.front().bytes->size(), std::memory_order_relaxed);
  queue_.pop_front();
  writing_ = false;
  if (ec) {
    fail("write: " + ec.message());
    return;
  }
  if (!queue_.empty() && !closing_)
    do_write();
  else if (queue_.empty() && cb_.drained)
    cb_.drained();
}

void ws_client::fail(const std::string& why) {
  if (closing_)
    return;
  closing_ = true;
  if (cb_.cut)
    cb_.cut(why);
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void ws_client::close() {
  asio::post(io_, [self = shared_from_this()] {
    if (self->closing_)
      return;
    self->closing_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
}

} // namespace openassist::loadgen
