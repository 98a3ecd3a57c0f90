// One WebSocket connection: frames in go to the endpoint's handlers (the
// connection actor), frames out come through ws_outbox into a bounded queue.

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <vector>

#include <boost/asio/dispatch.hpp>

#include "gateways/detail/io_owned.hpp"
#include "gateways/detail/server_state.hpp"
#include "gateways/ws_batch.hpp"

namespace openassist::gateways {

namespace {

/// A message on its way out: its own text, or a text it shares with other
/// connections (a session's broadcast), written from the same buffer.
struct ws_message {
  std::string own;
  std::shared_ptr<const std::string> shared;
  bool binary = false;

  const std::string& data() const { return shared ? *shared : own; }
};

class websocket_session
  : public std::enable_shared_from_this<websocket_session>,
    public closable {
public:
  websocket_session(beast::tcp_stream&& stream,
                    std::shared_ptr<http_server::state> st, address_slot slot)
    : ws_(std::move(stream)), st_(std::move(st)), slot_(std::move(slot)),
      tokens_(st_->options.ws_burst), refilled_(clock::now()) {
    ++st_->connections;
    ++st_->ws_open;
    if (st_->metrics.websocket_connections != nullptr)
      st_->metrics.websocket_connections->Increment();
  }

  ~websocket_session() override {
    // What was handed over and never written (a connection dropped with
    // its queue) leaves the node's budget.
    if (auto left = outstanding_.load())
      st_->ws_budget.remove(left);
    st_->untrack(this);
    --st_->connections;
    --st_->ws_open;
    if (st_->metrics.websocket_connections != nullptr)
      st_->metrics.websocket_connections->Decrement();
  }

  void run(http::request<http::string_body> req, ws_connection handlers) {
    handlers_ = std::move(handlers);
    batch_ = batch_requested(req.target());
    st_->track(shared_from_this());
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{
      std::chrono::seconds(10), st_->options.ws_idle_timeout, true};
    ws_.set_option(timeouts);
    // Message sizes are checked here, not by Beast: Beast fails an oversize
    // message by closing the socket with the rest unread, and the client
    // sees a reset (1006) instead of the close frame (1009).
    ws_.read_message_max(0);
    // One frame per message, written at once: Beast's default splits what
    // it sends into 4 KiB frames, one socket write each (16 for a 64 KiB
    // screen image, 15 for a full batch). Messages are at most the frame
    // limit (1 MiB), so nothing is gained by interleaving control frames.
    ws_.auto_fragment(false);
    ws_.set_option(
      websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "openassist");
      }));
    ws_.async_accept(req, beast::bind_front_handler(
                            &websocket_session::on_accept, shared_from_this()));
  }

  void shutdown() override {
    if (auto self = weak_from_this().lock())
      net::post(ws_.get_executor(), [self] {
        self->close_on_strand(websocket::close_code::going_away,
                              "server shutting down");
      });
  }

  /// From any thread (the connection actor). Messages handed over while
  /// the I/O thread has not yet taken the previous ones go with them: one
  /// wake-up of the I/O thread per burst, not per message.
  ///
  /// Messages to a client that sent one lately (its acks and answers) wake
  /// the I/O thread directly; other pushes wake it through the server's
  /// write pump, a slice of sockets per turn, so a broadcast to thousands of
  /// followers does not hold up the answers other clients are waiting for.
  /// In the pump a broadcast (a shared text) waits in the bulk lane, behind
  /// the connections' own messages. Whatever the wake-up, the messages of
  /// one connection leave in the order they were handed over (one handover
  /// queue; a faster wake-up takes what a slower one was scheduled for).
  void enqueue(ws_message msg) {
    auto size = msg.data().size();
    outstanding_ += size;
    st_->ws_budget.add(size);
    auto want = interactive() ? wake_kind::direct
                : msg.shared  ? wake_kind::bulk
                              : wake_kind::pumped;
    wake_kind wake = wake_kind::none;
    {
      std::lock_guard<std::mutex> guard{handover_mtx_};
      handover_.push_back(std::move(msg));
      if (want > handover_wake_)
        wake = handover_wake_ = want;
    }
    if (wake == wake_kind::direct)
      net::post(ws_.get_executor(),
                [self = shared_from_this()] { self->take_handover(); });
    else if (wake != wake_kind::none)
      // Weak: the server's state holds the pump, and a session holds the
      // state; a strong reference waiting in the pump at shutdown would
      // keep both alive. A session gone meanwhile had nothing left to send.
      st_->pump->schedule(
        [weak = weak_from_this()] {
          if (auto self = weak.lock())
            net::dispatch(self->ws_.get_executor(),
                          [self] { self->take_handover(); });
        },
        wake == wake_kind::bulk ? write_pump::lane::bulk
                                : write_pump::lane::normal);
  }

  /// Closes after the messages handed over before it (the error that says
  /// why goes out first), however they were woken for.
  void close(uint16_t code, std::string reason) {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)] {
                self->take_handover();
                self->close_on_strand(static_cast<websocket::close_code>(code),
                                      reason, true);
              });
  }

private:
  using clock = std::chrono::steady_clock;

  void on_accept(beast::error_code ec) {
    if (ec)
      return finish();
    open_ = true;
    // Messages queued before the handshake completed (the welcome) go first.
    if (!queue_.empty() && !writing_)
      do_write();
    do_read();
  }

  // The largest message of the kind being read (before its first bytes
  // arrive the kind is not known).
  size_t message_limit() const {
    if (buffer_.size() == 0)
      return std::max(st_->options.ws_max_message, st_->options.ws_max_binary);
    return ws_.got_text() ? st_->options.ws_max_message
                          : st_->options.ws_max_binary;
  }

  // Reads a message in parts, at most one byte past its limit: enough to
  // know it is too big without holding more of it.
  void do_read() {
    auto room = message_limit() + 1 - buffer_.size();
    ws_.async_read_some(buffer_, std::min<size_t>(room, 64 * 1024),
                        beast::bind_front_handler(&websocket_session::on_read,
                                                  shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec)
      return finish();
    if (buffer_.size() > message_limit()) {
      st_->reject("ws_message_too_big");
      buffer_.consume(buffer_.size());
      // The close handshake reads and discards the rest of the message.
      return close_on_strand(websocket::close_code::too_big, "message too big");
    }
    if (!ws_.is_message_done())
      return do_read();
    if (!take_token()) {
      st_->reject("ws_rate_limit");
      return close_on_strand(websocket::close_code::policy_error,
                             "too many messages");
    }
    if (st_->metrics.websocket_messages_in != nullptr)
      st_->metrics.websocket_messages_in->Increment();
    last_read_ns_.store(clock::now().time_since_epoch().count(),
                        std::memory_order_relaxed);
    auto data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (ws_.got_text()) {
      if (handlers_.on_text)
        handlers_.on_text(std::move(data));
    } else if (handlers_.on_binary) {
      handlers_.on_binary(std::move(data));
    }
    do_read();
  }

  // Token bucket against clients that flood the connection actor's mailbox.
  bool take_token() {
    auto now = clock::now();
    tokens_ = std::min(
      st_->options.ws_burst,
      tokens_ + std::chrono::duration<double>(now - refilled_).count() *
                  st_->options.ws_messages_per_second);
    refilled_ = now;
    if (tokens_ < 1)
      return false;
    tokens_ -= 1;
    return true;
  }

  // A client that sent a message lately is in a conversation: what it is
  // handed (the ack, the line it sent coming back, the answer) goes out
  // ahead of the pushes waiting in the pump.
  bool interactive() const {
    auto last = last_read_ns_.load(std::memory_order_relaxed);
    return last != 0 &&
           clock::now().time_since_epoch().count() - last < interactive_ns;
  }

  // Whenever the handover queue holds messages, a take_handover is on its
  // way (posted directly or waiting in the pump); one that finds the queue
  // already taken by another does nothing.
  void take_handover() {
    std::vector<ws_message> batch;
    {
      std::lock_guard<std::mutex> guard{handover_mtx_};
      batch.swap(handover_);
      handover_wake_ = wake_kind::none;
    }
    // All of them queued first, then one write: for a client that takes
    // batches they leave together.
    for (auto& m : batch)
      enqueue_on_strand(std::move(m));
    if (open_ && !writing_ && !queue_.empty() && !closing_)
      do_write();
  }

  /// Queues one message (or drops the client over its budget); the caller
  /// starts the write.
  void enqueue_on_strand(ws_message msg) {
    auto size = msg.data().size();
    // Before the handshake completes, messages wait in the queue.
    if (finished_ || closing_) {
      forget(size);
      return;
    }
    auto verdict =
      st_->ws_budget.admit(queued_bytes_, size, st_->ws_open.load());
    if (verdict != outbound_budget::verdict::accept) {
      forget(size);
      // The client does not read: drop it rather than grow without bound,
      // beyond its own limit or, when all connections together hold the
      // node's budget, beyond its share of it.
      bool own = verdict == outbound_budget::verdict::over_connection;
      st_->reject(own ? "ws_slow_consumer" : "ws_node_budget");
      st_->log->info("[{}] closing WebSocket of {}: client too slow ({} bytes "
                     "queued{})",
                     st_->options.name, remote(), queued_bytes_,
                     own ? "" : "; the node's outbound budget is full");
      closing_ = true;
      beast::get_lowest_layer(ws_).close();
      return;
    }
    if (st_->metrics.websocket_messages_out != nullptr)
      st_->metrics.websocket_messages_out->Increment();
    queued_bytes_ += size;
    queue_.push_back(std::move(msg));
  }

  void do_write() {
    writing_ = true;
    const auto& front = queue_.front();
    // A client that asked for batches gets the text messages waiting behind
    // this one in the same frame: one write for the lot, not one each.
    if (batch_ && !front.binary && queue_.size() > 1) {
      batch_builder batch;
      for (const auto& m : queue_)
        if (m.binary || !batch.add(m.data()))
          break;
      if (batch.count() > 1) {
        writing_count_ = batch.count();
        batch_text_ = batch.take();
        ws_.binary(false);
        ws_.async_write(net::buffer(batch_text_),
                        beast::bind_front_handler(&websocket_session::on_write,
                                                  shared_from_this()));
        return;
      }
    }
    writing_count_ = 1;
    ws_.binary(front.binary);
    ws_.async_write(net::buffer(front.data()),
                    beast::bind_front_handler(&websocket_session::on_write,
                                              shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    writing_ = false;
    // Released, not cleared: a connection that was behind once must not keep
    // up to a batch's 60 KiB outside the node's outbound budget (each batch
    // is built in a string of its own anyway).
    batch_text_ = std::string{};
    if (ec)
      return finish();
    size_t size = 0;
    for (size_t i = 0; i < writing_count_ && !queue_.empty(); ++i) {
      size += queue_.front().data().size();
      queue_.pop_front();
    }
    queued_bytes_ -= size;
    forget(size);
    if (closing_ && drain_ && !queue_.empty())
      return do_write();
    if (closing_) {
      // What is still queued is dropped: the close frame goes next.
      forget(queued_bytes_);
      queue_.clear();
      queued_bytes_ = 0;
      send_close();
      return;
    }
    if (!queue_.empty())
      do_write();
  }

  // `drain`: what is queued goes out first (bounded by the connection's
  // outbound limit); otherwise only the message being written does.
  void close_on_strand(websocket::close_code code, std::string reason,
                       bool drain = false) {
    if (!open_ || closing_)
      return;
    closing_ = true;
    drain_ = drain;
    close_code_ = code;
    close_reason_ = std::move(reason);
    if (!writing_) {
      forget(queued_bytes_);
      queue_.clear();
      queued_bytes_ = 0;
      send_close();
    }
  }

  void send_close() {
    // The closing handshake (and the discarding of what the client still
    // sends until its close frame) gets the lingering time of HTTP.
    ws_.set_option(websocket::stream_base::timeout{
      st_->options.linger_timeout, st_->options.ws_idle_timeout, true});
    ws_.async_close(websocket::close_reason{close_code_, close_reason_},
                    [self = shared_from_this()](beast::error_code) {
                      // Usually the read loop ends with `closed` and calls
                      // finish(); after an oversize message no read is
                      // pending.
                      self->finish();
                    });
  }

  void finish() {
    open_ = false;
    finished_ = true;
    if (handlers_.on_close) {
      auto on_close = std::move(handlers_.on_close);
      handlers_ = {};
      on_close();
    }
  }

  // Bytes written or dropped: no longer this connection's nor the node's.
  void forget(size_t n) {
    outstanding_ -= n;
    st_->ws_budget.remove(n);
  }

  std::string remote() {
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    return ec ? std::string{"?"} : ep.address().to_string();
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<http_server::state> st_;
  address_slot slot_;
  beast::flat_buffer buffer_;
  ws_connection handlers_;
  std::deque<ws_message> queue_;
  size_t queued_bytes_ = 0;
  /// How the I/O thread was woken for what waits in the handover queue.
  /// Ordered: a later message may ask for a faster one, never a slower.
  enum class wake_kind { none, bulk, pumped, direct };
  /// How long after its last message a client counts as interactive.
  static constexpr int64_t interactive_ns = 1'000'000'000;

  /// Handed over by enqueue() and not yet taken by the I/O thread.
  std::mutex handover_mtx_;
  std::vector<ws_message> handover_;
  wake_kind handover_wake_ = wake_kind::none;
  /// When the client's last message was read (steady clock, ns; 0: never).
  std::atomic<int64_t> last_read_ns_{0};

public:
  /// Bytes enqueued from any thread and not yet written.
  std::atomic<size_t> outstanding_{0};

private:
  double tokens_;
  clock::time_point refilled_;
  websocket::close_code close_code_ = websocket::close_code::normal;
  std::string close_reason_;
  bool open_ = false;
  bool finished_ = false;
  bool writing_ = false;
  /// The client asked for batches (docs/websocket.md, "Batches").
  bool batch_ = false;
  /// Messages of the queue's front the write in flight carries.
  size_t writing_count_ = 1;
  /// The batch being written (kept until its write completes).
  std::string batch_text_;
  bool drain_ = false; ///< closing after the queue is written
  bool closing_ = false;
};

// The connection actor holds this, not the session: once the connection is
// gone, sends become no-ops and the session can be freed.
// Messages sent before the session exists (the actor's welcome, sent while
// the upgrade is still being decided) are kept and handed over on attach.
class outbox_bridge : public ws_outbox {
public:
  void attach(const std::shared_ptr<websocket_session>& s) {
    std::vector<ws_message> early;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      session_ = s;
      attached_ = true;
      early.swap(early_);
    }
    for (auto& msg : early)
      s->enqueue(std::move(msg));
  }
  void send_text(std::string message) override {
    send({std::move(message), nullptr, false});
  }
  void send_binary(std::string bytes) override {
    send({std::move(bytes), nullptr, true});
  }
  void send_shared(std::shared_ptr<const std::string> text) override {
    send({{}, std::move(text), false});
  }
  void send_shared_binary(std::shared_ptr<const std::string> bytes) override {
    send({{}, std::move(bytes), true});
  }
  size_t queued_bytes() const override {
    std::lock_guard<std::mutex> guard{mtx_};
    auto s = session_.lock();
    return s ? s->outstanding_.load() : 0;
  }
  void close(uint16_t code, std::string reason) override {
    if (auto s = session())
      s->close(code, std::move(reason));
  }

private:
  void send(ws_message msg) {
    std::shared_ptr<websocket_session> s;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (!attached_) {
        if (early_.size() < 64)
          early_.push_back(std::move(msg));
        return;
      }
      s = session_.lock();
    }
    if (s)
      s->enqueue(std::move(msg));
  }
  std::shared_ptr<websocket_session> session() {
    std::lock_guard<std::mutex> guard{mtx_};
    return session_.lock();
  }

  mutable std::mutex mtx_;
  bool attached_ = false;
  std::vector<ws_message> early_;
  std::weak_ptr<websocket_session> session_;
};

} // namespace

std::shared_ptr<ws_outbox> make_ws_outbox() {
  return std::make_shared<outbox_bridge>();
}

void run_websocket_session(beast::tcp_stream stream,
                           http::request<http::string_body> req,
                           const std::shared_ptr<ws_outbox>& out,
                           ws_connection handlers,
                           std::shared_ptr<http_server::state> st,
                           address_slot slot) {
  auto session = make_io_owned<websocket_session>(
    stream.get_executor(), std::move(stream), st, std::move(slot));
  static_cast<outbox_bridge&>(*out).attach(session);
  session->run(std::move(req), std::move(handlers));
}

} // namespace openassist::gateways
