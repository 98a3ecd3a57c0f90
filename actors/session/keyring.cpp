#include "actors/session/keyring.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/errc.hpp"
#include "actors/identity/credentials.hpp"
#include "actors/json_fields.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* keyring_state::name = "keyring";

namespace {

using json = nlohmann::json;
using reply = caf::result<std::string>;
using self_ptr = caf::stateful_actor<keyring_state>*;
using storage::put_be;

caf::error error_reply(errc kind, const std::string& code,
                       const std::string& message) {
  error_details d;
  d.code = code;
  return make_error(kind, message, std::move(d));
}

std::string portal_prefix(const std::string& account, uint64_t portal) {
  std::string key = account;
  key.push_back('\0');
  put_be(key, portal, 8);
  return key;
}

std::vector<recording::portal_key> keys_of(const storage::environment& env,
                                           const std::string& account,
                                           uint64_t portal) {
  std::vector<recording::portal_key> out;
  auto prefix = portal_prefix(account, portal);
  env.scan(storage::table::portal_keys, prefix, 10000,
           [&](std::string_view k, std::string_view v) {
             if (k.substr(0, prefix.size()) != prefix)
               return false;
             if (auto key = recording::from_json(v))
               out.push_back(std::move(*key));
             return true;
           });
  return out;
}

// Too many wrong passphrases for this account lately?
bool locked(keyring_state& st, const std::string& account, int64_t now) {
  auto& v = st.failures[account];
  std::erase_if(v, [now](int64_t t) { return t <= now - 600000; });
  return v.size() >= replay_attempts;
}

caf::error piece_error(errc kind, const std::string& code,
                       const std::string& message) {
  return error_reply(kind, code, message);
}

using replay_start_atom = caf::atom_constant<caf::atom("replay_go")>;
using replay_idle_atom = caf::atom_constant<caf::atom("replay_idl")>;

constexpr std::string_view replay_magic = "OAREPLAY1\n";
constexpr size_t read_block = 256 * 1024;

// One replay: opens every segment's key first (the passphrase is checked
// before any byte goes out), then decrypts record by record and answers in
// pieces of about `piece` bytes. Holds one piece and one read block.
struct replay_state {
  std::string account;
  std::string cursor;
  std::vector<std::string> segments;
  std::vector<recording::portal_key> keys;
  std::string passphrase;
  std::map<uint64_t, std::pair<std::string, std::string>> opened;
  std::shared_ptr<storage::blob_store> blobs;
  caf::actor keyring;
  std::function<int64_t()> now_ms;
  size_t piece = 0;
  std::chrono::milliseconds idle{0};
  size_t seg = 0;       ///< segment being read
  bool reading = false; ///< its stream is open
  uint64_t offset = 0;  ///< next file byte to read
  std::string buf;      ///< read, not yet decrypted
  size_t pos = 0;       ///< decrypted up to here in buf
  recording::reader rd;
  bool started = false;
  uint64_t answers = 0;
  ~replay_state() {
    sodium_memzero(passphrase.data(), passphrase.size());
    for (auto& [g, pair] : opened)
      sodium_memzero(pair.second.data(), pair.second.size());
  }
  static const char* name;
};

const char* replay_state::name = "replay";

using replay_ptr = caf::stateful_actor<replay_state>*;

// Checks every segment and opens its generation's key; an error message
// when the replay cannot be given.
std::optional<caf::error> open_keys(replay_ptr self) {
  auto& st = self->state;
  bool any = false;
  for (auto& path : st.segments) {
    auto head = st.blobs->read_at(path, 0, recording::reader::head_size());
    if (!head || head->size() < recording::reader::head_size())
      continue; // gone: skipped, as a missing file always was
    auto generation = recording::generation_of(*head);
    if (!generation)
      continue;
    if (!st.opened.count(*generation)) {
      auto k = std::find_if(st.keys.begin(), st.keys.end(), [&](auto& x) {
        return x.generation == *generation;
      });
      if (k == st.keys.end())
        return piece_error(errc::not_found, "no_recording",
                           "the recording's key is gone");
      auto secret = recording::unwrap(*k, st.passphrase);
      if (!secret) {
        self->send(st.keyring, replay_failed_atom::value, st.account,
                   st.now_ms());
        bool older = st.keys.back().generation != *generation;
        return piece_error(
          errc::forbidden, "wrong_passphrase",
          older ? "wrong passphrase: this recording was made before the "
                  "replay passphrase was last set, and needs the one "
                  "that was valid then"
                : "wrong passphrase");
      }
      st.opened[*generation] = {k->public_key, std::move(*secret)};
    }
    auto& [pk, sk] = st.opened[*generation];
    recording::reader probe;
    if (!probe.open(*head, pk, sk))
      return piece_error(errc::damaged, "damaged",
                         "the recording cannot be read");
    any = true;
  }
  sodium_memzero(st.passphrase.data(), st.passphrase.size());
  if (!any)
    return piece_error(errc::not_found, "no_recording",
                       "the recording's files are gone");
  return std::nullopt;
}

// Decrypts up to about one piece; the bytes and whether the stream is over.
std::pair<std::string, bool> next_piece(replay_ptr self) {
  auto& st = self->state;
  std::string out;
  if (!st.started) {
    out = replay_magic;
    st.started = true;
  }
  while (out.size() < st.piece && st.seg < st.segments.size()) {
    auto& path = st.segments[st.seg];
    if (!st.reading) {
      auto head = st.blobs->read_at(path, 0, recording::reader::head_size());
      auto generation = head ? recording::generation_of(*head) : std::nullopt;
      auto key = generation ? st.opened.find(*generation) : st.opened.end();
      if (key == st.opened.end() ||
          !st.rd.open(*head, key->second.first, key->second.second)) {
        ++st.seg;
        continue;
      }
      st.reading = true;
      st.offset = recording::reader::head_size();
      st.buf.clear();
      st.pos = 0;
    }
    recording::record r;
    size_t used = 0;
    size_t need = 0;
    auto step =
      st.rd.next(std::string_view{st.buf}.substr(st.pos), r, used, need);
    if (step == recording::reader::step::record) {
      storage::put_be(out, r.payload.size() + 9, 4);
      out.push_back(static_cast<char>(r.k));
      storage::put_be(out, static_cast<uint64_t>(r.time_ms), 8);
      out += r.payload;
      st.pos += used;
      continue;
    }
    if (step == recording::reader::step::more) {
      // Keep only what is not decrypted yet, then read at least a block.
      st.buf.erase(0, st.pos);
      st.pos = 0;
      auto want = std::max(read_block, need - st.buf.size());
      auto more = st.blobs->read_at(path, st.offset, want);
      if (more && !more->empty()) {
        st.offset += more->size();
        st.buf += *more;
        continue;
      }
    }
    // The end of this segment (finished, cut off while written, or damaged
    // from here: what came before stands).
    st.reading = false;
    st.buf.clear();
    st.buf.shrink_to_fit();
    st.pos = 0;
    ++st.seg;
  }
  return {std::move(out), st.seg >= st.segments.size()};
}

caf::message answer_piece(replay_ptr self) {
  auto& st = self->state;
  auto [bytes, over] = next_piece(self);
  ++st.answers;
  if (over) {
    self->quit();
    return caf::make_message(std::move(bytes), std::string{});
  }
  self->delayed_send(self, st.idle, replay_idle_atom::value, st.answers);
  return caf::make_message(std::move(bytes), st.cursor);
}

caf::behavior replay_actor(replay_ptr self, replay_state init) {
  auto& st = self->state;
  st.account = std::move(init.account);
  st.cursor = std::move(init.cursor);
  st.segments = std::move(init.segments);
  st.keys = std::move(init.keys);
  st.passphrase = std::move(init.passphrase);
  st.blobs = std::move(init.blobs);
  st.keyring = std::move(init.keyring);
  st.now_ms = std::move(init.now_ms);
  st.piece = std::max<size_t>(init.piece, 1024);
  st.idle = init.idle;
  return {
    [self](replay_start_atom) -> caf::result<caf::message> {
      if (auto err = open_keys(self)) {
        self->quit();
        return std::move(*err);
      }
      return answer_piece(self);
    },
    [self](replay_next_atom) -> caf::message { return answer_piece(self); },
    [self](replay_idle_atom, uint64_t answers) {
      if (answers == self->state.answers)
        self->quit();
    },
  };
}

caf::result<caf::message> start_replay(self_ptr self,
                                       const std::string& account,
                                       uint64_t request,
                                       const std::string& passphrase) {
  auto& st = self->state;
  auto now = st.cfg.now_ms();
  if (locked(st, account, now))
    return piece_error(errc::limited, "too_many_attempts",
                       "too many wrong passphrases; try again in 10 minutes");
  auto row = st.cfg.env->get(storage::table::recordings,
                             recording_key(account, request));
  if (!row)
    return piece_error(errc::storage_unavailable, "storage_unavailable",
                       "try again");
  if (!*row)
    return piece_error(errc::not_found, "no_recording",
                       "this session was not recorded");
  auto meta = json::parse(**row, nullptr, false);
  if (!meta.is_object() || !meta.contains("segments") ||
      !meta["segments"].is_array())
    return piece_error(errc::damaged, "damaged",
                       "the recording's record is damaged");
  if (st.replays.size() >= st.cfg.max_replays)
    return piece_error(errc::busy, "busy",
                       "other replays are running; try again in a moment");
  replay_state job;
  job.account = account;
  job.cursor = random_token();
  for (auto& seg : meta["segments"])
    if (seg.is_object())
      job.segments.push_back(value_or<std::string>(seg, "path", ""));
  job.keys =
    keys_of(*st.cfg.env, account, value_or<uint64_t>(meta, "portal_id", 0));
  job.passphrase = passphrase;
  job.blobs = st.cfg.blobs;
  job.keyring = caf::actor_cast<caf::actor>(self);
  job.now_ms = st.cfg.now_ms;
  job.piece = st.cfg.replay_piece_bytes;
  job.idle = st.cfg.replay_idle;
  auto cursor = job.cursor;
  auto worker =
    st.cfg.detached_replays
      ? self->system().spawn<caf::detached>(replay_actor, std::move(job))
      : self->system().spawn(replay_actor, std::move(job));
  // Linked: a replay ends with the keyring (a node stopping does not wait
  // for an idle one), and its end reaches the exit handler below.
  self->link_to(worker);
  st.replays[cursor] = {worker, account, request};
  auto rp = self->make_response_promise();
  rp.delegate(worker, replay_start_atom::value);
  return rp;
}

} // namespace

std::string portal_key_key(const std::string& account, uint64_t portal,
                           uint64_t generation) {
  auto key = portal_prefix(account, portal);
  put_be(key, generation, 8);
  return key;
}

std::string recording_key(const std::string& account, uint64_t request) {
  return portal_prefix(account, request);
}

std::optional<recording::portal_key>
current_portal_key(const storage::environment& env, const std::string& account,
                   uint64_t portal) {
  auto keys = keys_of(env, account, portal);
  if (keys.empty())
    return std::nullopt;
  return keys.back();
}

caf::behavior keyring_actor(caf::stateful_actor<keyring_state>* self,
                            keyring_config cfg) {
  self->state.cfg = std::move(cfg);
  if (!self->state.cfg.now_ms)
    self->state.cfg.now_ms = wall_ms;
  self->send(self, recording_sweep_atom::value);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& replays = self->state.replays;
    for (auto i = replays.begin(); i != replays.end(); ++i)
      if (i->second.worker.address() == msg.source) {
        replays.erase(i);
        return;
      }
    self->quit(msg.reason);
  });
  return {
    [self](key_set_atom, const std::string& account, uint64_t portal,
           const std::string& passphrase) -> caf::result<std::string> {
      auto& st = self->state;
      size_t chars = 0;
      for (unsigned char c : passphrase)
        chars += (c & 0xC0) != 0x80;
      if (chars < recording::min_passphrase || passphrase.size() > 1024)
        return error_reply(
          errc::bad_field, "bad_field",
          "passphrase: at least 10 characters (at most 1024 bytes)");
      auto keys = keys_of(*st.cfg.env, account, portal);
      uint64_t generation = keys.empty() ? 1 : keys.back().generation + 1;
      auto key = recording::make_key(passphrase, generation, st.cfg.now_ms());
      if (!key)
        return error_reply(errc::unavailable, "unavailable",
                           "the key could not be made; try again");
      storage::write_batch batch;
      batch.ops.push_back({storage::table::portal_keys,
                           portal_key_key(account, portal, generation),
                           recording::to_json(*key), storage::op_kind::insert});
      auto rp = self->make_response_promise<std::string>();
      auto created = key->created_ms;
      self
        ->request(st.cfg.persistence, std::chrono::seconds(30),
                  storage::write_atom::value, std::move(batch))
        .then(
          [rp, generation, created, account,
           portal](const storage::write_receipt&) mutable {
            monitoring::component_logger("keyring")->info(
              "[keyring] portal {}/{}: replay key generation {} set", account,
              portal, generation);
            rp.deliver(dump_text(
              json{{"generation", generation}, {"created_ms", created}}));
          },
          [rp](caf::error& err) mutable {
            // Keys are inserted, never overwritten: a key set at the same
            // moment took this generation.
            if (err.category() == caf::atom("storage") &&
                static_cast<storage::storage_errc>(err.code()) ==
                  storage::storage_errc::conflict) {
              rp.deliver(error_reply(
                errc::bad_state, "conflict",
                "another key was set for this portal at the same moment"));
              return;
            }
            rp.deliver(write_failed(err, "the key was not stored; try again"));
          });
      return rp;
    },
    [self](key_list_atom, const std::string& account,
           uint64_t portal) -> reply {
      json list = json::array();
      auto keys = keys_of(*self->state.cfg.env, account, portal);
      for (auto i = keys.rbegin(); i != keys.rend(); ++i)
        list.push_back(
          {{"generation", i->generation}, {"created_ms", i->created_ms}});
      return dump_text(json{{"generations", list}});
    },
    [self](replay_atom, const std::string& account, uint64_t request,
           const std::string& passphrase) -> caf::result<caf::message> {
      return start_replay(self, account, request, passphrase);
    },
    [self](replay_next_atom, const std::string& account, uint64_t request,
           const std::string& cursor) -> caf::result<caf::message> {
      auto& st = self->state;
      auto i = st.replays.find(cursor);
      if (i == st.replays.end() || i->second.account != account ||
          i->second.request != request)
        return piece_error(errc::not_found, "replay_gone",
                           "this replay ended or waited too long; start again");
      auto rp = self->make_response_promise();
      rp.delegate(i->second.worker, replay_next_atom::value);
      return rp;
    },
    [self](replay_failed_atom, const std::string& account, int64_t when) {
      self->state.failures[account].push_back(when);
    },
    [self](recording_info_atom, const std::string& account,
           uint64_t request) -> reply {
      auto row = self->state.cfg.env->get(storage::table::recordings,
                                          recording_key(account, request));
      if (!row)
        return error_reply(errc::storage_unavailable, "storage_unavailable",
                           "try again");
      if (!*row)
        return dump_text(json{{"recorded", false}});
      auto meta = json::parse(**row, nullptr, false);
      if (!meta.is_object())
        return error_reply(errc::damaged, "damaged",
                           "the recording's record is damaged");
      auto segs = meta.value("segments", json::array());
      uint64_t generation =
        segs.empty() ? 0 : value_or<uint64_t>(segs.back(), "generation", 0);
      return dump_text(
        json{{"recorded", true},
             {"started_ms", value_or<int64_t>(meta, "started_ms", 0)},
             {"ended_ms", value_or<int64_t>(meta, "ended_ms", 0)},
             {"bytes", value_or<uint64_t>(meta, "bytes", 0)},
             {"truncated", value_or<bool>(meta, "truncated", false)},
             {"recording", value_or<bool>(meta, "recording", false)},
             {"expires_ms", value_or<int64_t>(meta, "expires_ms", 0)},
             {"generation", generation}});
    },
    [self](recording_sweep_atom) {
      auto& st = self->state;
      auto now = st.cfg.now_ms();
      std::vector<std::pair<std::string, json>> expired;
      st.cfg.env->scan(storage::table::recordings, "", 1000000,
                       [&](std::string_view k, std::string_view v) {
                         auto meta = json::parse(v, nullptr, false);
                         if (!meta.is_object())
                           return true;
                         auto until = value_or<int64_t>(meta, "expires_ms", 0);
                         if (until != 0 && until <= now)
                           expired.emplace_back(std::string{k},
                                                std::move(meta));
                         return expired.size() < 1000;
                       });
      if (!expired.empty()) {
        storage::write_batch batch;
        for (auto& [key, meta] : expired)
          batch.ops.push_back(
            {storage::table::recordings, key, "", storage::op_kind::erase});
        auto blobs = st.cfg.blobs;
        self
          ->request(st.cfg.persistence, std::chrono::seconds(30),
                    storage::write_atom::value, std::move(batch))
          .then(
            [blobs, expired](const storage::write_receipt&) {
              // The rows are gone first: a crash now leaves files nobody
              // refers to, never rows whose files are missing.
              for (auto& [key, meta] : expired)
                for (auto& seg : meta.value("segments", json::array()))
                  blobs->remove(value_or<std::string>(seg, "path", ""));
              monitoring::component_logger("keyring")->info(
                "[keyring] {} recordings past their retention deleted",
                expired.size());
            },
            [](caf::error&) {});
      }
      self->delayed_send(self, st.cfg.sweep_interval,
                         recording_sweep_atom::value);
    },
  };
}

} // namespace openassist::actors
