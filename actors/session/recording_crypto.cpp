#include "actors/session/recording_crypto.hpp"

#include <nlohmann/json.hpp>

#include "actors/json_fields.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors::recording {

namespace {

using json = nlohmann::json;
using storage::get_be;
using storage::put_be;

constexpr std::string_view magic = "OAREC1\n";

[[maybe_unused]] const int sodium_ready = sodium_init();

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* u8(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

std::string hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), u8(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> unhex(const std::string& text, size_t expected) {
  std::string out(text.size() / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(u8(out), out.size(), text.data(), text.size(), nullptr,
                     &len, nullptr) != 0 ||
      (expected != 0 && len != expected))
    return std::nullopt;
  out.resize(len);
  return out;
}

// The key that wraps a portal's secret key.
std::optional<std::string> derive(std::string_view passphrase,
                                  std::string_view salt, uint64_t ops,
                                  uint64_t mem) {
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  if (crypto_pwhash(u8(key), key.size(), passphrase.data(), passphrase.size(),
                    u8(salt), ops, static_cast<size_t>(mem),
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return key;
}

constexpr size_t sealed_bytes =
  crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr size_t head_bytes = magic.size() + 8 + sealed_bytes +
                              crypto_secretstream_xchacha20poly1305_HEADERBYTES;

} // namespace

std::optional<portal_key> make_key(std::string_view passphrase,
                                   uint64_t generation, int64_t created_ms) {
  portal_key k;
  k.generation = generation;
  k.created_ms = created_ms;
  k.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  k.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  k.salt.resize(crypto_pwhash_SALTBYTES);
  randombytes_buf(k.salt.data(), k.salt.size());
  k.nonce.resize(crypto_secretbox_NONCEBYTES);
  randombytes_buf(k.nonce.data(), k.nonce.size());
  std::string secret(crypto_box_SECRETKEYBYTES, '\0');
  k.public_key.resize(crypto_box_PUBLICKEYBYTES);
  crypto_box_keypair(u8(k.public_key), u8(secret));
  auto wrap = derive(passphrase, k.salt, k.opslimit, k.memlimit);
  if (!wrap)
    return std::nullopt;
  k.wrapped_secret.resize(secret.size() + crypto_secretbox_MACBYTES);
  crypto_secretbox_easy(u8(k.wrapped_secret), u8(secret), secret.size(),
                        u8(k.nonce), u8(*wrap));
  sodium_memzero(secret.data(), secret.size());
  sodium_memzero(wrap->data(), wrap->size());
  return k;
}

std::optional<std::string> unwrap(const portal_key& key,
                                  std::string_view passphrase) {
  if (key.wrapped_secret.size() !=
        crypto_box_SECRETKEYBYTES + crypto_secretbox_MACBYTES ||
      key.nonce.size() != crypto_secretbox_NONCEBYTES ||
      key.salt.size() != crypto_pwhash_SALTBYTES)
    return std::nullopt;
  auto wrap = derive(passphrase, key.salt, key.opslimit, key.memlimit);
  if (!wrap)
    return std::nullopt;
  std::string secret(crypto_box_SECRETKEYBYTES, '\0');
  auto bad = crypto_secretbox_open_easy(u8(secret), u8(key.wrapped_secret),
                                        key.wrapped_secret.size(),
                                        u8(key.nonce), u8(*wrap));
  sodium_memzero(wrap->data(), wrap->size());
  if (bad != 0)
    return std::nullopt;
  return secret;
}

std::string to_json(const portal_key& k) {
  return dump_text(json{{"generation", k.generation},
                        {"created_ms", k.created_ms},
                        {"public_key", hex(k.public_key)},
                        {"wrapped_secret", hex(k.wrapped_secret)},
                        {"nonce", hex(k.nonce)},
                        {"salt", hex(k.salt)},
                        {"opslimit", k.opslimit},
                        {"memlimit", k.memlimit}});
}

std::optional<portal_key> from_json(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  try {
    portal_key k;
    k.generation = j.at("generation").get<uint64_t>();
    k.created_ms = j.at("created_ms").get<int64_t>();
    auto pk =
      unhex(j.at("public_key").get<std::string>(), crypto_box_PUBLICKEYBYTES);
    auto ws = unhex(j.at("wrapped_secret").get<std::string>(), 0);
    auto nonce =
      unhex(j.at("nonce").get<std::string>(), crypto_secretbox_NONCEBYTES);
    auto salt = unhex(j.at("salt").get<std::string>(), crypto_pwhash_SALTBYTES);
    if (!pk || !ws || !nonce || !salt)
      return std::nullopt;
    k.public_key = *pk;
    k.wrapped_secret = *ws;
    k.nonce = *nonce;
    k.salt = *salt;
    k.opslimit = j.at("opslimit").get<uint64_t>();
    k.memlimit = j.at("memlimit").get<uint64_t>();
    return k;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

writer::writer(std::string public_key, uint64_t generation)
  : public_key_(std::move(public_key)), generation_(generation) {}

std::optional<std::string> writer::header() {
  if (public_key_.size() != crypto_box_PUBLICKEYBYTES)
    return std::nullopt;
  std::string key(crypto_secretstream_xchacha20poly1305_KEYBYTES, '\0');
  crypto_secretstream_xchacha20poly1305_keygen(u8(key));
  std::string out{magic};
  put_be(out, generation_, 8);
  std::string sealed(sealed_bytes, '\0');
  crypto_box_seal(u8(sealed), u8(key), key.size(), u8(public_key_));
  out += sealed;
  std::string head(crypto_secretstream_xchacha20poly1305_HEADERBYTES, '\0');
  crypto_secretstream_xchacha20poly1305_init_push(&state_, u8(head), u8(key));
  sodium_memzero(key.data(), key.size());
  out += head;
  return out;
}

std::string writer::chunk(const record& r, bool final) {
  std::string plain;
  plain.reserve(r.payload.size() + 9);
  plain.push_back(static_cast<char>(r.k));
  put_be(plain, static_cast<uint64_t>(r.time_ms), 8);
  plain += r.payload;
  std::string cipher(
    plain.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long len = 0;
  crypto_secretstream_xchacha20poly1305_push(
    &state_, u8(cipher), &len, u8(plain), plain.size(), nullptr, 0,
    final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  cipher.resize(static_cast<size_t>(len));
  std::string out;
  put_be(out, cipher.size(), 4);
  out += cipher;
  return out;
}

std::optional<uint64_t> generation_of(std::string_view file) {
  if (file.size() < head_bytes || file.substr(0, magic.size()) != magic)
    return std::nullopt;
  return get_be(file.substr(magic.size()), 8);
}

std::optional<reading> read(std::string_view file, std::string_view public_key,
                            std::string_view secret_key) {
  if (!generation_of(file) || public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES)
    return std::nullopt;
  auto sealed = file.substr(magic.size() + 8, sealed_bytes);
  std::string key(crypto_secretstream_xchacha20poly1305_KEYBYTES, '\0');
  if (crypto_box_seal_open(u8(key), u8(sealed), sealed.size(), u8(public_key),
                           u8(secret_key)) != 0)
    return std::nullopt;
  auto head = file.substr(magic.size() + 8 + sealed_bytes,
                          crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, u8(head),
                                                      u8(key)) != 0)
    return std::nullopt;
  sodium_memzero(key.data(), key.size());
  reading out;
  auto rest = file.substr(head_bytes);
  std::string plain;
  while (rest.size() >= 4 && !out.finished) {
    auto len = get_be(rest, 4);
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES + 9 ||
        len > rest.size() - 4)
      break; // cut off while being written: what came before stands
    auto cipher = rest.substr(4, len);
    plain.resize(len);
    unsigned long long plain_len = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
          &state, u8(plain), &plain_len, &tag, u8(cipher), cipher.size(),
          nullptr, 0) != 0)
      break;
    record r;
    r.k = static_cast<kind>(plain[0]);
    r.time_ms =
      static_cast<int64_t>(get_be(std::string_view{plain}.substr(1), 8));
    r.payload.assign(plain.data() + 9, static_cast<size_t>(plain_len) - 9);
    out.records.push_back(std::move(r));
    out.finished = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    rest.remove_prefix(4 + len);
  }
  return out;
}

size_t reader::head_size() {
  return head_bytes;
}

bool reader::open(std::string_view head, std::string_view public_key,
                  std::string_view secret_key) {
  open_ = finished_ = false;
  if (head.size() < head_bytes || !generation_of(head) ||
      public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES)
    return false;
  auto sealed = head.substr(magic.size() + 8, sealed_bytes);
  std::string key(crypto_secretstream_xchacha20poly1305_KEYBYTES, '\0');
  if (crypto_box_seal_open(u8(key), u8(sealed), sealed.size(), u8(public_key),
                           u8(secret_key)) != 0)
    return false;
  auto stream_head =
    head.substr(magic.size() + 8 + sealed_bytes,
                crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  auto ok = crypto_secretstream_xchacha20poly1305_init_pull(
              &state_, u8(stream_head), u8(key)) == 0;
  sodium_memzero(key.data(), key.size());
  open_ = ok;
  return ok;
}

reader::step reader::next(std::string_view bytes, record& out, size_t& used,
                          size_t& need) {
  used = 0;
  need = 0;
  if (!open_ || finished_)
    return step::end;
  if (bytes.size() < 4) {
    need = 4;
    return step::more;
  }
  auto len = get_be(bytes, 4);
  if (len < crypto_secretstream_xchacha20poly1305_ABYTES + 9 ||
      len > max_record_bytes)
    return step::end;
  if (bytes.size() < 4 + len) {
    need = 4 + len;
    return step::more;
  }
  std::string plain(len, '\0');
  unsigned long long plain_len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_, u8(plain), &plain_len,
                                                 &tag, u8(bytes.substr(4)), len,
                                                 nullptr, 0) != 0)
    return step::end;
  out.k = static_cast<kind>(plain[0]);
  out.time_ms =
    static_cast<int64_t>(get_be(std::string_view{plain}.substr(1), 8));
  out.payload.assign(plain.data() + 9, static_cast<size_t>(plain_len) - 9);
  finished_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  used = 4 + len;
  return step::record;
}

} // namespace openassist::actors::recording
