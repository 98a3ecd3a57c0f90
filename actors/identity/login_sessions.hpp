#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/environment.hpp"
#include "storage/write_batch.hpp"

// The per-user index of logins (browser sessions and bearer tokens, table
// `user_sessions`), so that a password reset or change ends all of them.
namespace openassist::actors {

/// "<account>" NUL be64(user): the user's index prefix, and the key of the
/// time before which all of the user's logins ended.
std::string user_sessions_prefix(std::string_view account, uint64_t user);

/// The index row of one login.
std::string user_session_key(std::string_view account, uint64_t user,
                             std::string_view digest);

/// The operations that end every login of the user: the sessions and their
/// index rows are erased, and logins whose credentials were read before
/// `now_ms` (still on their way to storage) are refused from then on.
std::vector<storage::put_op> end_sessions_ops(const storage::environment& env,
                                              std::string_view account,
                                              uint64_t user, int64_t now_ms);

/// When the user's logins last ended (ms), 0 when never.
int64_t sessions_ended_ms(const storage::environment& env,
                          std::string_view account, uint64_t user);

/// Most logins of one user that are ended in one go (older ones stay until
/// they expire, and are refused by the time stamp in any case).
inline constexpr size_t max_sessions_ended = 10000;

} // namespace openassist::actors
