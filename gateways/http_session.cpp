// One HTTP/1.1 connection: read a request (with limits and a deadline),
// route it, write the response, repeat while keep-alive.

#include <chrono>
#include <optional>
#include <random>

#include "gateways/detail/io_owned.hpp"
#include "gateways/detail/server_state.hpp"

namespace openassist::gateways {

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  auto x = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, x >>= 4)
    id[static_cast<size_t>(i)] = hex[x & 0xf];
  return id;
}

class http_session : public std::enable_shared_from_this<http_session>,
                     public closable {
public:
  http_session(tcp::socket&& socket, std::shared_ptr<http_server::state> st,
               address_slot slot)
    : stream_(std::move(socket)), st_(std::move(st)), slot_(std::move(slot)) {
    ++st_->connections;
    if (st_->metrics.http_connections != nullptr)
      st_->metrics.http_connections->Increment();
  }

  ~http_session() override {
    release_upload();
    release_download();
    st_->untrack(this);
    --st_->connections;
    if (st_->metrics.http_connections != nullptr)
      st_->metrics.http_connections->Decrement();
  }

  void run() {
    st_->track(shared_from_this());
    net::dispatch(
      stream_.get_executor(),
      beast::bind_front_handler(&http_session::do_read, shared_from_this()));
  }

  void shutdown() override {
    if (auto self = weak_from_this().lock())
      net::post(stream_.get_executor(), [self] {
        self->closing_ = true;
        self->stopping_ = true;
        if (!self->busy_)
          self->do_close();
      });
  }

private:
  void do_read() {
    if (closing_)
      return do_close();
    if (!answered_once_ || buffer_.size() != 0)
      return read_request();
    // Between requests of a keep-alive connection: the first byte of the
    // next one may take the keep-alive limit (announced in the answers'
    // Keep-Alive header), the whole request after it the request limit.
    stream_.expires_after(st_->options.keep_alive_timeout);
    stream_.async_read_some(
      buffer_.prepare(4096),
      [self = shared_from_this()](beast::error_code ec, size_t n) {
        self->buffer_.commit(n);
        if (ec == beast::error::timeout)
          return self->do_close(); // idle: closed as announced
        if (ec)
          return self->on_read(ec, n);
        self->read_request();
      });
  }

  void read_request() {
    route_.clear();
    parser_.emplace();
    upload_ = false;
    parser_->header_limit(static_cast<uint32_t>(st_->options.header_limit));
    // The parser checks Content-Length against the limit while reading the
    // header: the larger limit first, the route's after.
    parser_->body_limit(
      std::max(st_->options.body_limit, st_->options.upload_limit));
    stream_.expires_after(st_->options.request_timeout);
    http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&http_session::on_header, shared_from_this()));
  }

  // Uploads get their own size and time limits; everything else the
  // ordinary ones.
  void on_header(beast::error_code ec, size_t n) {
    if (ec)
      return on_read(ec, n);
    auto& head = parser_->get();
    auto target = head.target();
    auto path = target.substr(0, target.find('?'));
    auto field = [&](http::field f) {
      auto i = head.find(f);
      return i == head.end() ? std::string_view{}
                             : std::string_view{i->value()};
    };
    auto token_it = head.find("X-Customer-Token");
    std::string_view token = token_it == head.end()
                               ? std::string_view{}
                               : std::string_view{token_it->value()};
    if (head.method() == http::verb::post &&
        upload_request(path, token, field(http::field::cookie),
                       field(http::field::authorization))) {
      upload_ = true;
      if (st_->options.upload_gate)
        return ask_upload_gate();
      return start_upload();
    }
    auto length = parser_->content_length();
    if (length && *length > st_->options.body_limit)
      return on_read(http::error::body_limit, n);
    parser_->body_limit(st_->options.body_limit);
    read_body();
  }

  // An upload's credentials are checked from its headers, before any of its
  // body is read or the upload budget reserved: a client that merely
  // announces a large body with made-up credentials holds nothing.
  void ask_upload_gate() {
    http_request head;
    if (!describe(parser_->get(), head))
      return reply_and_close(400, "bad_target",
                             "request target must be a path starting with /");
    busy_ = true;
    auto answer = std::make_shared<pending_answer>(
      shared_from_this(), &http_session::on_upload_gate, "upload check",
      http_response::error(503, "unavailable",
                           "the upload could not be checked; try again"));
    st_->options.upload_gate(
      head, [answer](http_response res) { answer->deliver(std::move(res)); });
  }

  void on_upload_gate(http_response res) {
    busy_ = false;
    if (stopping_)
      return do_close();
    if (res.status != 100) {
      st_->reject("upload_refused");
      closing_ = true;
      version_ = parser_->get().version();
      // The client is probably sending the body: closing in stages lets it
      // read the refusal.
      return send(to_beast(std::move(res), version_, false, false), true);
    }
    start_upload();
  }

  void start_upload() {
    // Memory for uploads is bounded across all connections: what a body
    // announces (or the limit, for chunked ones) is reserved until the
    // answer is sent.
    auto want = parser_->content_length().value_or(st_->options.upload_limit);
    auto before = st_->upload_bytes.fetch_add(want);
    upload_reserved_ = want;
    if (before + want > st_->options.upload_budget)
      return reply_and_close(503, "busy",
                             "too many uploads at once; try again shortly");
    stream_.expires_after(st_->options.upload_timeout);
    auto& head = parser_->get();
    if (!parser_->is_done() &&
        beast::iequals(head[http::field::expect], "100-continue")) {
      // The client waits for this before it sends the body.
      auto go_on = std::make_shared<http::response<http::empty_body>>(
        http::status::continue_, head.version());
      return http::async_write(
        stream_, *go_on,
        [self = shared_from_this(), go_on](beast::error_code ec, size_t) {
          if (ec)
            return self->do_close();
          self->read_body();
        });
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done())
      return on_read({}, 0);
    http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  // The request as routes see it, without its body; false when its target
  // is not an origin-form path.
  bool describe(const http::request<http::string_body>& req,
                http_request& plain) {
    plain.method = std::string{req.method_string()};
    plain.target = std::string{req.target()};
    plain.request_id = new_request_id();
    beast::error_code ignored;
    auto remote = stream_.socket().remote_endpoint(ignored);
    plain.remote_address = ignored ? "" : remote.address().to_string();
    for (auto& field : req)
      plain.headers.emplace_back(std::string{field.name_string()},
                                 std::string{field.value()});
    if (!st_->options.trusted_proxies.empty()) {
      // Every X-Forwarded-For line, in order: proxies may add their own.
      std::string forwarded;
      for (auto& [name, value] : plain.headers)
        if (beast::iequals(name, "X-Forwarded-For"))
          forwarded += (forwarded.empty() ? "" : ",") + value;
      plain.remote_address = client_address(plain.remote_address, forwarded,
                                            st_->options.trusted_proxies);
    }
    return split_target(plain.target, plain.path, plain.query);
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset ||
        ec == net::error::operation_aborted)
      return do_close();
    if (ec == beast::error::timeout) {
      st_->reject("request_timeout");
      return do_close();
    }
    if (ec == http::error::header_limit)
      return reply_and_close(431, "headers_too_large",
                             "request headers exceed " +
                               std::to_string(st_->options.header_limit) +
                               " bytes");
    if (ec == http::error::body_limit)
      return reply_and_close(413, "body_too_large",
                             "request body exceeds " +
                               std::to_string(upload_
                                                ? st_->options.upload_limit
                                                : st_->options.body_limit) +
                               " bytes");
    if (ec) {
      if (ec.category() ==
          http::make_error_code(http::error::bad_method).category())
        return reply_and_close(400, "bad_request",
                               "malformed HTTP request: " + ec.message());
      return do_close();
    }
    stream_.expires_never();
    auto req = parser_->release();
    http_request plain;
    bool origin_form = describe(req, plain);
    plain.body = std::move(req.body());
    if (!origin_form)
      return reply_and_close(400, "bad_target",
                             "request target must be a path starting with /");
    if (websocket::is_upgrade(req))
      return upgrade(std::move(req), std::move(plain));
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    head_ = req.method() == http::verb::head;
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    auto answer = std::make_shared<pending_answer>(
      shared_from_this(), &http_session::write, "request",
      http_response::error(500, "internal_error",
                           "the request was not answered; try again"));
    route_ = st_->routes.dispatch(
      plain, [answer](http_response res) { answer->deliver(std::move(res)); });
    request_id_ = plain.request_id;
  }

  void upgrade(http::request<http::string_body> req, http_request plain) {
    auto i = st_->ws.find(plain.path);
    if (i == st_->ws.end())
      return reply_and_close(404, "not_found", "no WebSocket endpoint here");
    // The same checks as for any request: outside bytes are valid UTF-8
    // before a handler reads them, and a handler that throws answers 500.
    if (auto problem = encoding_problem(plain); !problem.empty())
      return reply_and_close(400, "bad_encoding", problem);
    auto out = make_ws_outbox();
    http_response reject;
    std::optional<ws_connection> handlers;
    try {
      handlers = i->second(plain, out, reject);
    } catch (const std::exception& e) {
      st_->log->error("[{}] WebSocket upgrade of {} failed: {}",
                      st_->options.name, plain.path, e.what());
      return reply_and_close(500, "internal_error",
                             "the WebSocket could not be opened; try again");
    }
    if (!handlers) {
      st_->reject("ws_refused");
      closing_ = true;
      version_ = req.version();
      return send(to_beast(std::move(reject), version_, false, false), true);
    }
    st_->untrack(this);
    closing_ = true;
    run_websocket_session(std::move(stream_), std::move(req), out,
                          std::move(*handlers), st_, std::move(slot_));
  }

  // The answer of the request being routed. If every copy of its responder
  // is dropped without an answer (a bridge that ended without answering),
  // the client gets a 500 instead of a connection closed with no answer,
  // which a client reusing the connection cannot tell from a lost one.
  // The same for the upload gate's answer (503 when it is lost).
  struct pending_answer {
    using handler = void (http_session::*)(http_response);
    pending_answer(std::shared_ptr<http_session> s, handler h, const char* what,
                   http_response if_lost)
      : session(std::move(s)), to(h), what(what), if_lost(std::move(if_lost)) {}
    pending_answer(const pending_answer&) = delete;
    pending_answer& operator=(const pending_answer&) = delete;
    ~pending_answer() {
      if (answered.load())
        return;
      session->st_->reject("unanswered");
      session->st_->log->warn("[{}] {} ended without an answer",
                              session->st_->options.name, what);
      deliver(std::move(if_lost));
    }
    void deliver(http_response res) {
      if (answered.exchange(true))
        return;
      net::post(session->stream_.get_executor(),
                [s = session, h = to, res = std::move(res)]() mutable {
                  ((*s).*h)(std::move(res));
                });
    }
    std::shared_ptr<http_session> session;
    handler to;
    const char* what;
    http_response if_lost;
    std::atomic<bool> answered{false};
  };

  void write(http_response res) {
    reserve_download(res);
    auto& m = st_->metrics;
    if (m.requests != nullptr)
      m.requests
        ->Add({{"route", route_}, {"status", std::to_string(res.status)}})
        .Increment();
    if (m.request_seconds != nullptr)
      m.request_seconds
        ->Add({{"route", route_}},
              prometheus::Histogram::BucketBoundaries{
                0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
        .Observe(std::chrono::duration<double>(
                   std::chrono::steady_clock::now() - started_)
                   .count());
    res.headers.emplace_back("X-Request-Id", request_id_);
    bool keep = keep_alive_ && !closing_;
    auto out = to_beast(std::move(res), version_, keep, head_);
    if (keep)
      // Clients keep idle connections for less than this (Node's fetch: 2 s
      // less), so they do not send on one the node is closing.
      out.set("Keep-Alive",
              "timeout=" +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                 st_->options.keep_alive_timeout)
                                 .count()));
    answered_once_ = true;
    send(std::move(out), !keep);
  }

  void reply_and_close(unsigned status, const char* code, std::string message) {
    st_->reject(code);
    closing_ = true;
    version_ = 11;
    send(
      to_beast(http_response::error(status, code, message), 11, false, false),
      true);
  }

  void send(http::response<http::string_body> res, bool close_after) {
    auto sp =
      std::make_shared<http::response<http::string_body>>(std::move(res));
    // Large bodies (file downloads, replays) get time in proportion: at
    // least 1 MB/s beyond the ordinary write timeout.
    stream_.expires_after(st_->options.write_timeout +
                          std::chrono::seconds(sp->body().size() >> 20));
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp,
                       close_after](beast::error_code ec, size_t) {
                        self->busy_ = false;
                        self->release_upload();
                        self->release_download();
                        if (ec || self->stopping_)
                          return self->do_close();
                        if (close_after)
                          return self->linger();
                        self->do_read();
                      });
  }

  // Large answers being written hold memory until the client has read
  // them; across all connections they are bounded. One alone is always
  // sent, so no file is too large to download.
  void reserve_download(http_response& res) {
    static constexpr size_t large = 64 * 1024;
    auto size = res.body.size();
    if (size < large || head_)
      return;
    auto before = st_->download_bytes.fetch_add(size);
    if (before != 0 && before + size > st_->options.download_budget) {
      st_->download_bytes.fetch_sub(size);
      st_->reject("download_budget");
      res = http_response::error(
        503, "busy", "too many downloads at once; try again shortly");
      res.headers.emplace_back("Retry-After", "1");
      return;
    }
    download_reserved_ = size;
  }

  void release_download() {
    if (download_reserved_ != 0) {
      st_->download_bytes.fetch_sub(download_reserved_);
      download_reserved_ = 0;
    }
  }

  void release_upload() {
    if (upload_reserved_ != 0) {
      st_->upload_bytes.fetch_sub(upload_reserved_);
      upload_reserved_ = 0;
    }
  }

  void do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // Closes in stages after an answer with `Connection: close` (RFC 9112
  // §9.6): stop sending, then read and discard what the client still sends
  // until it closes, or for a bounded time and size. Closing at once with
  // unread bytes makes the kernel send a reset, and a client still sending
  // its body (fetch, Python, browsers) loses the answer with it.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
      return do_close();
    lingered_ = buffer_.size();
    buffer_.consume(buffer_.size());
    stream_.expires_after(st_->options.linger_timeout);
    discard();
  }

  void discard() {
    if (lingered_ >= st_->options.linger_bytes)
      return do_close();
    stream_.async_read_some(
      buffer_.prepare(16 * 1024),
      [self = shared_from_this()](beast::error_code ec, size_t n) {
        self->buffer_.commit(n);
        self->buffer_.consume(self->buffer_.size());
        self->lingered_ += n;
        if (ec) // end of stream, the time limit, a reset
          return self->do_close();
        self->discard();
      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http_server::state> st_;
  address_slot slot_;
  std::string route_;
  std::string request_id_;
  std::chrono::steady_clock::time_point started_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool busy_ = false;
  bool closing_ = false;
  bool stopping_ = false;        ///< the server stops: no lingering
  bool answered_once_ = false;   ///< a request was answered: keep-alive idle
  size_t lingered_ = 0;          ///< bytes discarded while closing
  bool upload_ = false;          ///< the request being read is a file upload
  size_t upload_reserved_ = 0;   ///< of the server's upload budget
  size_t download_reserved_ = 0; ///< of the server's download budget
};

} // namespace

void run_http_session(tcp::socket socket,
                      std::shared_ptr<http_server::state> st,
                      address_slot slot) {
  auto ex = socket.get_executor();
  make_io_owned<http_session>(ex, std::move(socket), std::move(st),
                              std::move(slot))
    ->run();
}

http::response<http::string_body> to_beast(http_response res, unsigned version,
                                           bool keep_alive, bool head) {
  http::response<http::string_body> out{static_cast<http::status>(res.status),
                                        version};
  out.set(http::field::server, "openassist");
  if (res.status != 304)
    out.set(http::field::content_type, res.content_type);
  for (auto& [k, v] : security_headers())
    out.set(k, v);
  if (res.content_type.rfind("application/json", 0) == 0)
    out.set(http::field::cache_control, "no-store");
  for (auto& [k, v] : res.headers)
    out.set(k, v);
  out.keep_alive(keep_alive);
  auto size = res.body.size();
  if (!head)
    out.body() = std::move(res.body);
  if (res.status != 304 && res.status != 204)
    out.content_length(size);
  return out;
}

} // namespace openassist::gateways
