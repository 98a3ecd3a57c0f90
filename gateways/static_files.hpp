#pragma once

#include <string>
#include <string_view>

#include "gateways/http_types.hpp"

namespace openassist::gateways {

/// Serves the built web UIs (web/dist) from `root`.
///
/// Only files below `root` are served (no "..", no hidden files, no
/// symlinks out). Content types by extension; hashed assets under /assets/
/// are cached for a year, HTML revalidates every time (ETag, 304).
class static_files {
public:
  explicit static_files(std::string root, size_t max_file_size = 32 << 20);

  /// Response for a GET/HEAD of decoded `path`; 404 in the error format when
  /// the file does not exist. "/" and directories map to index.html.
  http_response serve(std::string_view path,
                      std::string_view if_none_match) const;

  static std::string_view content_type_for(std::string_view path);

  const std::string& root() const { return root_; }

private:
  std::string root_;
  size_t max_file_size_;
};

} // namespace openassist::gateways
