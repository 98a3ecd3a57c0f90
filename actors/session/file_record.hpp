// A session's file as its row in the `files` table (JSON) and back.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "actors/session/session_protocol.hpp"

namespace openassist::actors {

/// The row of `f` in the `files` table (also the `file` of `file.sent`).
nlohmann::json file_record(const session_file& f);

/// A row read back; nullopt when it does not decode.
std::optional<session_file> file_from_record(std::string_view text);

} // namespace openassist::actors
