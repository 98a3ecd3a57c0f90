#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

// System lines of a session as codes with parameters (docs/sessions.md,
// "System lines"): a line written by the server keeps its English `text`
// (old clients, old transcripts) and carries `code` and `params`, which
// clients render in the reader's language. Lines stored before codes existed
// have only their text.
namespace openassist::actors {

/// A system line: `{"from":"system","name":"","technician_id":0,"text",
/// "code","params","private"}`, `text` being the English rendering.
nlohmann::json system_line(const std::string& code,
                           const nlohmann::json& params, bool priv = false);

/// A system line's text in `lang` ("en" or "de"): rendered from its code
/// where the code is known, else its stored text.
std::string system_text(const nlohmann::json& line, const std::string& lang);

/// Whether `lang` is a language transcripts are written in ("en", "de").
bool transcript_language(const std::string& lang);

/// One transcript line per chat line, in `lang`:
/// "[2026-11-23 14:05:09 UTC] Name: text", system lines "* text".
std::string transcript_line(const nlohmann::json& line,
                            const std::string& lang);

} // namespace openassist::actors
