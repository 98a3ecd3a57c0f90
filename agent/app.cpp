#include "agent/app.hpp"

#include <chrono>
#include <cstdio>

#include "agent/diagnostics.hpp"

namespace openassist::agent {

namespace {

using json = nlohmann::json;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

// Outside text into JSON never throws: what is not UTF-8 is replaced.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

constexpr size_t max_frame_bytes = 900 * 1024; ///< the node takes 1 MiB
constexpr size_t max_queued_bytes = 1 << 20;   ///< then frames wait
constexpr int64_t keyframe_every_ms = 10000;
constexpr size_t slow_line_bytes = 256 * 1024; ///< waiting: the line is slow

} // namespace

app::app(app_options opts, target where, joined session, ui& face)
  : opts_(std::move(opts)), session_(std::move(session)), ui_(face),
    link_(where,
          {[this] { on_open(); }, [this](const std::string& t) { on_text(t); },
           [this](const std::string& why) { on_closed(why); }}) {
  quality_ = opts_.quality;
  input_ = std::make_unique<display>(opts_.display, false);
  ui_.set_actions(
    {[this](std::string text) {
       static std::atomic<uint64_t> n{0};
       send({{"type", "chat.send"},
             {"text", std::move(text)},
             {"client_id",
              "app-" + std::to_string(now_ms()) + "-" + std::to_string(++n)}});
     },
     [this](bool on) {
       {
         std::lock_guard<std::mutex> guard{mutex_};
         want_sharing_ = on;
       }
       send({{"type", on ? "screen.share" : "screen.stop"}});
     },
     [this] {
       send({{"type", "control.stop"}});
     },
     [this](bool allow) {
       std::string who;
       {
         std::lock_guard<std::mutex> guard{mutex_};
         who.swap(asked_by_);
       }
       if (!who.empty())
         send({{"type", allow ? "control.accept" : "control.decline"}});
     },
     [this] { end("You closed the support app."); }});
}

app::~app() {
  stop_ = true;
  if (screen_.joinable())
    screen_.join();
  link_.stop();
  if (diagnostics_.joinable())
    diagnostics_.join();
}

int app::run() {
  ui_.status("Connecting to the support session…");
  link_.start();
  screen_ = std::thread([this] { screen_loop(); });
  int code = ui_.run();
  stop_ = true;
  if (screen_.joinable())
    screen_.join();
  set_controlling(false, "");
  link_.stop();
  return code;
}

void app::send(const json& m) {
  link_.send_text(dump(m));
}

void app::on_open() {
  send({{"type", "customer.attach"},
        {"account", session_.account},
        {"request_id", session_.request_id},
        {"token", session_.token},
        {"client", "app"},
        {"id", "attach"}});
}

void app::on_closed(const std::string& why) {
  if (ended_)
    return;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    attached_ = false;
  }
  sharing_ = false;
  set_controlling(false, "");
  ui_.status("Connection lost (" + why + "); trying again…");
}

void app::on_text(const std::string& text) {
  auto m = json::parse(text, nullptr, false);
  if (m.is_array()) {
    for (auto& one : m)
      if (one.is_object())
        on_message(one);
  } else if (m.is_object()) {
    on_message(m);
  }
}

void app::end(const std::string& why) {
  if (ended_.exchange(true))
    return;
  stop_ = true;
  set_controlling(false, "");
  ui_.ended(why);
}

void app::set_controlling(bool on, const std::string& technician) {
  bool was = controlling_.exchange(on);
  if (was && !on && input_)
    input_->release_all(); // no key or button stays down
  if (was != on)
    ui_.controlling(on, technician);
}

void app::on_message(const json& m) {
  auto type = m.value("type", std::string{});
  if (type == "error") {
    auto code = m.contains("error") && m["error"].is_object()
                  ? m["error"].value("code", std::string{})
                  : std::string{};
    if (m.value("id", json{}) == "attach")
      return end(code == "not_found"
                   ? "This session is over or the code was for another one."
                   : "The session refused the app: " + code);
    return;
  }
  if (type == "request.state") {
    auto r = m.value("request", json::object());
    auto status = r.value("status", std::string{});
    if (status == "closed" || status == "abandoned")
      return end("The support session has ended. Thank you!");
    bool first = false;
    uint64_t after = 0;
    bool share = false;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      first = !attached_;
      attached_ = true;
      after = last_seq_;
      share = want_sharing_;
    }
    if (first) {
      send({{"type", "chat.resume"}, {"after_seq", after}});
      if (share && status == "active")
        send({{"type", "screen.share"}});
      auto tech = r.value("technician", json{});
      ui_.status(tech.is_object()
                   ? "Connected. " + tech.value("name", std::string{}) +
                       " is helping you."
                   : "Connected.");
    }
    return;
  }
  if (type == "chat.line") {
    auto line = m.value("line", json::object());
    auto seq = line.value("seq", uint64_t{0});
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (seq <= last_seq_)
        return;
      last_seq_ = seq;
    }
    auto from = line.value("from", std::string{});
    auto who = from == "system" ? std::string{"—"}
                                : line.value("name", std::string{"?"});
    ui_.chat_line(who, line.value("text", std::string{}));
    return;
  }
  if (type == "screen.state") {
    bool on = m.value("sharing", false);
    sharing_ = on;
    if (on)
      keyframe_ = true;
    ui_.sharing(on);
    return;
  }
  if (type == "screen.keyframe") {
    keyframe_ = true;
    return;
  }
  if (type == "screen.quality") {
    // A viewer falls behind: smaller pictures, and fewer of them for a while.
    quality_ = std::max(25, quality_.load() - 15);
    lowered_ms_ = now_ms();
    return;
  }
  if (type == "control.requested") {
    auto tech = m.value("technician", std::string{"The technician"});
    {
      std::lock_guard<std::mutex> guard{mutex_};
      asked_by_ = tech;
    }
    ui_.ask_control(tech);
    return;
  }
  if (type == "control.state") {
    bool on = m.value("controlling", false);
    auto tech = m.value("technician", json{});
    if (!on)
      ui_.cancel_ask();
    set_controlling(on, tech.is_string() ? tech.get<std::string>() : "");
    return;
  }
  if (type == "control.input") {
    if (controlling_)
      apply_input(m.value("events", json::array()));
    return;
  }
  if (type == "diagnostics.requested") {
    // Read off the connection's thread (a scan of /proc takes a moment);
    // one at a time, and joined before the app goes.
    std::lock_guard<std::mutex> guard{mutex_};
    if (diagnostics_.joinable())
      diagnostics_.join();
    diagnostics_ = std::thread([this] {
      json report;
      try {
        report = collect_diagnostics();
      } catch (const std::exception& e) {
        report = {{"error", e.what()}};
      }
      send({{"type", "diagnostics.report"}, {"data", report}});
    });
    return;
  }
  if (type == "app.replaced")
    return end("The support app was started again elsewhere; this one "
               "closes.");
}

void app::apply_input(const json& events) {
  if (!events.is_array() || !input_)
    return;
  for (auto& e : events) {
    if (!controlling_)
      return; // stopped in the middle: nothing more reaches the screen
    auto t = e.value("t", std::string{});
    double x = e.value("x", 0.0);
    double y = e.value("y", 0.0);
    if (t == "move")
      input_->move(x, y);
    else if (t == "button")
      input_->button(x, y, e.value("button", 0), e.value("down", false));
    else if (t == "wheel")
      input_->wheel(x, y, e.value("dy", 0));
    else if (t == "key")
      input_->key(e.value("code", std::string{}), e.value("down", false));
  }
}

// Captures the screen while it is shared: changed tiles as often as `fps`
// allows and the connection keeps up, a whole picture every 10 s and when
// a viewer joins; quality goes down when a viewer falls behind and back up
// after quiet seconds.
void app::screen_loop() {
  std::unique_ptr<display> screen;
  try {
    screen = std::make_unique<display>(opts_.display, true);
  } catch (const std::exception& e) {
    ui_.status(std::string{"The screen cannot be shared: "} + e.what());
    return;
  }
  tile_differ differ;
  int64_t last_key = 0;
  auto period = std::chrono::milliseconds(1000 / std::max(1, opts_.fps));
  while (!stop_) {
    auto started = std::chrono::steady_clock::now();
    auto now = now_ms();
    if (lowered_ms_ != 0 && now - lowered_ms_ > 5000 &&
        quality_ < opts_.quality) {
      quality_ = std::min(opts_.quality, quality_.load() + 5);
      lowered_ms_ = now;
    }
    // The line is slower than the pictures: coarser ones, and fewer.
    if (link_.queued_bytes() > slow_line_bytes && now - lowered_ms_ > 1000) {
      quality_ = std::max(25, quality_.load() - 10);
      lowered_ms_ = now;
    }
    bool behind = now - lowered_ms_ < 2000;
    if (sharing_ && link_.connected() &&
        link_.queued_bytes() < max_queued_bytes) {
      bool key =
        keyframe_.exchange(false) || now - last_key > keyframe_every_ms;
      auto img = screen->grab();
      auto changed = differ.changes(img, key);
      if (!changed.empty()) {
        int q = quality_;
        bool sent = false;
        for (int attempt = 0; attempt < 4 && !sent; ++attempt) {
          std::vector<std::pair<rect, std::string>> tiles;
          for (auto& r : changed)
            tiles.emplace_back(r, encode_jpeg(img, r, q));
          auto msg = tile_message(img.width, img.height, key, tiles);
          if (msg.size() <= max_frame_bytes) {
            link_.send_binary(std::move(msg));
            sent = true;
          }
          q = std::max(10, q - 20); // too big for one message: coarser
        }
        if (!sent)
          keyframe_ = true; // what changed is sent whole next time
        if (key)
          last_key = now;
      }
    }
    auto pause = behind ? period * 3 : period;
    auto spent = std::chrono::steady_clock::now() - started;
    if (spent < pause)
      std::this_thread::sleep_for(pause - spent);
  }
}

} // namespace openassist::agent
