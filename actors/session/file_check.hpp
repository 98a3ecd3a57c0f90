#pragma once

#include <string>
#include <string_view>

// Which files a session accepts (spec 4: the allowlist of file types), judged
// by the name's extension and by the bytes: a program renamed to .pdf is
// refused because it does not start like a PDF.
namespace openassist::actors {

struct file_verdict {
  bool ok = false;
  std::string reason; ///< why not, for the chat and the HTTP error
  std::string mime;   ///< the type the download is labelled with
};

/// The extensions of the allowlist, lower case, with the dot, space-separated.
std::string_view allowed_extensions();

/// A name safe to store and show: no directories, no control characters, at
/// most 120 characters (the extension kept); "" when nothing is left.
std::string clean_file_name(std::string_view name);

/// Judges a file by its (cleaned) name and content.
file_verdict check_file(std::string_view name, std::string_view bytes);

} // namespace openassist::actors
