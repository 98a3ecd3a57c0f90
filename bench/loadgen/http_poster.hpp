#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <string>

namespace openassist::loadgen {

/// One keep-alive HTTP/1.1 connection that posts JSON bodies one at a time
/// on a worker's loop (connecting on first use, from a source address, and
/// again after the node closed it).
class http_poster : public std::enable_shared_from_this<http_poster> {
public:
  /// The status, or 0 when the connection failed (`why` says how).
  using done_fn = std::function<void(unsigned status, const std::string& why)>;

  http_poster(boost::asio::io_context& io, unsigned short port,
              std::string from);
  void post(const std::string& target, std::string body, done_fn done);

private:
  void do_connect();
  void do_write();
  void finish(unsigned status, const std::string& why);

  boost::beast::tcp_stream stream_;
  unsigned short port_;
  std::string from_;
  bool connected_ = false;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> req_;
  boost::beast::http::response<boost::beast::http::string_body> res_;
  done_fn done_;
};

} // namespace openassist::loadgen
