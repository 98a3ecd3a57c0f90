#include "gateways/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace openassist::gateways {

namespace fs = std::filesystem;

static_files::static_files(std::string root, size_t max_file_size)
  : max_file_size_(max_file_size) {
  std::error_code ec;
  auto canonical = fs::weakly_canonical(root, ec);
  root_ = ec ? root : canonical.string();
}

std::string_view static_files::content_type_for(std::string_view path) {
  auto dot = path.rfind('.');
  auto ext =
    dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  if (ext == "html")
    return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs")
    return "text/javascript; charset=utf-8";
  if (ext == "css")
    return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map")
    return "application/json";
  if (ext == "svg")
    return "image/svg+xml";
  if (ext == "png")
    return "image/png";
  if (ext == "jpg" || ext == "jpeg")
    return "image/jpeg";
  if (ext == "gif")
    return "image/gif";
  if (ext == "ico")
    return "image/x-icon";
  if (ext == "webp")
    return "image/webp";
  if (ext == "woff2")
    return "font/woff2";
  if (ext == "txt")
    return "text/plain; charset=utf-8";
  if (ext == "wasm")
    return "application/wasm";
  if (ext == "deb")
    return "application/vnd.debian.binary-package";
  return "application/octet-stream";
}

http_response static_files::serve(std::string_view path,
                                  std::string_view if_none_match) const {
  auto not_found = [] {
    return http_response::error(404, "not_found", "no such resource");
  };
  // Reject traversal and hidden files before touching the file system.
  std::string rel;
  for (size_t pos = 0; pos < path.size();) {
    auto end = path.find('/', pos);
    auto seg =
      path.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (!seg.empty()) {
      if (seg.front() == '.' || seg.find('\\') != std::string_view::npos)
        return not_found();
      if (!rel.empty())
        rel += '/';
      rel += seg;
    }
    if (end == std::string_view::npos)
      break;
    pos = end + 1;
  }
  fs::path file = fs::path(root_) / rel;
  std::error_code ec;
  if (rel.empty() || fs::is_directory(file, ec))
    file /= "index.html";
  // The resolved file must still be below the root (symlinks).
  auto resolved = fs::weakly_canonical(file, ec);
  if (ec)
    return not_found();
  auto rs = resolved.string();
  if (rs.compare(0, root_.size(), root_) != 0 ||
      (rs.size() > root_.size() && rs[root_.size()] != '/'))
    return not_found();
  struct stat st {};
  if (::stat(rs.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) > max_file_size_)
    return not_found();
  std::ostringstream etag;
  etag << '"' << std::hex << st.st_size << '-' << st.st_mtim.tv_sec << '-'
       << st.st_mtim.tv_nsec << '"';
  http_response res;
  res.content_type = std::string{content_type_for(rs)};
  res.headers.emplace_back("ETag", etag.str());
  bool hashed_asset = rel.rfind("assets/", 0) == 0;
  res.headers.emplace_back("Cache-Control",
                           hashed_asset ? "public, max-age=31536000, immutable"
                                        : "no-cache");
  if (!if_none_match.empty() && if_none_match == etag.str()) {
    res.status = 304;
    return res;
  }
  std::ifstream in(rs, std::ios::binary);
  if (!in)
    return not_found();
  res.body.assign(std::istreambuf_iterator<char>(in),
                  std::istreambuf_iterator<char>());
  return res;
}

} // namespace openassist::gateways
