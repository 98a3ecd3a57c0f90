#include "actors/identity/credentials.hpp"

#include <sodium.h>

namespace openassist::actors {

namespace {

// sodium_init is idempotent and thread-safe; the first call picks the
// fastest implementations.
void ensure_sodium() {
  [[maybe_unused]] static const int ready = sodium_init();
}

} // namespace

std::string check_password_rules(std::string_view password) {
  if (password.size() < min_password_length)
    return "must be at least " + std::to_string(min_password_length) +
           " characters";
  if (password.size() > max_password_length)
    return "must be at most " + std::to_string(max_password_length) +
           " characters";
  return {};
}

std::optional<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return std::string{out};
}

bool verify_password(const std::string& stored_hash,
                     std::string_view password) {
  ensure_sodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES)
    return false;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(),
                                  password.size()) == 0;
}

bool secure_equal(std::string_view a, std::string_view b) {
  ensure_sodium();
  if (a.size() != b.size())
    return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32,
                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_digest(std::string_view token) {
  ensure_sodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

} // namespace openassist::actors
