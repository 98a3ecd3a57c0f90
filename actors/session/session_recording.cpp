// The encrypted recording of a session (docs/recording.md): its segments'
// header and chunks go to the blob store, its row to the recordings table.

#include "actors/session/session_recording.hpp"

#include <chrono>

#include <caf/all.hpp>

#include "actors/json_fields.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/keyring.hpp"
#include "monitoring/logging.hpp"

namespace openassist::actors::session_recording {

namespace {

using json = nlohmann::json;

void save_recording_meta(self_ptr self) {
  auto& st = self->state;
  storage::write_batch batch;
  batch.ops.push_back({storage::table::recordings,
                       recording_key(st.cfg.account, st.cfg.request),
                       dump_text(st.rec.meta), storage::op_kind::put});
  self
    ->request(st.cfg.persistence, std::chrono::seconds(30),
              storage::write_atom::value, std::move(batch))
    .then([](const storage::write_receipt&) {},
          [self](caf::error& err) {
            monitoring::component_logger("session")->error(
              "[session {}/{}] recording not stored: {}",
              self->state.cfg.account, self->state.cfg.request,
              self->system().render(err));
          });
}

// A write of the recording failed (disk full, I/O error): the stream cannot
// go on past a lost chunk, so the recording stops here, marked truncated;
// what was written before stays readable.
void recording_failed(self_ptr self) {
  auto& st = self->state;
  if (!st.rec.writer || st.rec.full)
    return;
  monitoring::component_logger("session")->error(
    "[session {}/{}] recording write failed; the recording stops here",
    st.cfg.account, st.cfg.request);
  st.rec.full = true;
  st.rec.meta["truncated"] = true;
  save_recording_meta(self);
}

void blob_append(self_ptr self, std::string bytes) {
  auto& st = self->state;
  self
    ->request(st.cfg.blobs, std::chrono::seconds(60), blob_append_atom::value,
              st.rec.path, std::move(bytes))
    .then(
      [self](const std::string& err) {
        if (!err.empty())
          recording_failed(self);
      },
      [self](caf::error&) { recording_failed(self); });
}

} // namespace

// Starts (or, after a restart of this actor, continues in a new segment) the
// recording of an active session whose portal records.
void start(self_ptr self, const session_news& news) {
  auto& st = self->state;
  if (st.rec.writer) {
    // The portal's cap may change while the session runs.
    st.rec.cap = news.recording_max_mb << 20;
    return;
  }
  if (!st.cfg.blobs || !news.records)
    return;
  auto portal = news.portal_id;
  auto key = current_portal_key(*st.cfg.env, st.cfg.account, portal);
  if (!key) {
    monitoring::component_logger("session")->warn(
      "[session {}/{}] portal {} records but has no replay passphrase yet: not "
      "recorded",
      st.cfg.account, st.cfg.request, portal);
    return;
  }
  auto now = st.cfg.now_ms();
  auto& meta = st.rec.meta;
  if (meta.is_null()) {
    auto row = st.cfg.env->get(storage::table::recordings,
                               recording_key(st.cfg.account, st.cfg.request));
    meta = row && *row ? json::parse(**row, nullptr, false) : json::object();
    if (!meta.is_object())
      meta = json::object();
  }
  if (value_or<bool>(meta, "truncated", false))
    return; // full already
  auto days = news.retention_days;
  if (!meta.contains("started_ms")) {
    meta["request_id"] = st.cfg.request;
    meta["portal_id"] = portal;
    meta["started_ms"] = now;
    meta["expires_ms"] = now + days * 86400000;
    meta["segments"] = json::array();
    meta["bytes"] = 0;
  }
  st.rec.bytes = value_or<uint64_t>(meta, "bytes", 0);
  st.rec.cap = news.recording_max_mb << 20;
  auto n = meta["segments"].size() + 1;
  // The time makes a segment's file its own even if an earlier row was lost.
  st.rec.path = "recordings/" + st.cfg.account + "/" +
                std::to_string(st.cfg.request) + "/" + std::to_string(n) + "-" +
                std::to_string(now) + ".rec";
  st.rec.writer.emplace(key->public_key, key->generation);
  auto head = st.rec.writer->header();
  if (!head) {
    st.rec.writer.reset();
    return;
  }
  st.rec.bytes += head->size();
  meta["segments"].push_back({{"path", st.rec.path},
                              {"generation", key->generation},
                              {"started_ms", now}});
  meta["bytes"] = st.rec.bytes;
  meta["recording"] = true;
  blob_append(self, std::move(*head));
  save_recording_meta(self);
}

// Adds one record; at the size cap the recording ends (marked truncated).
void add(self_ptr self, recording::kind k, std::string payload) {
  auto& st = self->state;
  if (!st.rec.writer || st.rec.full)
    return;
  auto now = st.cfg.now_ms();
  // Decide before encrypting: a chunk made is a step of the stream.
  if (st.rec.bytes + recording::chunk_size(payload.size()) + 128 > st.rec.cap) {
    st.rec.full = true;
    auto end = st.rec.writer->chunk(
      {recording::kind::end, now, R"({"reason":"size_cap"})"}, true);
    st.rec.bytes += end.size();
    blob_append(self, std::move(end));
    st.rec.meta["truncated"] = true;
    st.rec.meta["bytes"] = st.rec.bytes;
    save_recording_meta(self);
    return;
  }
  auto chunk = st.rec.writer->chunk({k, now, std::move(payload)});
  st.rec.bytes += chunk.size();
  blob_append(self, std::move(chunk));
}

// The session left `active`: the recording is finished and made durable.
void finish(self_ptr self) {
  auto& st = self->state;
  if (!st.rec.writer)
    return;
  auto now = st.cfg.now_ms();
  if (!st.rec.full) {
    auto end = st.rec.writer->chunk(
      {recording::kind::end, now, R"({"reason":"closed"})"}, true);
    st.rec.bytes += end.size();
    blob_append(self, std::move(end));
  }
  st.rec.writer.reset();
  st.rec.meta["bytes"] = st.rec.bytes;
  st.rec.meta["ended_ms"] = now;
  st.rec.meta["recording"] = false;
  auto& segs = st.rec.meta["segments"];
  if (segs.is_array() && !segs.empty())
    segs.back()["ended_ms"] = now;
  monitoring::inc(st.cfg.metrics.recordings_written);
  monitoring::observe(st.cfg.metrics.recording_bytes,
                      static_cast<double>(st.rec.bytes));
  // Durable bytes first, then the row that says the recording is whole.
  self
    ->request(st.cfg.blobs, std::chrono::seconds(60), blob_sync_atom::value,
              st.rec.path)
    .then([self](const std::string&) { save_recording_meta(self); },
          [self](caf::error&) { save_recording_meta(self); });
}

} // namespace openassist::actors::session_recording
