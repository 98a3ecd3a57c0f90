#include "actors/session/file_check.hpp"

#include <algorithm>
#include <array>

namespace openassist::actors {

namespace {

bool starts(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

using namespace std::string_view_literals;

constexpr auto jpeg = "\xFF\xD8\xFF"sv;
constexpr auto png = "\x89PNG\r\n\x1A\n"sv;
constexpr auto ole =
  "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv; // .doc .xls .ppt .pps
constexpr auto zip = "PK\x03\x04"sv;
constexpr auto zip_empty = "PK\x05\x06"sv;
constexpr auto rar4 = "Rar!\x1A\x07\x00"sv;
constexpr auto rar5 = "Rar!\x1A\x07\x01\x00"sv;

// What a refused file looks like, to name it in the reason.
std::string_view looks_like(std::string_view bytes) {
  if (starts(bytes, "MZ"))
    return "a Windows program";
  if (starts(bytes, "\x7F"
                    "ELF"))
    return "a Linux program";
  if (starts(bytes, "\xCF\xFA\xED\xFE"sv) ||
      starts(bytes, "\xCE\xFA\xED\xFE"sv) ||
      starts(bytes, "\xCA\xFE\xBA\xBE"sv))
    return "a macOS program";
  if (starts(bytes, "#!"))
    return "a script";
  return {};
}

// Plain text: valid UTF-8 without NUL or other control bytes than tab, CR,
// LF and form feed.
bool is_text(std::string_view bytes) {
  size_t i = 0;
  if (starts(bytes, "\xEF\xBB\xBF"sv))
    i = 3;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
        return false;
      if (c == 0x7F)
        return false;
      ++i;
      continue;
    }
    // Lead byte: how many continuation bytes follow; overlong and
    // out-of-range leads are refused.
    size_t n = (c & 0xE0) == 0xC0   ? 1
               : (c & 0xF0) == 0xE0 ? 2
               : (c & 0xF8) == 0xF0 ? 3
                                    : 0;
    if (n == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4 || bytes.size() - i <= n)
      return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80)
        return false;
    i += n + 1;
  }
  return true;
}

struct kind {
  std::string_view ext;
  std::string_view mime;
  std::string_view what; ///< for the reason: "not a <what>"
  bool (*matches)(std::string_view);
};

const std::array<kind, 22> kinds = {{
  {".jpeg", "image/jpeg", "JPEG image",
   [](std::string_view b) { return starts(b, jpeg); }},
  {".jpg", "image/jpeg", "JPEG image",
   [](std::string_view b) { return starts(b, jpeg); }},
  {".png", "image/png", "PNG image",
   [](std::string_view b) { return starts(b, png); }},
  {".gif", "image/gif", "GIF image",
   [](std::string_view b) {
     return starts(b, "GIF87a") || starts(b, "GIF89a");
   }},
  {".bmp", "image/bmp", "BMP image",
   [](std::string_view b) { return starts(b, "BM"); }},
  {".tiff", "image/tiff", "TIFF image",
   [](std::string_view b) {
     return starts(b, "II*\x00"sv) || starts(b, "MM\x00*"sv);
   }},
  {".pdf", "application/pdf", "PDF document",
   [](std::string_view b) { return starts(b, "%PDF-"); }},
  {".doc", "application/msword", "Word document",
   [](std::string_view b) { return starts(b, ole); }},
  {".docx",
   "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
   "Word document", [](std::string_view b) { return starts(b, zip); }},
  {".odt", "application/vnd.oasis.opendocument.text", "OpenDocument text",
   [](std::string_view b) { return starts(b, zip); }},
  {".xls", "application/vnd.ms-excel", "Excel workbook",
   [](std::string_view b) { return starts(b, ole); }},
  {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
   "Excel workbook", [](std::string_view b) { return starts(b, zip); }},
  {".ppt", "application/vnd.ms-powerpoint", "PowerPoint presentation",
   [](std::string_view b) { return starts(b, ole); }},
  {".pptx",
   "application/vnd.openxmlformats-officedocument.presentationml.presentation",
   "PowerPoint presentation",
   [](std::string_view b) { return starts(b, zip); }},
  {".pps", "application/vnd.ms-powerpoint", "PowerPoint show",
   [](std::string_view b) { return starts(b, ole); }},
  {".ppsx",
   "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
   "PowerPoint show", [](std::string_view b) { return starts(b, zip); }},
  {".log", "text/plain; charset=utf-8", "text file", is_text},
  {".cfg", "text/plain; charset=utf-8", "text file", is_text},
  {".txt", "text/plain; charset=utf-8", "text file", is_text},
  {".rar", "application/vnd.rar", "RAR archive",
   [](std::string_view b) { return starts(b, rar4) || starts(b, rar5); }},
  {".zip", "application/zip", "ZIP archive",
   [](std::string_view b) { return starts(b, zip) || starts(b, zip_empty); }},
  // .tif is the same format under its short name.
  {".tif", "image/tiff", "TIFF image",
   [](std::string_view b) {
     return starts(b, "II*\x00"sv) || starts(b, "MM\x00*"sv);
   }},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                : static_cast<char>(c);
  });
  return out;
}

} // namespace

std::string_view allowed_extensions() {
  return ".jpeg .jpg .png .gif .bmp .tiff .pdf .doc .docx .odt .xls .xlsx .ppt "
         ".pptx .pps "
         ".ppsx .log .cfg .rar .zip .txt";
}

std::string clean_file_name(std::string_view name) {
  // The last path component, whichever separator the sender's system uses.
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos)
    name = name.substr(slash + 1);
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F || c == '"' || c == ':' || c == '*' || c == '?' ||
        c == '<' || c == '>' || c == '|')
      continue;
    out.push_back(static_cast<char>(c));
  }
  // Leading dots and spaces make hidden or odd names.
  auto first = out.find_first_not_of(". ");
  out = first == std::string::npos ? std::string{} : out.substr(first);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
    out.pop_back();
  constexpr size_t max_bytes = 120;
  if (out.size() > max_bytes) {
    auto dot = out.find_last_of('.');
    std::string ext =
      dot != std::string::npos && out.size() - dot <= 6 ? out.substr(dot) : "";
    size_t keep = max_bytes - ext.size();
    // Do not cut a UTF-8 sequence in two.
    while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80)
      --keep;
    out = out.substr(0, keep) + ext;
  }
  return out;
}

file_verdict check_file(std::string_view name, std::string_view bytes) {
  file_verdict v;
  auto dot = name.find_last_of('.');
  auto ext =
    dot == std::string_view::npos ? std::string{} : lower(name.substr(dot));
  const kind* k = nullptr;
  for (auto& candidate : kinds)
    if (candidate.ext == ext)
      k = &candidate;
  if (k == nullptr) {
    v.reason = ext.empty()
                 ? "files without an extension are not accepted"
                 : "files of type " + ext + " are not accepted (allowed: " +
                     std::string{allowed_extensions()} + ")";
    return v;
  }
  if (bytes.empty()) {
    v.reason = "the file is empty";
    return v;
  }
  if (!k->matches(bytes)) {
    auto like = looks_like(bytes);
    v.reason = "the content is not a " + std::string{k->what} +
               (like.empty() ? std::string{}
                             : " (it looks like " + std::string{like} + ")");
    return v;
  }
  v.ok = true;
  v.mime = std::string{k->mime};
  return v;
}

} // namespace openassist::actors
