#include "actors/identity/login_sessions.hpp"

#include <charconv>

#include "storage/big_endian.hpp"

namespace openassist::actors {

std::string user_sessions_prefix(std::string_view account, uint64_t user) {
  std::string key{account};
  key.push_back('\0');
  storage::put_be(key, user, 8);
  return key;
}

std::string user_session_key(std::string_view account, uint64_t user,
                             std::string_view digest) {
  auto key = user_sessions_prefix(account, user);
  key += digest;
  return key;
}

std::vector<storage::put_op> end_sessions_ops(const storage::environment& env,
                                              std::string_view account,
                                              uint64_t user, int64_t now_ms) {
  std::vector<storage::put_op> ops;
  auto prefix = user_sessions_prefix(account, user);
  env.scan(storage::table::user_sessions, prefix, max_sessions_ended + 1,
           [&](std::string_view k, std::string_view) {
             if (k.substr(0, prefix.size()) != prefix)
               return false;
             if (k.size() > prefix.size()) {
               ops.push_back({storage::table::auth_sessions,
                              std::string{k.substr(prefix.size())}, "",
                              storage::op_kind::erase});
               ops.push_back({storage::table::user_sessions, std::string{k}, "",
                              storage::op_kind::erase});
             }
             return true;
           });
  ops.push_back({storage::table::user_sessions, prefix, std::to_string(now_ms),
                 storage::op_kind::put});
  return ops;
}

int64_t sessions_ended_ms(const storage::environment& env,
                          std::string_view account, uint64_t user) {
  auto v =
    env.get(storage::table::user_sessions, user_sessions_prefix(account, user));
  if (!v || !*v)
    return 0;
  int64_t ms = 0;
  auto& s = **v;
  std::from_chars(s.data(), s.data() + s.size(), ms);
  return ms;
}

} // namespace openassist::actors
