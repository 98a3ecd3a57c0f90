// The session's chat: lines sent, typing, the transcript.
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/session_internal.hpp"
#include "actors/session/session_lines.hpp"
#include "actors/session/session_store.hpp"

namespace openassist::actors::session_detail {

namespace {

constexpr size_t max_line_chars = 4000;

} // namespace

caf::result<chat_ack> send_line(self_ptr self, const std::string& key,
                                const std::string& text,
                                const std::string& client_id, bool priv) {
  auto& st = self->state;
  st.mailbox.sample(self);
  if (text.empty() || text.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(errc::bad_field, "text: is required");
  size_t chars = 0; // code points, as people count them
  for (unsigned char c : text)
    chars += (c & 0xC0) != 0x80;
  if (chars > max_line_chars)
    return make_error(errc::bad_field, "text: at most 4000 characters");
  if (client_id.size() > 64)
    return make_error(errc::bad_field, "client_id: at most 64 characters");
  auto* m = member(st, key);
  if (m == nullptr)
    return make_error(errc::not_member,
                      "resume the chat of this request first");
  auto who = m->who;
  // A retried line (same member, same client id) is stored once.
  auto cid = sender_id(who) + "/" + client_id;
  if (!client_id.empty())
    if (auto i = st.sent.seq_of.find(cid); i != st.sent.seq_of.end()) {
      if (i->second <= st.seq.durable_seq)
        return chat_ack{i->second, client_id};
      auto rp = self->make_response_promise<chat_ack>();
      st.sent.waiting[i->second].push_back(rp);
      return rp;
    }
  if (st.status != "active")
    return make_error(errc::chat_not_open,
                      st.status == "closed" || st.status == "abandoned"
                        ? "the session is over"
                        : "no technician has joined yet");
  if (who.observer)
    return make_error(errc::not_yours, "observers do not write in sessions");
  bool technician = who.technician;
  auto technician_id = who.technician_id;
  if (technician && !may_act(st, technician_id))
    return make_error(errc::not_yours,
                      colleague(st, technician_id)
                        ? "you watch this session (view only)"
                        : "another technician has this session");
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
  auto rp = self->make_response_promise<chat_ack>();
  session_store::append(
    self, std::move(line),
    [self, rp, client_id, cid](bool stored, uint64_t seq) mutable {
      auto& st = self->state;
      auto retries = std::move(st.sent.waiting[seq]);
      st.sent.waiting.erase(seq);
      if (!stored) {
        // Not stored: a retry must store it (its number may be
        // given to another line).
        if (auto i = st.sent.seq_of.find(cid);
            i != st.sent.seq_of.end() && i->second == seq)
          st.sent.seq_of.erase(i);
        auto err = not_stored(self->state.last_write_error,
                              "the line could not be stored; send it again");
        rp.deliver(err);
        for (auto& r : retries)
          r.deliver(err);
        return;
      }
      rp.deliver(chat_ack{seq, client_id});
      for (auto& r : retries)
        r.deliver(chat_ack{seq, client_id});
    });
  return rp;
}

void typing(self_ptr self, const std::string& key, bool typing) {
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
  shared_text text{
    dump_text(json{{"type", "chat.typing"},
                   {"request_id", request_id(st)},
                   {"from", technician ? "technician" : "customer"},
                   {"name", sender_name(st, who)},
                   {"typing", typing}})};
  auto msg = caf::make_message(desk_push_atom::value, text);
  for (auto& s : st.subscribers)
    if (s.live && s.key != key && (s.who.technician || !unseen))
      broadcast_to(s, msg, text);
}

// The chat as text, in `lang` (English for a language it does not know).
caf::result<std::string> transcript(self_ptr self, bool include_private,
                                    const std::string& lang) {
  auto& st = self->state;
  maybe_idle(self);
  auto in = transcript_language(lang) ? lang : std::string{"en"};
  std::string text;
  auto err = read_lines(st, 1, st.seq.durable_seq, [&](const json& line) {
    if (include_private || !value_or<bool>(line, "private", false))
      text += transcript_line(line, in);
  });
  if (err)
    return make_error(errc::storage_unavailable, "the chat cannot be read now");
  return text;
}

} // namespace openassist::actors::session_detail
