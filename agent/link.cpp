#include "agent/link.hpp"

#include <algorithm>
#include <deque>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace openassist::agent {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct link::impl : std::enable_shared_from_this<link::impl> {
  target where;
  callbacks cb;
  std::atomic<size_t>& queued;
  std::atomic<bool>& connected;
  net::io_context io;
  tcp::resolver resolver{io};
  net::steady_timer retry{io};
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  std::deque<std::pair<bool, std::string>> out; ///< binary?, bytes
  bool writing = false;
  bool stopping = false;
  int backoff_s = 1;
  uint64_t generation = 0; ///< of the connection; old handlers do nothing

  impl(target t, callbacks c, std::atomic<size_t>& q, std::atomic<bool>& on)
    : where(std::move(t)), cb(std::move(c)), queued(q), connected(on) {}

  void connect() {
    if (stopping)
      return;
    auto gen = ++generation;
    ws = std::make_unique<websocket::stream<beast::tcp_stream>>(io);
    resolver.async_resolve(
      where.host, where.port,
      [self = shared_from_this(), gen](beast::error_code ec,
                                       tcp::resolver::results_type r) {
        if (gen != self->generation)
          return;
        if (ec)
          return self->lost("cannot find the server: " + ec.message());
        beast::get_lowest_layer(*self->ws).expires_after(
          std::chrono::seconds(15));
        beast::get_lowest_layer(*self->ws).async_connect(
          r, [self, gen](beast::error_code ec2, const tcp::endpoint&) {
            if (gen != self->generation)
              return;
            if (ec2)
              return self->lost("cannot reach the server: " + ec2.message());
            self->handshake(gen);
          });
      });
  }

  void handshake(uint64_t gen) {
    beast::get_lowest_layer(*ws).expires_never();
    ws->set_option(
      websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws->set_option(
      websocket::stream_base::decorator([](websocket::request_type& req) {
        req.set(beast::http::field::user_agent, "openassist-agent");
      }));
    ws->read_message_max(1 << 20);
    ws->async_handshake(where.host + ":" + where.port, "/ws/v1",
                        [self = shared_from_this(), gen](beast::error_code ec) {
                          if (gen != self->generation)
                            return;
                          if (ec)
                            return self->lost("the server refused: " +
                                              ec.message());
                          self->backoff_s = 1;
                          self->connected = true;
                          if (self->cb.opened)
                            self->cb.opened();
                          self->read(gen);
                          self->write();
                        });
  }

  void read(uint64_t gen) {
    ws->async_read(
      buffer, [self = shared_from_this(), gen](beast::error_code ec, size_t) {
        if (gen != self->generation)
          return;
        if (ec)
          return self->lost(ec == websocket::error::closed
                              ? "the server closed the connection"
                              : "the connection was cut: " + ec.message());
        if (self->ws->got_text() && self->cb.text)
          self->cb.text(beast::buffers_to_string(self->buffer.data()));
        self->buffer.consume(self->buffer.size());
        self->read(gen);
      });
  }

  void write() {
    if (writing || out.empty() || !connected)
      return;
    writing = true;
    auto gen = generation;
    // The message lives until its write is over, even when the connection
    // is dropped meanwhile.
    auto cur = std::make_shared<std::string>(std::move(out.front().second));
    ws->binary(out.front().first);
    out.pop_front();
    ws->async_write(net::buffer(*cur), [self = shared_from_this(), gen,
                                        cur](beast::error_code ec, size_t) {
      self->queued -= std::min(self->queued.load(), cur->size());
      if (gen != self->generation)
        return;
      self->writing = false;
      if (ec)
        return self->lost("writing failed: " + ec.message());
      self->write();
    });
  }

  // The connection is gone: what was queued is dropped (the app sends its
  // state again after the next attach) and a retry is due.
  void lost(const std::string& why) {
    ++generation;
    connected = false;
    writing = false;
    size_t dropped = 0;
    for (auto& m : out)
      dropped += m.second.size();
    out.clear();
    queued -= std::min(queued.load(), dropped);
    beast::error_code ignored;
    if (ws)
      beast::get_lowest_layer(*ws).socket().close(ignored);
    if (cb.closed)
      cb.closed(why);
    if (stopping)
      return;
    retry.expires_after(std::chrono::seconds(backoff_s));
    backoff_s = std::min(backoff_s * 2, 30);
    retry.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->connect();
    });
  }
};

link::link(target t, callbacks cb)
  : p_(std::make_shared<impl>(std::move(t), std::move(cb), queued_,
                              connected_)) {}

link::~link() {
  stop();
}

void link::start() {
  net::post(p_->io, [p = p_] { p->connect(); });
  thread_ = std::thread([p = p_] {
    auto guard = net::make_work_guard(p->io);
    p->io.run();
  });
}

void link::stop() {
  if (!thread_.joinable())
    return;
  net::post(p_->io, [p = p_] {
    p->stopping = true;
    p->retry.cancel();
    if (!p->connected || !p->ws)
      return p->io.stop();
    // A close handshake, or at most two seconds for it.
    p->retry.expires_after(std::chrono::seconds(2));
    p->retry.async_wait([p](beast::error_code) { p->io.stop(); });
    p->ws->async_close(websocket::close_code::normal,
                       [p](beast::error_code) { p->io.stop(); });
  });
  thread_.join();
}

void link::send_text(std::string text) {
  queued_ += text.size();
  net::post(p_->io, [p = p_, t = std::move(text)]() mutable {
    if (!p->connected) {
      p->queued -= t.size();
      return;
    }
    p->out.emplace_back(false, std::move(t));
    p->write();
  });
}

void link::send_binary(std::string bytes) {
  queued_ += bytes.size();
  net::post(p_->io, [p = p_, b = std::move(bytes)]() mutable {
    if (!p->connected) {
      p->queued -= b.size();
      return;
    }
    p->out.emplace_back(true, std::move(b));
    p->write();
  });
}

} // namespace openassist::agent
