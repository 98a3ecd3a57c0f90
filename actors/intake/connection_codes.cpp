#include "actors/intake/connection_codes.hpp"

#include <sodium.h>

namespace openassist::actors {

std::string new_connection_code() {
  [[maybe_unused]] static const int ready = sodium_init();
  // randombytes_uniform avoids modulo bias.
  auto n = randombytes_uniform(1'000'000'000u);
  auto s = std::to_string(n);
  return std::string(connection_code_digits - s.size(), '0') + s;
}

bool well_formed_connection_code(const std::string& code) {
  if (code.size() != connection_code_digits)
    return false;
  for (char c : code)
    if (c < '0' || c > '9')
      return false;
  return true;
}

bool guess_limiter::allowed(const std::string& address, int64_t now_s) {
  return limiter_.allowed(address_key(address), now_s * 1000);
}

void guess_limiter::wrong(const std::string& address, int64_t now_s) {
  limiter_.hit(address_key(address), now_s * 1000);
}

int64_t guess_limiter::retry_after(const std::string& address, int64_t now_s) {
  auto ms = limiter_.retry_after_ms(address_key(address), now_s * 1000);
  return (ms + 999) / 1000;
}

} // namespace openassist::actors
