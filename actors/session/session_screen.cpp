// The customer's shared screen: asked for, answered, relayed, lost.
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/session_internal.hpp"
#include "actors/session/session_recording.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors::session_detail {

using storage::put_be;

// The page that shared its screen went: sharing ends (viewers do not keep a
// frozen picture) and the chat says why.
void sharing_lost(self_ptr self) {
  auto& st = self->state;
  st.sharing = false;
  st.screen_requested = false;
  st.sharer = {};
  count_viewers(st);
  auto text = dump_text(json{{"type", "screen.state"},
                             {"request_id", request_id(st)},
                             {"sharing", false},
                             {"declined", false},
                             {"reason", "page_closed"}});
  for (auto& s : st.subscribers)
    if (s.live)
      caf::anon_send(s.conn, desk_push_atom::value, text);
  session_recording::add(self, recording::kind::screen,
                         dump_text(json{{"sharing", false}}));
  st.screen_lost = true;
  st.presence.screen_ended();
  say(self, "screen_page_closed", json::object());
}

// A customer page (back after a reload or a lost connection) learns the
// screen's state: a page that believes it still shares stops, and a question
// of the technician's not answered yet is asked again.
void screen_resync(self_ptr self, const caf::actor& conn) {
  auto& st = self->state;
  if (st.status != "active" || st.sharing)
    return;
  auto rid = request_id(st);
  if (st.screen_lost)
    caf::anon_send(conn, desk_push_atom::value,
                   dump_text(json{{"type", "screen.state"},
                                  {"request_id", rid},
                                  {"sharing", false},
                                  {"declined", false},
                                  {"reason", "page_closed"}}));
  if (st.screen_requested)
    caf::anon_send(conn, desk_push_atom::value,
                   dump_text(json{{"type", "screen.requested"},
                                  {"request_id", rid},
                                  {"technician", st.technician_name}}));
}

caf::expected<session_subscriber*> acting_member(session_state& st,
                                                 const std::string& key) {
  auto* m = member(st, key);
  if (m == nullptr)
    return make_error(errc::not_member,
                      "resume the chat of this request first");
  if (m->who.observer)
    return make_error(errc::not_yours, "observers do not act in sessions");
  if (st.status != "active")
    return make_error(errc::chat_not_open, "the session is not active");
  if (m->who.technician && !may_act(st, m->who.technician_id))
    return make_error(errc::not_yours, "another technician has this session");
  return m;
}

caf::result<screen_ack> screen_action(self_ptr self, const std::string& key,
                                      const std::string& action) {
  auto& st = self->state;
  auto acting = acting_member(st, key);
  if (!acting)
    return std::move(acting.error());
  auto* m = *acting;
  bool technician = m->who.technician;
  auto rid = request_id(st);
  auto to_all = [&](const json& msg) {
    auto text = dump_text(msg);
    for (auto& s : st.subscribers)
      if (s.live)
        caf::anon_send(s.conn, desk_push_atom::value, text);
  };
  if (action == "present" || action == "unpresent")
    return present_action(self, *m, action);
  if (m->who.app && action == "share") {
    // Starting the app and joining is the customer's consent
    // (docs/remote-control.md).
    st.screen_requested = false;
    if (st.sharing && st.sharer == m->conn.address())
      return screen_ack{action, true};
    st.sharing = true;
    st.sharer = m->conn.address();
    st.screen_lost = false;
    count_viewers(st);
    to_all({{"type", "screen.state"},
            {"request_id", rid},
            {"sharing", true},
            {"declined", false}});
    session_recording::add(self, recording::kind::screen,
                           dump_text(json{{"sharing", true}}));
    say(self, "screen_started", json::object());
    return screen_ack{action, true};
  }
  if (technician && action == "request") {
    if (st.sharing)
      return make_error(errc::sharing, "the screen is shared already");
    st.screen_requested = true;
    json msg = {{"type", "screen.requested"},
                {"request_id", rid},
                {"technician", hidden(st, m->who) ? st.technician_name
                                                  : sender_name(st, m->who)}};
    auto text = dump_text(msg);
    for (auto& s : st.subscribers)
      if (s.live && !s.who.technician)
        caf::anon_send(s.conn, desk_push_atom::value, text);
    return screen_ack{action, false};
  }
  if (!technician && (action == "accept" || action == "decline")) {
    if (!st.screen_requested)
      return make_error(errc::not_requested,
                        "the technician has not asked to see your screen");
    st.screen_requested = false;
    st.sharing = action == "accept";
    st.sharer = st.sharing ? m->conn.address() : caf::actor_addr{};
    st.screen_lost = st.screen_lost && !st.sharing;
    count_viewers(st);
    to_all({{"type", "screen.state"},
            {"request_id", rid},
            {"sharing", st.sharing},
            {"declined", action == "decline"}});
    session_recording::add(self, recording::kind::screen,
                           dump_text(json{{"sharing", st.sharing}}));
    if (st.sharing)
      say(self, "screen_started", json::object());
    return screen_ack{action, st.sharing};
  }
  if (action == "stop") {
    st.screen_requested = false;
    if (st.sharing) {
      end_control(self); // nothing to see, nothing to control
      st.sharing = false;
      st.sharer = {};
      count_viewers(st);
      to_all({{"type", "screen.state"},
              {"request_id", rid},
              {"sharing", false},
              {"declined", false}});
      session_recording::add(self, recording::kind::screen,
                             dump_text(json{{"sharing", false}}));
      say(self, "screen_stopped", json::object());
    }
    return screen_ack{action, false};
  }
  return make_error(errc::bad_field, "action: request, accept, decline, "
                                     "share, stop, present or unpresent");
}

void relay_frame(self_ptr self, const std::string& key,
                 const std::string& bytes) {
  auto& st = self->state;
  auto* m = member(st, key);
  if (m != nullptr && m->who.technician)
    return relay_presented(self, *m, bytes);
  if (!st.sharing || st.status != "active" || m == nullptr ||
      (st.sharer && st.sharer != m->conn.address()))
    return;
  // One tagged copy for all viewers: written from this buffer into the
  // sockets of viewers on this node, copied into a message for the others.
  auto tagged = std::make_shared<std::string>();
  tagged->reserve(bytes.size() + 8);
  put_be(*tagged, st.cfg.request);
  *tagged += bytes;
  if (st.rec.writer) {
    auto now = st.cfg.now_ms();
    // The app's tiles are each needed after the ones before them
    // (docs/remote-control.md): all are kept; whole images a few a second.
    bool tiles = bytes.size() >= 4 && bytes.compare(0, 4, "OAT1") == 0;
    if (tiles || now - st.rec.last_frame_ms >= st.cfg.record_frame_every_ms) {
      st.rec.last_frame_ms = now;
      session_recording::add(self, recording::kind::frame, bytes);
    }
  }
  std::shared_ptr<const std::string> frame = std::move(tagged);
  for (auto& s : st.subscribers) {
    if (!s.live || !watches(st, s.who))
      continue;
    if (s.sink) {
      if (!s.sink->write_frame(frame)) {
        viewer_slow(self); // skipped for this viewer, counted per viewer
        continue;
      }
    } else {
      caf::anon_send(s.conn, screen_frame_atom::value, *frame);
    }
    monitoring::inc(st.cfg.metrics.screen_bytes,
                    static_cast<double>(frame->size()));
  }
}

void viewer_slow(self_ptr self) {
  auto& st = self->state;
  monitoring::inc(st.cfg.metrics.screen_frames_dropped);
  auto now = st.cfg.now_ms();
  if (now - st.last_slow_ms < 1000)
    return;
  st.last_slow_ms = now;
  auto msg = dump_text(json{{"type", "screen.quality"},
                            {"request_id", request_id(st)},
                            {"direction", "down"}});
  for (auto& s : st.subscribers)
    if (s.live && !s.who.technician)
      caf::anon_send(s.conn, desk_push_atom::value, msg);
}

} // namespace openassist::actors::session_detail
