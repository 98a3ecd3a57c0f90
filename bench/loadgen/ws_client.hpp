#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace openassist::loadgen {

/// One WebSocket to /ws/v1 of the node, living on one worker's io_context.
///
/// Set-up is blocking (connect, write_sync, read_sync, read_until) and runs
/// the io_context from the calling thread, so it is used only before the
/// worker threads run it. Under load, start() reads every message into the
/// given callbacks on the worker thread and send()/send_binary() queue
/// messages from any thread, one write at a time.
class ws_client : public std::enable_shared_from_this<ws_client> {
public:
  using clock = std::chrono::steady_clock;
  struct callbacks {
    /// A message (text or binary) as it arrived; the view ends with the call.
    std::function<void(std::string_view, bool binary)> message;
    /// The connection ended without close() (the node cut it, or it failed).
    std::function<void(const std::string& why)> cut;
    /// Everything queued has been written (optional).
    std::function<void()> drained;
  };

  explicit ws_client(boost::asio::io_context& io);

  /// Connects from the local address `from` (empty: any) to 127.0.0.1:port,
  /// with the session `cookie` (may be empty), and reads the welcome.
  /// Throws std::runtime_error on failure or after `timeout`.
  /// With `batch` the node may put several messages into one frame (a JSON
  /// array, docs/websocket.md); they are handed to the callbacks one by one.
  void connect(const std::string& from, unsigned short port,
               const std::string& cookie, bool batch,
               clock::duration timeout = std::chrono::seconds(15));
  void write_sync(const std::string& text);
  std::string read_sync(clock::duration timeout = std::chrono::seconds(15));
  /// Reads until a text message (one of a batch too) contains every one of
  /// `parts`; returns it.
  std::string read_until(std::initializer_list<std::string_view> parts,
                         clock::duration timeout = std::chrono::seconds(15));

  void start(callbacks cb);
  void start(std::function<void(std::string_view, bool binary)> message,
             std::function<void(const std::string& why)> cut,
             std::function<void()> drained = {}) {
    start(callbacks{std::move(message), std::move(cut), std::move(drained)});
  }
  void send(std::string text);
  void send_binary(std::shared_ptr<const std::string> bytes);
  /// Bytes queued for writing and not yet written.
  size_t queued_bytes() const {
    return queued_.load(std::memory_order_relaxed);
  }
  /// Ends the connection without reporting it as cut (thread-safe).
  void close();

  /// Calls `each` with every message of a text frame: the elements of a
  /// batch (a JSON array of objects) or the frame itself.
  template <class F>
  static void for_each_message(std::string_view frame, F&& each);

private:
  struct outgoing {
    std::shared_ptr<const std::string> bytes;
    bool binary;
  };
  /// Runs the io_context from this thread until `done` or the deadline.
  void drive(const bool& done, clock::time_point deadline, const char* what);
  void enqueue(outgoing out);
  void do_read();
  void on_read(boost::beast::error_code ec, size_t n);
  void do_write();
  void on_write(boost::beast::error_code ec, size_t n);
  void fail(const std::string& why);

  boost::asio::io_context& io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  callbacks cb_;
  std::deque<outgoing> queue_;
  bool writing_ = false;
  bool closing_ = false;
  std::atomic<size_t> queued_{0};
};

template <class F>
void ws_client::for_each_message(std::string_view frame, F&& each) {
  if (frame.empty() || frame.front() != '[') {
    each(frame);
    return;
  }
  // Top-level objects of the array: depth outside strings.
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  size_t begin = 0;
  for (size_t i = 1; i < frame.size(); ++i) {
    const char c = frame[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      if (depth++ == 0)
        begin = i;
    } else if (c == '}') {
      if (--depth == 0)
        each(frame.substr(begin, i - begin + 1));
    }
  }
}

} // namespace openassist::loadgen
