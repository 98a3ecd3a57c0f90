#include "actors/keyring.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/json_fields.hpp"
#include "monitoring/logging.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

const char* keyring_state::name = "keyring";

namespace {

using json = nlohmann::json;
using reply = std::tuple<unsigned, std::string>;
using self_ptr = caf::stateful_actor<keyring_state>*;
using storage::put_be;

reply error_reply(unsigned status, const std::string& code,
                  const std::string& message) {
  return {status,
          json{{"error", {{"code", code}, {"message", message}}}}.dump()};
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
    self->state.cfg.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
    };
  self->send(self, recording_sweep_atom::value);
  return {
    [self](
      key_set_atom, const std::string& account, uint64_t portal,
      const std::string& passphrase) -> caf::result<unsigned, std::string> {
      auto& st = self->state;
      size_t chars = 0;
      for (unsigned char c : passphrase)
        chars += (c & 0xC0) != 0x80;
      if (chars < recording::min_passphrase || passphrase.size() > 1024) {
        auto [s, b] = error_reply(
          400, "bad_field",
          "passphrase: at least 10 characters (at most 1024 bytes)");
        return caf::result<unsigned, std::string>(s, b);
      }
      auto keys = keys_of(*st.cfg.env, account, portal);
      uint64_t generation = keys.empty() ? 1 : keys.back().generation + 1;
      auto key = recording::make_key(passphrase, generation, st.cfg.now_ms());
      if (!key) {
        auto [s, b] = error_reply(503, "unavailable",
                                  "the key could not be made; try again");
        return caf::result<unsigned, std::string>(s, b);
      }
      storage::write_batch batch;
      batch.ops.push_back({storage::table::portal_keys,
                           portal_key_key(account, portal, generation),
                           recording::to_json(*key), storage::op_kind::insert});
      auto rp = self->make_response_promise<unsigned, std::string>();
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
            rp.deliver(
              200u,
              json{{"generation", generation}, {"created_ms", created}}.dump());
          },
          [rp](caf::error&) mutable {
            auto [s, b] = error_reply(503, "storage_unavailable", "try again");
            rp.deliver(s, b);
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
      return {200, json{{"generations", list}}.dump()};
    },
    [self](replay_atom, const std::string& account, uint64_t request,
           const std::string& passphrase) -> reply {
      auto& st = self->state;
      auto now = st.cfg.now_ms();
      if (locked(st, account, now))
        return error_reply(
          429, "too_many_attempts",
          "too many wrong passphrases; try again in 10 minutes");
      auto row = st.cfg.env->get(storage::table::recordings,
                                 recording_key(account, request));
      if (!row)
        return error_reply(503, "storage_unavailable", "try again");
      if (!*row)
        return error_reply(404, "no_recording",
                           "this session was not recorded");
      auto meta = json::parse(**row, nullptr, false);
      if (!meta.is_object() || !meta.contains("segments") ||
          !meta["segments"].is_array())
        return error_reply(500, "damaged", "the recording's record is damaged");
      auto portal = value_or<uint64_t>(meta, "portal_id", 0);
      auto keys = keys_of(*st.cfg.env, account, portal);
      std::map<uint64_t, std::pair<std::string, std::string>>
        opened; // generation -> pk, sk
      // Secret keys are wiped on every way out.
      struct wipe {
        std::map<uint64_t, std::pair<std::string, std::string>>& keys;
        ~wipe() {
          for (auto& [g, pair] : keys)
            sodium_memzero(pair.second.data(), pair.second.size());
        }
      } wiped{opened};
      std::string out = "OAREPLAY1\n";
      bool any = false;
      for (auto& seg : meta.value("segments", json::array())) {
        auto file = st.cfg.blobs->read(value_or<std::string>(seg, "path", ""));
        if (!file)
          continue;
        auto generation = recording::generation_of(*file);
        if (!generation)
          continue;
        if (!opened.count(*generation)) {
          auto k = std::find_if(keys.begin(), keys.end(), [&](auto& x) {
            return x.generation == *generation;
          });
          if (k == keys.end())
            return error_reply(404, "no_recording",
                               "the recording's key is gone");
          auto secret = recording::unwrap(*k, passphrase);
          if (!secret) {
            st.failures[account].push_back(now);
            bool older = !keys.empty() && keys.back().generation != *generation;
            return error_reply(
              403, "wrong_passphrase",
              older ? "wrong passphrase: this recording was made before the "
                      "replay passphrase was last set, and needs the one "
                      "that was valid then"
                    : "wrong passphrase");
          }
          opened[*generation] = {k->public_key, std::move(*secret)};
        }
        auto& [pk, sk] = opened[*generation];
        auto reading = recording::read(*file, pk, sk);
        if (!reading)
          return error_reply(500, "damaged", "the recording cannot be read");
        for (auto& r : reading->records) {
          put_be(out, r.payload.size() + 9, 4);
          out.push_back(static_cast<char>(r.k));
          put_be(out, static_cast<uint64_t>(r.time_ms), 8);
          out += r.payload;
        }
        any = true;
      }
      if (!any)
        return error_reply(404, "no_recording",
                           "the recording's files are gone");
      return {200, std::move(out)};
    },
    [self](recording_info_atom, const std::string& account,
           uint64_t request) -> reply {
      auto row = self->state.cfg.env->get(storage::table::recordings,
                                          recording_key(account, request));
      if (!row)
        return error_reply(503, "storage_unavailable", "try again");
      if (!*row)
        return {200, json{{"recorded", false}}.dump()};
      auto meta = json::parse(**row, nullptr, false);
      if (!meta.is_object())
        return error_reply(500, "damaged", "the recording's record is damaged");
      auto segs = meta.value("segments", json::array());
      uint64_t generation =
        segs.empty() ? 0 : value_or<uint64_t>(segs.back(), "generation", 0);
      return {200,
              json{{"recorded", true},
                   {"started_ms", value_or<int64_t>(meta, "started_ms", 0)},
                   {"ended_ms", value_or<int64_t>(meta, "ended_ms", 0)},
                   {"bytes", value_or<uint64_t>(meta, "bytes", 0)},
                   {"truncated", value_or<bool>(meta, "truncated", false)},
                   {"recording", value_or<bool>(meta, "recording", false)},
                   {"expires_ms", value_or<int64_t>(meta, "expires_ms", 0)},
                   {"generation", generation}}
                .dump()};
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
