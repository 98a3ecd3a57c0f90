#include "actors/session/recording_export.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <caf/all.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actors/errc.hpp"
#include "actors/session/keyring.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

extern char** environ;

namespace openassist::actors::recording {

const char* exporter_state::name = "recording_exporter";

namespace {

constexpr std::string_view magic = "OAREPLAY1\n";
constexpr size_t max_record = 64u << 20;

auto log() {
  return monitoring::component_logger("recording");
}

caf::error refusal(errc kind, const std::string& code,
                   const std::string& message) {
  error_details d;
  d.code = code;
  return make_error(kind, message, std::move(d));
}

// ffmpeg reading raw RGB frames on its standard input and writing a WebM
// file (VP8, realtime: a recording of screen pictures at 2 a second).
class ffmpeg_process {
public:
  ~ffmpeg_process() {
    if (fd_ >= 0)
      ::close(fd_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  bool start(const std::string& program, int width, int height,
             const std::string& out) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, (out + ".log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    auto size = std::to_string(width) + "x" + std::to_string(height);
    auto fps = std::to_string(export_fps);
    std::vector<std::string> args = {
      program,   "-nostdin",    "-hide_banner", "-loglevel",
      "error",   "-f",          "rawvideo",     "-pix_fmt",
      "rgb24",   "-video_size", size,           "-framerate",
      fps,       "-i",          "pipe:0",       "-c:v",
      "libvpx",  "-deadline",   "realtime",     "-cpu-used",
      "8",       "-b:v",        "600k",         "-pix_fmt",
      "yuv420p", "-f",          "webm",         "-y",
      out};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    auto rc = posix_spawnp(&pid_, program.c_str(), &actions, nullptr,
                           argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    if (rc != 0) {
      pid_ = 0;
      ::close(fds[1]);
      return false;
    }
    fd_ = fds[1];
    return true;
  }

  bool write(const std::vector<uint8_t>& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  /// Ends the input and waits: whether ffmpeg wrote the file.
  bool finish() {
    ::close(fd_);
    fd_ = -1;
    int status = 0;
    auto pid = pid_;
    pid_ = 0;
    return ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
  }

private:
  pid_t pid_ = 0;
  int fd_ = -1;
};

// One export: the reader, the timeline, ffmpeg, the private directory.
struct job {
  exporter_config cfg;
  caf::response_promise rp;
  replay_reader reader;
  std::unique_ptr<video_timeline> timeline;
  std::optional<ffmpeg_process> ffmpeg;
  std::string dir, file;
  bool failed = false;

  ~job() {
    ffmpeg.reset();
    if (!dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }

  bool emit(const screen_canvas& canvas) {
    if (!ffmpeg) {
      ffmpeg.emplace();
      if (!ffmpeg->start(cfg.ffmpeg, canvas.width(), canvas.height(), file)) {
        log()->error("recording export: cannot start {}", cfg.ffmpeg);
        return false;
      }
    }
    return ffmpeg->write(canvas.pixels());
  }

  void answer(std::string video) { rp.deliver(std::move(video)); }
  void refuse(caf::error err) { rp.deliver(std::move(err)); }
};

using job_ptr = std::shared_ptr<job>;
using self_ptr = caf::stateful_actor<exporter_state>*;

void finish(self_ptr self, const job_ptr& j) {
  if (!j->timeline->started()) {
    j->refuse(refusal(errc::bad_state, "no_screen",
                      "this recording has no shared screen to export"));
    return self->quit();
  }
  if (!j->reader.complete() || !j->timeline->finish() || !j->ffmpeg->finish()) {
    std::ifstream log_file{j->file + ".log"};
    std::stringstream why;
    why << log_file.rdbuf();
    log()->error("recording export of {}/{} failed: {}", j->cfg.account,
                 j->cfg.request_id, why.str());
    j->refuse(refusal(errc::unavailable, "export_failed",
                      "the video could not be made; try again"));
    return self->quit();
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(j->file, ec);
  if (ec || size > j->cfg.max_bytes) {
    j->refuse(refusal(errc::too_large, "too_large",
                      "the video is larger than the node serves"));
    return self->quit();
  }
  std::ifstream in{j->file, std::ios::binary};
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  j->answer(std::move(bytes));
  self->quit();
}

// The keyring's refusal as it said it (wrong passphrase, no recording,
// busy), else "try again".
void replay_refused(self_ptr self, const job_ptr& j, caf::error& err) {
  j->refuse(code_of(err) != 0
              ? std::move(err)
              : refusal(errc::unavailable, "unavailable", "try again"));
  self->quit();
}

void on_piece(self_ptr self, const job_ptr& j, std::string& body,
              const std::string& cursor) {
  std::vector<replay_reader::item> items;
  bool ok = j->reader.feed(body, items);
  for (auto& item : items)
    ok = ok && j->timeline->add(item);
  if (!ok) {
    j->refuse(refusal(errc::unavailable, "export_failed",
                      "the video could not be made; try again"));
    return self->quit();
  }
  if (cursor.empty())
    return finish(self, j);
  self
    ->request(j->cfg.keyring, std::chrono::seconds(120),
              replay_next_atom::value, j->cfg.account, j->cfg.request_id,
              cursor)
    .then(
      [self, j](std::string& b, std::string& c) { on_piece(self, j, b, c); },
      [self, j](caf::error& err) { replay_refused(self, j, err); });
}

} // namespace

bool replay_reader::feed(std::string_view piece, std::vector<item>& out) {
  if (!ok_)
    return false;
  buffer_.append(piece);
  if (!magic_) {
    if (buffer_.size() < magic.size())
      return true;
    if (buffer_.compare(0, magic.size(), magic) != 0)
      return ok_ = false;
    buffer_.erase(0, magic.size());
    magic_ = true;
  }
  size_t at = 0;
  while (buffer_.size() - at >= 4) {
    auto length = storage::get_be(std::string_view{buffer_}.substr(at), 4);
    if (length < 9 || length > max_record)
      return ok_ = false;
    if (buffer_.size() - at - 4 < length)
      break;
    std::string_view rec{buffer_.data() + at + 4, length};
    out.push_back({rec[0], static_cast<int64_t>(storage::get_be(rec.substr(1))),
                   std::string{rec.substr(9)}});
    at += 4 + length;
  }
  buffer_.erase(0, at);
  return true;
}

bool video_timeline::emit_until(int64_t time_ms, bool inclusive) {
  while (true) {
    auto at = first_ms_ + static_cast<int64_t>(frames_) * 1000 / export_fps;
    if (at > time_ms || (at == time_ms && !inclusive))
      return true;
    if (!emit_(canvas_))
      return false;
    ++frames_;
  }
}

bool video_timeline::add(const replay_reader::item& r) {
  last_ms_ = std::max(last_ms_, r.time_ms);
  if (r.kind != 'f')
    return true;
  if (canvas_.empty()) {
    if (canvas_.draw(r.payload))
      first_ms_ = last_ms_ = r.time_ms;
    return true;
  }
  if (!emit_until(r.time_ms, false))
    return false;
  canvas_.draw(r.payload);
  return true;
}

bool video_timeline::finish() {
  return canvas_.empty() || emit_until(last_ms_, true);
}

caf::behavior exporter(caf::stateful_actor<exporter_state>* self,
                       exporter_config cfg) {
  self->state.cfg = std::move(cfg);
  return {
    [self](export_atom) {
      auto j = std::make_shared<job>();
      j->cfg = self->state.cfg;
      j->rp = self->make_response_promise();
      j->timeline = std::make_unique<video_timeline>(
        [raw = j.get()](const screen_canvas& c) { return raw->emit(c); });
      std::error_code ec;
      std::filesystem::create_directories(j->cfg.work_dir, ec);
      auto pattern = j->cfg.work_dir + "/export-XXXXXX";
      if (::mkdtemp(pattern.data()) == nullptr) {
        j->refuse(refusal(errc::unavailable, "export_failed",
                          "the node cannot write the video now"));
        self->quit();
        return;
      }
      j->dir = pattern;
      j->file = j->dir + "/video.webm";
      self
        ->request(j->cfg.keyring, std::chrono::seconds(120), replay_atom::value,
                  j->cfg.account, j->cfg.request_id, j->cfg.passphrase)
        .then([self, j](std::string& b,
                        std::string& c) { on_piece(self, j, b, c); },
              [self, j](caf::error& err) { replay_refused(self, j, err); });
    },
  };
}

} // namespace openassist::actors::recording
