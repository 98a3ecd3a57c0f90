// The session actor: its state from storage, what the desk tells it, and its
// behaviour (members in session_members.cpp, chat in session_chat.cpp, the
// shared screen in session_screen.cpp, files in session_files.cpp).
#include "actors/session/session.hpp"
#include "actors/clock.hpp"

#include <chrono>
#include <optional>
#include <set>

#include <caf/all.hpp>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/session_internal.hpp"
#include "actors/session/session_lines.hpp"
#include "actors/session/session_recording.hpp"
#include "actors/session/session_store.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* session_state::name = "session";

namespace session_detail {

using storage::put_be;

std::string request_id(const session_state& st) {
  return std::to_string(st.cfg.request);
}

// The session's technician or one of its colleagues.
bool participant(const session_state& st, const session_member& who) {
  return who.technician && !who.observer && who.technician_id != 0 &&
         (who.technician_id == st.technician_id ||
          colleague(st, who.technician_id) != nullptr);
}

// Private notes are for the session's people and observers; other
// technicians who see the request read its other lines.
bool may_see(const session_state& st, const session_member& who,
             const json& line) {
  if (!value_or<bool>(line, "private", false))
    return true;
  return who.observer || participant(st, who);
}

// A stored line as members see it (without the sender's client id).
json shown(json line) {
  if (line.is_object())
    line.erase("cid");
  return line;
}

json line_message(const session_state& st, const json& line) {
  return {{"type", "chat.line"},
          {"request_id", request_id(st)},
          {"line", shown(line)}};
}

// A system line (actors/session/session_lines.hpp): stored, then pushed.
void say(self_ptr self, const std::string& code, const json& params,
         bool priv) {
  session_store::append(self, system_line(code, params, priv),
                        [](bool, uint64_t) {});
}

// Keeps the screen_viewers gauge at the technicians and observers watching
// this session's shared screen now.
void count_viewers(session_state& st) {
  int64_t now = 0;
  if (st.sharing && st.status == "active")
    for (auto& s : st.subscribers)
      now += s.live && watches(st, s.who) ? 1 : 0;
  if (auto* g = st.cfg.metrics.screen_viewers;
      g != nullptr && now != st.viewers)
    g->Increment(static_cast<double>(now - st.viewers));
  st.viewers = now;
}

// The technicians who are in the session now: its technician and colleagues.
std::set<uint64_t> people(const session_state& st) {
  std::set<uint64_t> out;
  if (st.technician_id != 0)
    out.insert(st.technician_id);
  for (auto& c : st.colleagues)
    out.insert(c.technician_id);
  return out;
}

void apply_news(self_ptr self, const session_news& news) {
  auto& st = self->state;
  auto people_before = people(st);
  st.token_digest = news.token_digest;
  bool was_active = st.status == "active";
  st.status = news.status;
  if (st.status != "active") {
    st.sharing = false;
    st.screen_requested = false;
    st.sharer = {};
    st.presence.ended();
  }
  st.technician_id = news.technician_id;
  st.technician_name = news.technician_name;
  st.customer_name = news.customer_name;
  st.colleagues = news.colleagues;
  // Counted by what this actor told the gauge, not by what it read first.
  bool active = st.status == "active";
  if (active != st.counted_active) {
    if (auto* g = st.cfg.metrics.active)
      active ? g->Increment() : g->Decrement();
    st.counted_active = active;
  }
  if (st.status == "active")
    session_recording::start(self, news);
  else
    session_recording::finish(self);
  revoke_departed(self, people_before);
  remote_news(self, news);
  count_viewers(st);
  if (!was_active && st.status == "active")
    push_presence(self);
  maybe_idle(self);
}

void read_stored(self_ptr self);

// Storage is read behind a fence: whatever an earlier incarnation left in
// the writer's queue is decided (and its later batches refused) first.
// Nothing is answered before (await).
void rehydrate(self_ptr self) {
  auto& st = self->state;
  st.fence.domain =
    "session/" + st.cfg.account + "/" + std::to_string(st.cfg.request);
  self
    ->request(st.cfg.persistence, storage::write_timeout(),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self](const storage::fence_receipt& r) {
        self->state.fence.reset(r);
        read_stored(self);
      },
      [self](caf::error& err) {
        monitoring::component_logger("session")->error(
          "[session {}/{}] storage does not answer a fence: {}",
          self->state.cfg.account, self->state.cfg.request,
          self->system().render(err));
        self->quit(err);
      });
}

// Finds where the stored chat ends and what the desk says of the request.
void read_stored(self_ptr self) {
  auto& st = self->state;
  auto err = read_lines(st, 1, UINT64_MAX - 1, [&](const json& line) {
    st.seq.durable_seq = value_or<uint64_t>(line, "seq", st.seq.durable_seq);
    if (auto cid = value_or<std::string>(line, "cid", ""); !cid.empty())
      st.sent.remember(cid, st.seq.durable_seq);
  });
  if (err)
    monitoring::component_logger("session")->error(
      "[session {}/{}] chat not readable: {}", st.cfg.account, st.cfg.request,
      self->system().render(err));
  st.seq.next_seq = st.seq.durable_seq + 1;
  read_diagnostics(st);
  // What the request is now (awaited: nothing is answered before).
  auto on_info = [self](const session_news& news) { apply_news(self, news); };
  self
    ->request(st.cfg.directory, std::chrono::seconds(10),
              cluster::lookup_atom::value, "desk/" + st.cfg.account)
    .await(
      [self, on_info](caf::actor& desk) {
        self
          ->request(desk, std::chrono::seconds(10), desk_request_atom::value,
                    self->state.cfg.request)
          .await(on_info, [](caf::error&) {});
      },
      [](caf::error&) {});
  // A request the desk no longer holds in memory is over: read it.
  if (st.status.empty()) {
    auto key = st.cfg.account;
    key.push_back('\0');
    put_be(key, st.cfg.request);
    if (auto v = st.cfg.env->get(storage::table::requests, key); v && *v) {
      auto doc = json::parse(**v, nullptr, false);
      st.status = value_or<std::string>(doc, "status", "closed");
      st.technician_id = value_or<uint64_t>(doc, "technician_id", 0);
      st.token_digest = value_or<std::string>(doc, "token_digest", "");
      st.customer_name = value_or<std::string>(
        doc.value("customer", json::object()), "name", "");
    }
  }
}

const session_colleague* colleague(const session_state& st, uint64_t tech) {
  for (auto& c : st.colleagues)
    if (c.technician_id == tech)
      return &c;
  return nullptr;
}

std::string sender_name(const session_state& st, const session_member& who) {
  if (!who.technician)
    return st.customer_name.empty() ? "Customer" : st.customer_name;
  if (who.technician_id == st.technician_id && !st.technician_name.empty())
    return st.technician_name;
  if (auto* c = colleague(st, who.technician_id); c && !c->name.empty())
    return c->name;
  return "Technician";
}

// The session's technician, or a colleague with full rights.
bool may_act(const session_state& st, uint64_t tech) {
  if (tech == 0)
    return false;
  if (tech == st.technician_id)
    return true;
  auto* c = colleague(st, tech);
  return c != nullptr && c->full;
}

// Who receives the shared screen: the session's technician, its colleagues
// and invisible observers (technician id 0), not every technician who may
// read the chat.
bool watches(const session_state& st, const session_member& who) {
  return who.observer || participant(st, who);
}

// A hidden colleague: the customer sees nothing of them.
bool hidden(const session_state& st, const session_member& who) {
  if (!who.technician || who.technician_id == st.technician_id)
    return false;
  auto* c = colleague(st, who.technician_id);
  return c != nullptr && c->hidden;
}

void forget(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  bool had_customer = customer_member(st);
  auto& subs = st.subscribers;
  for (auto& s : subs)
    if (s.conn.address() == who && s.who.observer)
      tell_watching(self, s.who.user, false);
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [&](const session_subscriber& s) {
                              return s.conn.address() == who;
                            }),
             subs.end());
  bool active = st.status == "active";
  if (active && st.sharing && st.sharer && st.sharer == who)
    sharing_lost(self);
  remote_left(self, who);
  if (had_customer && !customer_member(st) && st.presence.here()) {
    auto round = st.presence.departed(st.cfg.now_ms());
    if (active) {
      push_presence(self);
      self->delayed_send(self, st.cfg.presence_grace,
                         session_presence_atom::value, round);
    }
  }
  count_viewers(st);
  maybe_idle(self);
}

void broadcast_to(const session_subscriber& s, const caf::message& msg,
                  const shared_text& text) {
  if (s.sink)
    s.sink->write(text.text);
  else
    caf::anon_send(s.conn, msg);
}

// A session that is over, has no members and writes nothing stops after
// `idle_after`; the directory brings it back from storage when asked.
void maybe_idle(self_ptr self) {
  auto& st = self->state;
  auto round = ++st.idle_round;
  if (st.status == "active" || !st.subscribers.empty() || !st.writes.empty() ||
      st.rec.writer)
    return;
  self->delayed_send(self, st.cfg.idle_after, session_idle_atom::value, round);
}

} // namespace session_detail

using namespace session_detail;

void publish_line(session_store::self_ptr self, const json& line) {
  auto& st = self->state;
  if (st.rec.writer)
    session_recording::add(self, recording::kind::chat, dump_text(shown(line)));
  // One message for all members, and one buffer: their connections read the
  // same text and their sockets write it without a copy each.
  shared_text text{dump_text(line_message(st, line))};
  auto msg = caf::make_message(desk_push_atom::value, text);
  for (auto& s : st.subscribers)
    if (s.live && may_see(st, s.who, line))
      broadcast_to(s, msg, text);
}

void session_sent_ids::remember(const std::string& id, uint64_t seq) {
  if (!seq_of.emplace(id, seq).second)
    return;
  order.emplace_back(id, seq);
  while (order.size() > max_client_ids) {
    auto& [old_id, old_seq] = order.front();
    if (auto i = seq_of.find(old_id); i != seq_of.end() && i->second == old_seq)
      seq_of.erase(i);
    order.pop_front();
  }
}

std::string chat_key(const std::string& account, uint64_t request,
                     uint64_t seq) {
  std::string key = account;
  key.push_back('\0');
  put_be(key, request);
  put_be(key, seq);
  return key;
}

std::string transcript_line(const json& line) {
  return transcript_line(line, "en");
}

caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            session_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.mailbox = monitoring::mailbox_probe(st.cfg.metrics.mailbox);
  if (!st.cfg.now_ms)
    st.cfg.now_ms = wall_ms;
  rehydrate(self);
  self->set_down_handler(
    [self](caf::down_msg& msg) { forget(self, msg.source); });
  maybe_idle(self);
  self->attach_functor([self] {
    if (self->state.counted_active && self->state.cfg.metrics.active != nullptr)
      self->state.cfg.metrics.active->Decrement();
    self->state.sharing = false;
    count_viewers(self->state);
    self->state.mailbox.report(0);
  });
  return {
    [self](session_update_atom, const session_news& news) {
      apply_news(self, news);
      // A step of the request the session says (the desk's code and
      // parameters, rendered in the reader's language).
      if (news.system_code.empty())
        return;
      json params = json::object();
      for (auto& [k, v] : news.system_params)
        params[k] = v;
      session_store::append(
        self, system_line(news.system_code, params, news.system_private),
        [](bool, uint64_t) {});
    },
    [self](session_presence_atom, uint64_t round) {
      auto& st = self->state;
      if (st.status == "active" && st.presence.grace_over(round))
        say(self, "customer_away", json::object(), true);
    },
    [self](session_subscribe_atom, const caf::actor& conn,
           const std::string& role, const std::string& credential, bool live,
           uint64_t after) -> caf::result<session_joined> {
      return subscribe(self, conn, role, credential, live, after, nullptr);
    },
    [self](session_subscribe_atom, const caf::actor& conn,
           const std::string& role, const std::string& credential, bool live,
           uint64_t after,
           member_sink_ptr& sink) -> caf::result<session_joined> {
      return subscribe(self, conn, role, credential, live, after,
                       std::move(sink));
    },
    [self](session_leave_atom, const std::string& key) { leave(self, key); },
    [self](session_writes_atom) { session_store::check_overdue(self); },
    [self](session_idle_atom, uint64_t round) {
      auto& st = self->state;
      if (round == st.idle_round && st.status != "active" &&
          st.subscribers.empty() && st.writes.empty() && !st.rec.writer) {
        // Nothing in flight: the writer may forget this incarnation.
        if (st.cfg.persistence && st.fence.epoch != 0)
          self->send(st.cfg.persistence, storage::unfence_atom::value,
                     st.fence.domain, st.fence.epoch);
        self->quit();
      }
    },
    [self](session_send_atom, const std::string& key, const std::string& text,
           const std::string& client_id, bool priv) -> caf::result<chat_ack> {
      return send_line(self, key, text, client_id, priv);
    },
    [self](session_typing_atom, const std::string& key, bool on) {
      typing(self, key, on);
    },
    [self](session_screen_atom, const std::string& key,
           const std::string& action) -> caf::result<screen_ack> {
      return screen_action(self, key, action);
    },
    [self](session_frame_atom, const std::string& key,
           const std::string& bytes) { relay_frame(self, key, bytes); },
    [self](session_slow_atom) { viewer_slow(self); },
    [self](session_control_atom, const std::string& key,
           const std::string& action) -> caf::result<control_ack> {
      return control_action(self, key, action);
    },
    [self](session_input_atom, const std::string& key,
           const std::string& events) -> caf::result<uint64_t> {
      return control_input(self, key, events);
    },
    [self](session_diag_atom, const std::string& key) -> caf::result<bool> {
      return diagnostics_request(self, key);
    },
    [self](session_diag_atom, const std::string& key, const std::string& report)
      -> caf::result<bool> { return diagnostics_report(self, key, report); },
    [self](session_diag_get_atom) -> caf::result<std::string> {
      return stored_diagnostics(self->state);
    },
    [self](session_file_atom, bool technician, uint64_t technician_id,
           session_file& file) -> caf::result<file_sent> {
      return add_file(self, technician, technician_id, std::move(file));
    },
    [self](session_file_refused_atom, bool technician, uint64_t technician_id,
           const std::string& name, const std::string& reason) {
      file_refused(self, technician, technician_id, name, reason);
    },
    [self](session_file_get_atom, const std::string& id)
      -> caf::result<session_file> { return get_file(self, id); },
    [self](session_transcript_atom,
           bool include_private) -> caf::result<std::string> {
      return transcript(self, include_private, "en");
    },
    [self](session_transcript_atom, bool include_private,
           const std::string& lang) -> caf::result<std::string> {
      return transcript(self, include_private, lang);
    },
  };
}

} // namespace openassist::actors
