#include "http_poster.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <netinet/in.h>
#include <sys/socket.h>

namespace openassist::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

http_poster::http_poster(asio::io_context& io, unsigned short port,
                         std::string from)
  : stream_(io), port_(port), from_(std::move(from)) {}

void http_poster::post(const std::string& target, std::string body,
                       done_fn done) {
  done_ = std::move(done);
  req_ = {http::verb::post, target, 11};
  req_.set(http::field::host, "127.0.0.1");
  req_.set(http::field::content_type, "application/json");
  req_.keep_alive(true);
  req_.body() = std::move(body);
  req_.prepare_payload();
  if (connected_)
    do_write();
  else
    do_connect();
}

void http_poster::do_connect() {
  auto& sock = stream_.socket();
  beast::error_code ec;
  sock.close(ec);
  sock.open(tcp::v4(), ec);
  if (!ec && !from_.empty()) {
    const int on = 1;
    setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
               sizeof on);
    sock.bind(tcp::endpoint(asio::ip::make_address(from_), 0), ec);
  }
  if (ec) {
    finish(0, "socket: " + ec.message());
    return;
  }
  stream_.expires_after(std::chrono::seconds(30));
  stream_.async_connect(
    tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_),
    [self = shared_from_this()](beast::error_code ec) {
      if (ec) {
        self->finish(0, "connect: " + ec.message());
        return;
      }
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->connected_ = true;
      self->do_write();
    });
}

void http_poster::do_write() {
  stream_.expires_after(std::chrono::seconds(30));
  http::async_write(
    stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->finish(0, "write: " + ec.message());
        return;
      }
      self->res_ = {};
      http::async_read(self->stream_, self->buffer_, self->res_,
                       [self](beast::error_code ec, size_t) {
                         if (ec) {
                           self->finish(0, "read: " + ec.message());
                           return;
                         }
                         if (!self->res_.keep_alive())
                           self->connected_ = false;
                         self->finish(self->res_.result_int(), {});
                       });
    });
}

void http_poster::finish(unsigned status, const std::string& why) {
  if (status == 0) {
    connected_ = false;
    buffer_.clear();
  }
  auto done = std::move(done_);
  done_ = nullptr;
  if (done)
    done(status, why);
}

} // namespace openassist::loadgen
