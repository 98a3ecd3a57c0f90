#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/session/screen_canvas.hpp"

// A recording exported as a WebM video (docs/recording.md, "Export"): the
// decrypted replay stream of the recording, read piece by piece from the
// keyring as a replay, its screen frames drawn onto a canvas
// (screen_canvas.hpp) and that canvas sampled at a fixed rate into
// Debian's ffmpeg (VP8), so the video shows at every moment the picture the
// player shows at that moment.
namespace openassist::actors::recording {

using export_atom = caf::atom_constant<caf::atom("rec_export")>;

/// Frames a second of exported videos (a recording keeps at most two).
inline constexpr int export_fps = 2;

/// Reads a replay stream (`OAREPLAY1\n`, then records of be32 length, kind,
/// be64 time ms, payload) from pieces cut anywhere.
class replay_reader {
public:
  struct item {
    char kind = 0;
    int64_t time_ms = 0;
    std::string payload;
  };
  /// Takes the next piece; the records it completes go to `out`. False once
  /// the stream is not a replay stream (or a record is larger than 64 MiB).
  bool feed(std::string_view piece, std::vector<item>& out);
  /// Whether the stream ended between records.
  bool complete() const { return ok_ && magic_ && buffer_.empty(); }

private:
  std::string buffer_;
  bool magic_ = false;
  bool ok_ = true;
};

/// The video's frames: from the first screen frame to the last record, one
/// every 1/export_fps s, each the canvas as drawn by the frames up to its
/// time. `emit(canvas)` is called once per video frame, in order.
class video_timeline {
public:
  using emit_fn = std::function<bool(const screen_canvas&)>;
  explicit video_timeline(emit_fn emit) : emit_(std::move(emit)) {}
  /// One record, in stream order (times never go back). False when `emit`
  /// failed.
  bool add(const replay_reader::item& r);
  /// The frames up to the last record's time. False when `emit` failed.
  bool finish();
  bool started() const { return !canvas_.empty(); }
  uint64_t frames() const { return frames_; }
  int64_t first_ms() const { return first_ms_; }
  int64_t last_ms() const { return last_ms_; }

private:
  bool emit_until(int64_t time_ms, bool inclusive);
  emit_fn emit_;
  screen_canvas canvas_;
  int64_t first_ms_ = 0, last_ms_ = 0;
  uint64_t frames_ = 0; ///< emitted so far: frame n is at first + n/fps
};

struct exporter_config {
  caf::actor keyring;
  std::string account;
  uint64_t request_id = 0;
  std::string passphrase;
  std::string ffmpeg = "ffmpeg"; ///< found on PATH unless a path
  std::string work_dir;          ///< a private directory for the file
  uint64_t max_bytes = 200ull << 20;
};

/// `(export_atom)` -> the WebM file, or a refusal of actors/errc.hpp: the
/// replay's (wrong_passphrase, no_recording, too_many_attempts, busy),
/// `no_screen` (nothing was shared), `too_large` (the video is larger than
/// max_bytes), `export_failed` (ffmpeg missing or failed). Spawn detached: it
/// blocks on ffmpeg. It quits after answering; the file is deleted before the
/// answer.
struct exporter_state {
  exporter_config cfg;
  static const char* name;
};

caf::behavior exporter(caf::stateful_actor<exporter_state>* self,
                       exporter_config cfg);

} // namespace openassist::actors::recording
