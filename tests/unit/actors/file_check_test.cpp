#define CAF_SUITE actors.file_check

#include "actors/session/file_check.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors;
using namespace std::string_literals;

CAF_TEST(allowed types pass when the content matches the name) {
  struct sample {
    const char* name;
    std::string bytes;
    const char* mime;
  };
  std::vector<sample> samples = {
    {"photo.JPG", "\xFF\xD8\xFF\xE0rest"s, "image/jpeg"},
    {"shot.png", "\x89PNG\r\n\x1A\n...."s, "image/png"},
    {"anim.gif", "GIF89a...."s, "image/gif"},
    {"scan.bmp", "BM...."s, "image/bmp"},
    {"scan.tiff", "II*\0...."s, "image/tiff"},
    {"report.pdf", "%PDF-1.7\n"s, "application/pdf"},
    {"old.doc", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...."s, "application/msword"},
    {"new.docx", "PK\x03\x04...."s,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"calc.xlsx", "PK\x03\x04...."s,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"text.odt", "PK\x03\x04...."s, "application/vnd.oasis.opendocument.text"},
    {"all.zip", "PK\x05\x06"s + std::string(18, '\0'), "application/zip"},
    {"all.rar", "Rar!\x1A\x07\x01\x00...."s, "application/vnd.rar"},
    {"app.log", "2026-11-23 error: disk full\n\tat line 3\n"s,
     "text/plain; charset=utf-8"},
    {"net.cfg", "mtu=1500\r\nname=K\xC3\xB6ln\n"s, "text/plain; charset=utf-8"},
  };
  for (auto& s : samples) {
    auto v = check_file(s.name, s.bytes);
    CAF_CHECK(v.ok);
    CAF_CHECK_EQUAL(v.mime, s.mime);
  }
}

CAF_TEST(a renamed program is refused with what it looks like) {
  auto exe = "MZ\x90\0\x03\0\0\0"s + std::string(100, '\0');
  auto v = check_file("invoice.pdf", exe);
  CAF_CHECK(!v.ok);
  CAF_CHECK_EQUAL(
    v.reason,
    "the content is not a PDF document (it looks like a Windows program)");
  auto elf = "\x7F"
             "ELF\x02\x01\x01"s +
             std::string(50, '\0');
  auto w = check_file("photo.jpg", elf);
  CAF_CHECK(!w.ok);
  CAF_CHECK_EQUAL(
    w.reason,
    "the content is not a JPEG image (it looks like a Linux program)");
  // Binary content in a text file.
  CAF_CHECK(!check_file("notes.txt", exe).ok);
  CAF_CHECK(!check_file("notes.txt", "ab\0cd"s).ok);
  CAF_CHECK(!check_file("notes.txt", "bad \xC3("s).ok);     // broken UTF-8
  CAF_CHECK(!check_file("notes.txt", "cut \xE2\x82"s).ok);  // cut off sequence
  CAF_CHECK(!check_file("notes.txt", "over \xC0\xAF"s).ok); // overlong
}

CAF_TEST(types not on the list and empty files are refused) {
  auto v = check_file("setup.exe", "MZ");
  CAF_CHECK(!v.ok);
  CAF_CHECK(v.reason.find("files of type .exe are not accepted") == 0);
  CAF_CHECK(!check_file("README", "hello").ok);
  CAF_CHECK(!check_file("page.html", "<script>").ok);
  CAF_CHECK(!check_file("a.svg", "<svg onload=alert(1)>").ok);
  auto empty = check_file("a.txt", "");
  CAF_CHECK(!empty.ok);
  CAF_CHECK_EQUAL(empty.reason, "the file is empty");
}

CAF_TEST(names are cleaned) {
  CAF_CHECK_EQUAL(clean_file_name("C:\\Users\\me\\report.pdf"), "report.pdf");
  CAF_CHECK_EQUAL(clean_file_name("../../etc/passwd"), "passwd");
  CAF_CHECK_EQUAL(clean_file_name("a\x01"
                                  "b\"c<d>.txt"),
                  "abcd.txt");
  CAF_CHECK_EQUAL(clean_file_name("...hidden.txt"), "hidden.txt");
  CAF_CHECK_EQUAL(clean_file_name("trail.txt. "), "trail.txt");
  CAF_CHECK_EQUAL(clean_file_name("/"), "");
  CAF_CHECK_EQUAL(clean_file_name("Bericht für Köln.pdf"),
                  "Bericht für Köln.pdf");
  auto long_name = std::string(300, 'x') + ".docx";
  auto cleaned = clean_file_name(long_name);
  CAF_CHECK_EQUAL(cleaned.size(), 120u);
  CAF_CHECK(cleaned.ends_with(".docx"));
  // A cut never splits a UTF-8 sequence.
  auto umlauts = std::string(200, '\xC3');
  for (size_t i = 1; i < umlauts.size(); i += 2)
    umlauts[i] = '\xB6';
  auto cut = clean_file_name(umlauts + ".txt");
  CAF_CHECK(cut.size() <= 120u);
  CAF_CHECK(cut.ends_with(".txt"));
  CAF_CHECK((cut.size() - 4) % 2 == 0);
}
