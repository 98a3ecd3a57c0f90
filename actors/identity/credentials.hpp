#pragma once

#include <optional>
#include <string>
#include <string_view>

// Passwords and tokens (libsodium): argon2id password hashes, random 256-bit
// tokens, and the digest under which a token is stored (never the token).
namespace openassist::actors {

inline constexpr size_t min_password_length = 8;
inline constexpr size_t max_password_length = 256;

/// "" when acceptable, else the rule it breaks.
std::string check_password_rules(std::string_view password);

/// argon2id (libsodium's interactive limits); nullopt only when out of memory.
/// Takes tens to hundreds of milliseconds: never on an I/O thread.
std::optional<std::string> hash_password(std::string_view password);

/// Constant-time verification against a stored hash.
bool verify_password(const std::string& stored_hash, std::string_view password);

/// Compares secrets (tokens, digests) in time independent of where they
/// differ (sodium_memcmp); different lengths are unequal.
bool secure_equal(std::string_view a, std::string_view b);

/// 32 random bytes, base64url without padding (43 characters).
std::string random_token();

/// Hex BLAKE2b-256 of a token: the key tokens are stored under.
std::string token_digest(std::string_view token);

} // namespace openassist::actors
