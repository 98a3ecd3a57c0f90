#include "actors/session.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <set>

#include <caf/all.hpp>

#include <sodium.h>

#include "actors/blobs.hpp"
#include "actors/credentials.hpp"
#include "actors/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/keyring.hpp"
#include "actors/session_lines.hpp"
#include "actors/session_recording.hpp"
#include "actors/session_store.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* session_state::name = "session";

namespace {

using json = nlohmann::json;
using self_ptr = caf::stateful_actor<session_state>*;
using storage::put_be;
using reply = std::tuple<unsigned, std::string>;
using result = caf::result<unsigned, std::string>;

constexpr size_t max_line_chars = 4000;

reply error_reply(unsigned status, const std::string& code,
                  const std::string& message) {
  return {status,
          dump_text(json{{"error", {{"code", code}, {"message", message}}}})};
}

result answer(reply r) {
  return result(std::get<0>(r), std::move(std::get<1>(r)));
}

std::string request_id(const session_state& st) {
  return std::to_string(st.cfg.request);
}

const session_colleague* colleague(const session_state& st, uint64_t tech);

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

// A system line (actors/session_lines.hpp): stored, then pushed.
void say(self_ptr self, const std::string& code, const json& params,
         bool priv = false) {
  session_store::append(self, system_line(code, params, priv),
                        [](bool, uint64_t) {});
}

bool watches(const session_state& st, const session_member& who);

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

void revoke_departed(self_ptr self, const std::set<uint64_t>& before);
void maybe_idle(self_ptr self);
void push_presence(self_ptr self, const caf::actor& only = {});

// The technicians who are in the session now: its technician and colleagues.
std::set<uint64_t> people(const session_state& st) {
  std::set<uint64_t> out;
  if (st.technician_id != 0)
    out.insert(st.technician_id);
  for (auto& c : st.colleagues)
    out.insert(c.technician_id);
  return out;
}

void apply_info(self_ptr self, const json& info) {
  auto& st = self->state;
  auto people_before = people(st);
  st.token_digest =
    value_or<std::string>(info, "token_digest", st.token_digest);
  bool was_active = st.status == "active";
  st.status = value_or<std::string>(info, "status", st.status);
  if (st.status != "active") {
    st.sharing = false;
    st.screen_requested = false;
    st.sharer = {};
    st.presence.ended();
  }
  st.technician_id =
    value_or<uint64_t>(info, "technician_id", st.technician_id);
  st.technician_name =
    value_or<std::string>(info, "technician_name", st.technician_name);
  st.customer_name =
    value_or<std::string>(info, "customer_name", st.customer_name);
  if (auto c = info.find("collaborators"); c != info.end() && c->is_array()) {
    st.colleagues.clear();
    for (auto& x : *c)
      st.colleagues.push_back(
        {value_or<uint64_t>(x, "technician_id", 0),
         value_or<std::string>(x, "name", ""),
         value_or<bool>(x, "hidden", false),
         value_or<std::string>(x, "rights", "view") == "full"});
  }
  // Counted by what this actor told the gauge, not by what it read first.
  bool active = st.status == "active";
  if (active != st.counted_active) {
    if (auto* g = st.cfg.metrics.active)
      active ? g->Increment() : g->Decrement();
    st.counted_active = active;
  }
  if (st.status == "active")
    session_recording::start(self, info);
  else
    session_recording::finish(self);
  revoke_departed(self, people_before);
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
  // What the request is now (awaited: nothing is answered before).
  auto on_info = [self](unsigned status, std::string& body) {
    if (status == 200)
      apply_info(self, json::parse(body, nullptr, false));
  };
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

// -- the customer's presence (docs/sessions.md) ------------------------------

// Tells the technicians and observers of an active session (or `only`)
// whether the customer's page is there.
void push_presence(self_ptr self, const caf::actor& only) {
  auto& st = self->state;
  if (st.status != "active")
    return;
  auto msg = st.presence.view();
  msg["type"] = "session.presence";
  msg["request_id"] = request_id(st);
  auto text = dump_text(msg);
  if (only) {
    caf::anon_send(only, desk_push_atom::value, text);
    return;
  }
  for (auto& s : st.subscribers)
    if (s.live && s.who.technician)
      caf::anon_send(s.conn, desk_push_atom::value, text);
}

bool customer_member(const session_state& st) {
  return std::any_of(
    st.subscribers.begin(), st.subscribers.end(),
    [](const session_subscriber& s) { return !s.who.technician; });
}

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

// A customer page became a member.
void customer_arrived(self_ptr self) {
  auto& st = self->state;
  if (st.presence.here())
    return;
  bool back = st.presence.arrived(st.cfg.now_ms());
  if (st.status != "active")
    return;
  push_presence(self);
  if (back)
    say(self, "customer_back", json::object(), true);
}

void forget(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  bool had_customer = customer_member(st);
  auto& subs = st.subscribers;
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [&](const session_subscriber& s) {
                              return s.conn.address() == who;
                            }),
             subs.end());
  bool active = st.status == "active";
  if (active && st.sharing && st.sharer && st.sharer == who)
    sharing_lost(self);
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

// -- members (docs/sessions.md, "Who is in a session") ----------------------

constexpr auto check_timeout = std::chrono::seconds(10);

reply refused() {
  // The same answer for every refusal: nothing tells a stranger whether the
  // request exists.
  return error_reply(404, "not_found", "no such request");
}

session_subscriber* member(session_state& st, const std::string& key) {
  if (key.empty())
    return nullptr;
  for (auto& s : st.subscribers)
    if (s.key.size() == key.size() &&
        sodium_memcmp(s.key.data(), key.data(), key.size()) == 0)
      return &s;
  return nullptr;
}

// What a member's client ids are remembered under.
std::string sender_id(const session_member& who) {
  if (who.observer)
    return "o" + std::to_string(who.user);
  return who.technician ? "t" + std::to_string(who.technician_id) : "c";
}

void revoke(self_ptr self, const caf::actor& conn, const std::string& reason) {
  auto& st = self->state;
  caf::anon_send(conn, desk_push_atom::value,
                 dump_text(json{{"type", "chat.revoked"},
                                {"request_id", request_id(st)},
                                {"reason", reason}}));
  self->demonitor(conn);
  forget(self, conn.address());
}

// Asks the account's desk whether `user` may read (a technician) or watch
// (an observer) this request; `done(true)` if so.
void ask_desk(self_ptr self, bool observer, uint64_t user,
              std::function<void(unsigned, std::string)> done) {
  auto& st = self->state;
  self
    ->request(st.cfg.directory, check_timeout, cluster::lookup_atom::value,
              "desk/" + st.cfg.account)
    .then(
      [self, observer, user, done](caf::actor& desk) {
        auto id = request_id(self->state);
        auto msg = observer
                     ? caf::make_message(desk_monitor_atom::value, user, id)
                     : caf::make_message(desk_can_read_atom::value, user, id);
        self->request(desk, check_timeout, std::move(msg))
          .then([done](unsigned status,
                       std::string& body) { done(status, std::move(body)); },
                [done](caf::error&) {
                  auto [s, b] = error_reply(503, "unavailable", "try again");
                  done(s, b);
                });
      },
      [done](caf::error&) {
        auto [s, b] = error_reply(503, "unavailable", "try again");
        done(s, b);
      });
}

// A technician who left the session (transfer, hand-over, leave) stops
// listening at once; technicians who only read are asked about again.
void revoke_departed(self_ptr self, const std::set<uint64_t>& before) {
  auto& st = self->state;
  auto now = people(st);
  if (now == before)
    return;
  std::vector<caf::actor> gone;
  std::vector<std::pair<caf::actor, uint64_t>> readers;
  for (auto& s : st.subscribers) {
    if (!s.who.technician || s.who.observer)
      continue;
    if (before.count(s.who.technician_id) && !now.count(s.who.technician_id))
      gone.push_back(s.conn);
    else if (!now.count(s.who.technician_id))
      readers.emplace_back(s.conn, s.who.user);
  }
  for (auto& conn : gone)
    revoke(self, conn, "you are no longer in this session");
  for (auto& [conn, user] : readers)
    ask_desk(self, false, user,
             [self, conn = conn](unsigned status, const std::string&) {
               if (status == 403 || status == 404)
                 revoke(self, conn, "you may no longer read this session");
             });
}

// Checks who asks to be a member; `done(member)` or `done(nullopt, refusal)`.
void authorise(self_ptr self, const std::string& role,
               const std::string& credential,
               std::function<void(std::optional<session_member>, reply)> done) {
  auto& st = self->state;
  if (credential.empty() || credential.size() > 256)
    return done(std::nullopt, refused());
  if (role == member_customer) {
    auto digest = token_digest(credential);
    if (st.token_digest.size() != digest.size() ||
        sodium_memcmp(st.token_digest.data(), digest.data(), digest.size()) !=
          0)
      return done(std::nullopt, refused());
    return done(session_member{false, 0, false, 0}, {});
  }
  if (role != member_technician && role != member_observer)
    return done(std::nullopt, error_reply(400, "bad_field",
                                          "role: customer, technician or "
                                          "observer"));
  if (!st.cfg.auth)
    return done(std::nullopt, error_reply(503, "unavailable", "try again"));
  bool observer = role == member_observer;
  self->request(st.cfg.auth, check_timeout, authn_atom::value, credential)
    .then(
      [self, observer, done](std::string& account, uint64_t user, std::string&,
                             bool) {
        if (account != self->state.cfg.account || user == 0)
          return done(std::nullopt, refused());
        ask_desk(self, observer, user,
                 [observer, user, done](unsigned status, std::string body) {
                   if (status != 200)
                     return done(std::nullopt,
                                 status == 503 ? reply{status, std::move(body)}
                                               : refused());
                   session_member who;
                   who.technician = true;
                   who.observer = observer;
                   who.technician_id = observer ? 0 : user;
                   who.user = user;
                   done(who, {});
                 });
      },
      [done](caf::error&) {
        done(std::nullopt, error_reply(503, "unavailable", "try again"));
      });
}

// Makes `conn` a member (or finds it one already); with `live` it receives
// the stored lines after `after` and from then on the session's events.
reply join(self_ptr self, const caf::actor& conn, const session_member& who,
           bool live, uint64_t after) {
  auto& st = self->state;
  session_subscriber* sub = nullptr;
  for (auto& s : st.subscribers)
    if (s.conn == conn)
      sub = &s;
  if (sub != nullptr && sender_id(sub->who) != sender_id(who))
    return error_reply(409, "bad_state",
                       "this connection is in the session as someone else");
  std::string key;
  if (sub == nullptr) {
    self->monitor(conn);
    st.subscribers.push_back({conn, who, random_token(), false});
    if (!who.technician)
      customer_arrived(self);
    sub = &st.subscribers.back();
  }
  key = sub->key;
  if (!live)
    return {200, dump_text(json{{"type", "member"}, {"member", key}})};
  // Stored lines first, then live ones: lines still being stored are pushed
  // to every live member when their commit arrives, so each line reaches the
  // member exactly once.
  auto err =
    read_lines(st, after + 1, st.seq.durable_seq, [&](const json& line) {
      if (may_see(st, who, line))
        caf::anon_send(conn, desk_push_atom::value,
                       dump_text(line_message(st, line)));
    });
  if (err)
    return error_reply(503, "storage_unavailable",
                       "the chat cannot be read now");
  for (auto& s : st.subscribers)
    if (s.conn == conn)
      s.live = true;
  count_viewers(st);
  if (who.technician)
    push_presence(self, conn);
  else
    screen_resync(self, conn);
  return {200, dump_text(json{{"type", "chat.synced"},
                              {"request_id", request_id(st)},
                              {"last_seq", st.seq.durable_seq},
                              {"member", key}})};
}

// The chat as text, in `lang` (English for a language it does not know).
reply transcript(self_ptr self, bool include_private, const std::string& lang) {
  auto& st = self->state;
  maybe_idle(self);
  auto in = transcript_language(lang) ? lang : std::string{"en"};
  std::string text;
  auto err = read_lines(st, 1, st.seq.durable_seq, [&](const json& line) {
    if (include_private || !value_or<bool>(line, "private", false))
      text += transcript_line(line, in);
  });
  if (err)
    return error_reply(503, "storage_unavailable",
                       "the chat cannot be read now");
  return {200, text};
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

} // namespace

void publish_line(session_store::self_ptr self, const json& line) {
  auto& st = self->state;
  if (st.rec.writer)
    session_recording::add(self, recording::kind::chat, dump_text(shown(line)));
  // One message for all members: their connections read the same text.
  auto msg =
    caf::make_message(desk_push_atom::value, dump_text(line_message(st, line)));
  for (auto& s : st.subscribers)
    if (s.live && may_see(st, s.who, line))
      caf::anon_send(s.conn, msg);
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

std::string file_key(const std::string& account, uint64_t request,
                     const std::string& id) {
  std::string key = account;
  key.push_back('\0');
  put_be(key, request);
  key += id;
  return key;
}

std::string file_blob_path(const std::string& account, uint64_t request,
                           const std::string& id) {
  return "files/" + account + "/" + std::to_string(request) + "/" + id;
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
    st.cfg.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
    };
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
    [self](session_update_atom, const std::string& text) {
      auto info = json::parse(text, nullptr, false);
      if (info.is_discarded())
        return;
      apply_info(self, info);
      // A step of the request the session says (the desk's code and
      // parameters, rendered in the reader's language).
      auto code = value_or<std::string>(info, "system_code", "");
      if (code.empty())
        return;
      auto params = info.value("system_params", json::object());
      auto line = system_line(code, params,
                              value_or<bool>(info, "system_private", false));
      session_store::append(self, std::move(line), [](bool, uint64_t) {});
    },
    [self](session_presence_atom, uint64_t round) {
      auto& st = self->state;
      if (st.status == "active" && st.presence.grace_over(round))
        say(self, "customer_away", json::object(), true);
    },
    [self](session_subscribe_atom, const caf::actor& conn,
           const std::string& role, const std::string& credential, bool live,
           uint64_t after) -> result {
      if (!conn)
        return answer(error_reply(400, "bad_field", "no connection"));
      auto rp = self->make_response_promise<unsigned, std::string>();
      authorise(self, role, credential,
                [self, rp, conn, live, after](std::optional<session_member> who,
                                              reply refusal) mutable {
                  auto [status, body] =
                    who ? join(self, conn, *who, live, after) : refusal;
                  rp.deliver(status, std::move(body));
                });
      return rp;
    },
    [self](session_leave_atom, const std::string& key) {
      if (auto* m = member(self->state, key)) {
        auto conn = m->conn;
        self->demonitor(conn);
        forget(self, conn.address());
      }
    },
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
           const std::string& client_id, bool priv) -> result {
      auto& st = self->state;
      st.mailbox.sample(self);
      if (text.empty() ||
          text.find_first_not_of(" \t\r\n") == std::string::npos)
        return answer(error_reply(400, "bad_field", "text: is required"));
      size_t chars = 0; // code points, as people count them
      for (unsigned char c : text)
        chars += (c & 0xC0) != 0x80;
      if (chars > max_line_chars)
        return answer(
          error_reply(400, "bad_field", "text: at most 4000 characters"));
      if (client_id.size() > 64)
        return answer(
          error_reply(400, "bad_field", "client_id: at most 64 characters"));
      auto* m = member(st, key);
      if (m == nullptr)
        return answer(error_reply(403, "not_member",
                                  "resume the chat of this request first"));
      auto who = m->who;
      auto ack = [self, client_id](uint64_t seq) {
        return dump_text(json{{"type", "chat.ack"},
                              {"request_id", request_id(self->state)},
                              {"client_id", client_id},
                              {"seq", seq}});
      };
      // A retried line (same member, same client id) is stored once.
      auto cid = sender_id(who) + "/" + client_id;
      if (!client_id.empty())
        if (auto i = st.sent.seq_of.find(cid); i != st.sent.seq_of.end()) {
          if (i->second <= st.seq.durable_seq)
            return result(200u, ack(i->second));
          auto rp = self->make_response_promise();
          st.sent.waiting[i->second].push_back(rp);
          return rp;
        }
      if (st.status != "active")
        return answer(
          error_reply(409, "chat_not_open",
                      st.status == "closed" || st.status == "abandoned"
                        ? "the session is over"
                        : "no technician has joined yet"));
      if (who.observer)
        return answer(
          error_reply(403, "not_yours", "observers do not write in sessions"));
      bool technician = who.technician;
      auto technician_id = who.technician_id;
      if (technician && !may_act(st, technician_id))
        return answer(error_reply(403, "not_yours",
                                  colleague(st, technician_id)
                                    ? "you watch this session (view only)"
                                    : "another technician has this session"));
      // A hidden colleague writes notes: the customer must not see them.
      json line = {{"from", technician ? "technician" : "customer"},
                   {"name", sender_name(st, who)},
                   {"technician_id", technician ? technician_id : 0},
                   {"text", text},
                   {"private", technician && (priv || hidden(st, who))}};
      if (!client_id.empty()) {
        line["cid"] = cid;
        st.sent.remember(cid, st.seq.next_seq);
      }
      auto rp = self->make_response_promise<unsigned, std::string>();
      session_store::append(
        self, std::move(line),
        [self, rp, ack, cid](bool stored, uint64_t seq) mutable {
          auto& st = self->state;
          auto retries = std::move(st.sent.waiting[seq]);
          st.sent.waiting.erase(seq);
          if (!stored) {
            // Not stored: a retry must store it (its number may be
            // given to another line).
            if (auto i = st.sent.seq_of.find(cid);
                i != st.sent.seq_of.end() && i->second == seq)
              st.sent.seq_of.erase(i);
            auto f = storage::describe_write_failure(
              self->state.last_write_error,
              "the line could not be stored; send it again", true);
            auto [s, b] = error_reply(f.status, f.code, f.message);
            rp.deliver(s, b);
            for (auto& r : retries)
              r.deliver(s, b);
            return;
          }
          auto body = ack(seq);
          rp.deliver(200u, body);
          for (auto& r : retries)
            r.deliver(200u, body);
        });
      return rp;
    },
    [self](session_typing_atom, const std::string& key, bool typing) {
      auto& st = self->state;
      st.mailbox.sample(self);
      auto* m = member(st, key);
      if (m == nullptr || m->who.observer)
        return;
      auto who = m->who;
      bool technician = who.technician;
      auto technician_id = who.technician_id;
      if (st.status != "active" || (technician && !may_act(st, technician_id)))
        return;
      bool unseen = hidden(st, who);
      auto msg =
        dump_text(json{{"type", "chat.typing"},
                       {"request_id", request_id(st)},
                       {"from", technician ? "technician" : "customer"},
                       {"name", sender_name(st, who)},
                       {"typing", typing}});
      for (auto& s : st.subscribers)
        if (s.live && s.key != key && (s.who.technician || !unseen))
          caf::anon_send(s.conn, desk_push_atom::value, msg);
    },
    [self](session_screen_atom, const std::string& key,
           const std::string& action) -> reply {
      auto& st = self->state;
      auto* m = member(st, key);
      if (m == nullptr)
        return error_reply(403, "not_member",
                           "resume the chat of this request first");
      if (m->who.observer)
        return error_reply(403, "not_yours",
                           "observers do not act in sessions");
      bool technician = m->who.technician;
      auto technician_id = m->who.technician_id;
      if (st.status != "active")
        return error_reply(409, "chat_not_open", "the session is not active");
      if (technician && !may_act(st, technician_id))
        return error_reply(403, "not_yours",
                           "another technician has this session");
      auto rid = request_id(st);
      auto to_all = [&](const json& msg) {
        auto text = dump_text(msg);
        for (auto& s : st.subscribers)
          if (s.live)
            caf::anon_send(s.conn, desk_push_atom::value, text);
      };
      if (technician && action == "request") {
        if (st.sharing)
          return error_reply(409, "sharing", "the screen is shared already");
        st.screen_requested = true;
        json msg = {{"type", "screen.requested"},
                    {"request_id", rid},
                    {"technician", hidden(st, m->who)
                                     ? st.technician_name
                                     : sender_name(st, m->who)}};
        auto text = dump_text(msg);
        for (auto& s : st.subscribers)
          if (s.live && !s.who.technician)
            caf::anon_send(s.conn, desk_push_atom::value, text);
        return {200, dump_text(json{{"type", "ack"}, {"request_id", rid}})};
      }
      if (!technician && (action == "accept" || action == "decline")) {
        if (!st.screen_requested)
          return error_reply(409, "not_requested",
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
        return {200, dump_text(json{{"type", "ack"},
                                    {"request_id", rid},
                                    {"sharing", st.sharing}})};
      }
      if (action == "stop") {
        st.screen_requested = false;
        if (st.sharing) {
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
        return {200,
                dump_text(json{
                  {"type", "ack"}, {"request_id", rid}, {"sharing", false}})};
      }
      return error_reply(400, "bad_field",
                         "action: request, accept, decline or stop");
    },
    [self](session_frame_atom, const std::string& key,
           const std::string& bytes) {
      auto& st = self->state;
      auto* m = member(st, key);
      if (!st.sharing || st.status != "active" || m == nullptr ||
          m->who.technician)
        return;
      std::string tagged;
      tagged.reserve(bytes.size() + 8);
      put_be(tagged, st.cfg.request);
      tagged += bytes;
      if (st.rec.writer) {
        auto now = st.cfg.now_ms();
        if (now - st.rec.last_frame_ms >= st.cfg.record_frame_every_ms) {
          st.rec.last_frame_ms = now;
          session_recording::add(self, recording::kind::frame, bytes);
        }
      }
      for (auto& s : st.subscribers)
        if (s.live && watches(st, s.who)) {
          caf::anon_send(s.conn, screen_frame_atom::value, tagged);
          monitoring::inc(st.cfg.metrics.screen_bytes,
                          static_cast<double>(tagged.size()));
        }
    },
    [self](session_slow_atom) {
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
    },
    [self](session_file_atom, bool technician, uint64_t technician_id,
           const std::string& file_text) -> result {
      auto& st = self->state;
      auto file = json::parse(file_text, nullptr, false);
      auto id = value_or<std::string>(file, "id", "");
      if (id.size() != 32 ||
          id.find_first_not_of("0123456789abcdef") != std::string::npos)
        return answer(error_reply(400, "bad_field", "file: bad id"));
      if (st.status != "active")
        return answer(
          error_reply(409, "chat_not_open", "the session is not active"));
      session_member who{technician, technician_id, false, technician_id};
      json meta = {{"id", id},
                   {"name", value_or<std::string>(file, "name", "")},
                   {"size", value_or<uint64_t>(file, "size", 0)},
                   {"mime", value_or<std::string>(file, "mime",
                                                  "application/octet-stream")},
                   {"from", technician ? "technician" : "customer"},
                   {"technician_id", technician ? technician_id : 0},
                   {"private", hidden(st, who)}};
      json line = {
        {"from", technician ? "technician" : "customer"},
        {"name", sender_name(st, who)},
        {"technician_id", technician ? technician_id : 0},
        {"text", meta["name"]},
        {"file",
         {{"id", id},
          {"name", meta["name"]},
          {"size", meta["size"]},
          {"mime", meta["mime"]}}},
        {"private",
         hidden(st, who)}}; // a hidden colleague's file: technicians only
      storage::write_batch batch;
      batch.ops.push_back({storage::table::files,
                           file_key(st.cfg.account, st.cfg.request, id),
                           dump_text(meta), storage::op_kind::put});
      auto rp = self->make_response_promise<unsigned, std::string>();
      session_store::append(
        self, std::move(line),
        [self, rp, meta](bool stored, uint64_t seq) mutable {
          if (!stored) {
            auto f = storage::describe_write_failure(
              self->state.last_write_error, "the file could not be stored",
              true);
            auto [s, b] = error_reply(f.status, f.code, f.message);
            rp.deliver(s, b);
            return;
          }
          monitoring::inc(self->state.cfg.metrics.uploads_accepted);
          monitoring::inc(
            self->state.cfg.metrics.upload_bytes,
            static_cast<double>(value_or<uint64_t>(meta, "size", 0)));
          rp.deliver(200u,
                     dump_text(json{{"type", "file.sent"},
                                    {"request_id", request_id(self->state)},
                                    {"seq", seq},
                                    {"file", meta}}));
        },
        std::move(batch));
      return rp;
    },
    [self](session_file_refused_atom, bool technician, uint64_t technician_id,
           const std::string& name, const std::string& reason) {
      auto& st = self->state;
      monitoring::inc(st.cfg.metrics.uploads_refused);
      if (st.status != "active")
        return;
      session_member who{technician, technician_id, false, technician_id};
      say(self, "file_refused",
          {{"file", name}, {"name", sender_name(st, who)}, {"reason", reason}},
          hidden(st, who));
    },
    [self](session_file_get_atom, const std::string& id) -> reply {
      auto& st = self->state;
      maybe_idle(self);
      if (id.size() != 32 ||
          id.find_first_not_of("0123456789abcdef") != std::string::npos)
        return error_reply(404, "not_found", "no such file");
      auto v = st.cfg.env->get(storage::table::files,
                               file_key(st.cfg.account, st.cfg.request, id));
      if (!v)
        return error_reply(503, "storage_unavailable", "try again");
      if (!*v)
        return error_reply(404, "not_found", "no such file");
      return {200, std::string{**v}};
    },
    [self](session_transcript_atom, bool include_private) -> reply {
      return transcript(self, include_private, "en");
    },
    [self](session_transcript_atom, bool include_private,
           const std::string& lang) -> reply {
      return transcript(self, include_private, lang);
    },
  };
}

} // namespace openassist::actors
