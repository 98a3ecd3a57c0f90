#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

// Encrypted session recordings (spec 4, "Recording"; docs/recording.md).
//
// Each portal has a key pair (X25519). Its secret key is stored only wrapped
// (XSalsa20-Poly1305) with a key derived by argon2id from the manager's
// replay passphrase; a new passphrase makes a new key pair (a new
// generation), so recordings made before stay readable only with the old one.
//
// A recording file: "OAREC1\n", be64 generation, the recording's own random
// stream key sealed to the portal's public key (crypto_box_seal), then a
// crypto_secretstream_xchacha20poly1305 stream: its header and records, each
// be32 length + ciphertext of (kind byte, be64 time in ms, payload). The
// last record of a finished recording carries the FINAL tag.
namespace openassist::actors::recording {

/// A portal's key pair of one generation, as stored (all bytes).
struct portal_key {
  uint64_t generation = 0;
  int64_t created_ms = 0;
  std::string public_key;     ///< crypto_box_PUBLICKEYBYTES
  std::string wrapped_secret; ///< secretbox of the secret key
  std::string nonce;          ///< crypto_secretbox_NONCEBYTES
  std::string salt;           ///< crypto_pwhash_SALTBYTES
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
};

/// Shortest passphrase accepted (characters).
inline constexpr size_t min_passphrase = 10;

/// A new key pair wrapped with a key derived from `passphrase` (argon2id;
/// takes a fraction of a second and 64 MiB).
std::optional<portal_key> make_key(std::string_view passphrase,
                                   uint64_t generation, int64_t created_ms);

/// The secret key, or nullopt for a wrong passphrase.
std::optional<std::string> unwrap(const portal_key& key,
                                  std::string_view passphrase);

std::string to_json(const portal_key& key);
std::optional<portal_key> from_json(std::string_view text);

enum class kind : uint8_t { chat = 'c', frame = 'f', screen = 's', end = 'e' };

struct record {
  kind k = kind::chat;
  int64_t time_ms = 0;
  std::string payload;
};

/// Bytes a record with a payload of `n` bytes takes in the file.
inline size_t chunk_size(size_t n) {
  return 4 + 1 + 8 + n + crypto_secretstream_xchacha20poly1305_ABYTES;
}

/// Writes one recording: header() first, then one chunk() per record.
class writer {
public:
  /// Fails (nullopt from header) if the public key is malformed.
  writer(std::string public_key, uint64_t generation);
  std::optional<std::string> header();
  std::string chunk(const record& r, bool final = false);

private:
  std::string public_key_;
  uint64_t generation_;
  crypto_secretstream_xchacha20poly1305_state state_{};
};

/// What a recording file holds: generation (readable without the key).
std::optional<uint64_t> generation_of(std::string_view file);

struct reading {
  std::vector<record> records;
  bool finished =
    false; ///< ended with the FINAL tag (else cut off, e.g. a crash)
};

/// Decrypts a recording with the portal's key pair; nullopt when the key does
/// not open it or the file is damaged before its first record.
std::optional<reading> read(std::string_view file, std::string_view public_key,
                            std::string_view secret_key);

/// Decrypts a recording file record by record, so that a replay never
/// holds a whole file (replays stream in pieces).
class reader {
public:
  /// Bytes of a file's head (magic, generation, sealed key, stream header).
  static size_t head_size();
  /// Opens the stream from the file's first head_size() bytes; false when
  /// the key pair does not open it or the head is damaged.
  bool open(std::string_view head, std::string_view public_key,
            std::string_view secret_key);
  enum class step {
    record, ///< `out` holds the next record, `used` bytes were taken
    more,   ///< `bytes` holds less than the record: `need` bytes are needed
    end,    ///< the stream ended (FINAL tag), or is cut off or damaged here
  };
  step next(std::string_view bytes, record& out, size_t& used, size_t& need);
  bool finished() const { return finished_; }

private:
  crypto_secretstream_xchacha20poly1305_state state_{};
  bool open_ = false;
  bool finished_ = false;
};

/// A record longer than this in a file counts as damage (frames are far
/// smaller).
inline constexpr size_t max_record_bytes = 64u << 20;

} // namespace openassist::actors::recording
