#include "actors/services/mailer.hpp"

#include <cstring>
#include <ctime>

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "actors/clock.hpp"
#include "actors/identity/credentials.hpp"
#include "actors/json_fields.hpp"
#include "monitoring/logging.hpp"
#include "storage/errc.hpp"

namespace openassist::actors {

const char* mailer_state::name = "mailer";

namespace {

using json = nlohmann::json;
using self_ptr = mailer_actor::stateful_pointer<mailer_state>;

constexpr int max_attempts = 24;

int64_t now_s() {
  return wall_s();
}

std::string outbox_key(uint64_t id) {
  std::string key = "mail/";
  for (int shift = 56; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((id >> shift) & 0xff));
  return key;
}

bool has_line_break(const std::string& s) {
  return s.find_first_of("\r\n") != std::string::npos;
}

struct upload {
  std::string data;
  size_t pos = 0;
};

size_t read_cb(char* buffer, size_t size, size_t nitems, void* user) {
  auto* u = static_cast<upload*>(user);
  size_t n = std::min(size * nitems, u->data.size() - u->pos);
  std::memcpy(buffer, u->data.data() + u->pos, n);
  u->pos += n;
  return n;
}

std::string rfc5322_date() {
  char buf[64];
  auto t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// Stores the outbox entry (or removes it) durably. The writer answers every
// batch (its deadline refuses what waited too long): no clock timeout.
void store(self_ptr self, const std::string& key, const json* entry) {
  storage::write_batch batch;
  batch.ops.push_back(
    {storage::table::outbox, key, entry ? dump_text(*entry) : "",
     entry ? storage::op_kind::put : storage::op_kind::erase});
  if (entry == nullptr)
    self->state.leaving.insert(key);
  self
    ->request(self->state.cfg.persistence, caf::infinite,
              storage::write_atom::value, std::move(batch))
    .then([self, key](
            const storage::write_receipt&) { self->state.leaving.erase(key); },
          [self, key](caf::error& err) {
            // Still in the outbox: a later pass sends it again.
            self->state.leaving.erase(key);
            monitoring::component_logger("mailer")->warn(
              "outbox not updated: {}", self->system().render(err));
          });
}

// One pass over the outbox after a burst of new mails.
void ask_delivery(self_ptr self) {
  if (self->state.delivery_asked)
    return;
  self->state.delivery_asked = true;
  self->send(self, mail_retry_atom::value);
}

void schedule_retry(self_ptr self, std::chrono::seconds delay) {
  if (self->state.retry_scheduled)
    return;
  self->state.retry_scheduled = true;
  self->delayed_send(self, delay, mail_retry_atom::value);
}

// Tries every due mail of the outbox once.
void deliver_due(self_ptr self) {
  auto& st = self->state;
  auto log = monitoring::component_logger("mailer");
  std::vector<std::pair<std::string, json>> due;
  int64_t soonest = 0;
  auto now = now_s();
  st.cfg.env->scan(storage::table::outbox, "mail/", 1000,
                   [&](std::string_view k, std::string_view v) {
                     if (st.leaving.count(std::string{k}) != 0)
                       return true;
                     auto entry = json::parse(v, nullptr, false);
                     if (entry.is_discarded())
                       return true;
                     auto next = entry.value("next_try", int64_t{0});
                     if (next <= now)
                       due.emplace_back(std::string{k}, std::move(entry));
                     else if (soonest == 0 || next < soonest)
                       soonest = next;
                     return true;
                   });
  for (auto& [key, entry] : due) {
    auto to = entry.value("to", "");
    auto subject = entry.value("subject", "");
    auto body = entry.value("body", "");
    std::optional<mail_attachment> file;
    if (entry.contains("file_name"))
      file =
        mail_attachment{entry.value("file_name", ""), entry.value("file", "")};
    std::string problem;
    if (st.cfg.smtp_url.empty()) {
      log->info("no SMTP server configured (mail.smtp-url); mail to {} "
                "written here instead:\nSubject: {}\n\n{}{}",
                to, subject, body,
                file ? "\n[" + file->name + "]\n" + file->data : "");
    } else {
      problem = smtp_send(st.cfg.smtp_url, st.cfg.from, to, subject, body,
                          file ? &*file : nullptr);
    }
    if (problem.empty()) {
      store(self, key, nullptr);
      continue;
    }
    auto attempts = entry.value("attempts", 0) + 1;
    if (attempts >= max_attempts) {
      log->error("giving up mail to {} after {} attempts: {}", to, attempts,
                 problem);
      store(self, key, nullptr);
      continue;
    }
    auto delay =
      std::min<int64_t>(3600, st.cfg.first_retry.count() << (attempts - 1));
    log->warn("mail to {} not sent (attempt {}): {}; retry in {} s", to,
              attempts, problem, delay);
    entry["attempts"] = attempts;
    entry["next_try"] = now + delay;
    store(self, key, &entry);
    if (soonest == 0 || now + delay < soonest)
      soonest = now + delay;
  }
  if (soonest != 0)
    schedule_retry(
      self, std::chrono::seconds(std::max<int64_t>(1, soonest - now_s())));
}

} // namespace

namespace {

bool valid_attachment(const mail_attachment& a) {
  return !a.name.empty() && a.name.size() <= 100 &&
         a.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
           std::string::npos &&
         a.data.size() <= max_attachment_bytes;
}

// Text with CRLF line ends (SMTP's).
std::string crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      out += '\r';
    out += text[i];
  }
  return out;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string base64_lines(const std::string& data) {
  std::string b64(
    sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL),
    '\0');
  sodium_bin2base64(b64.data(), b64.size(),
                    reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76)
    out += b64.substr(i, 76) + "\r\n";
  return out;
}

} // namespace

std::string mime_message(const std::string& from, const std::string& to,
                         const std::string& subject, const std::string& body,
                         const mail_attachment* file) {
  std::string head = "Date: " + rfc5322_date() + "\r\nTo: <" + to +
                     ">\r\nFrom: <" + from + ">\r\nSubject: " + subject +
                     "\r\nMessage-ID: <" + random_token() +
                     "@openassist>\r\nMIME-Version: 1.0\r\n";
  const std::string text_part = "Content-Type: text/plain; charset=utf-8\r\n"
                                "Content-Transfer-Encoding: 8bit\r\n\r\n";
  if (file == nullptr)
    return head + text_part + crlf(body) + "\r\n";
  auto boundary = "=_openassist_" + random_token().substr(0, 32);
  bool csv = file->name.size() > 4 &&
             file->name.compare(file->name.size() - 4, 4, ".csv") == 0;
  return head + "Content-Type: multipart/mixed; boundary=\"" + boundary +
         "\"\r\n\r\n--" + boundary + "\r\n" + text_part + crlf(body) +
         "\r\n--" + boundary + "\r\nContent-Type: " +
         (csv ? "text/csv; charset=utf-8" : "application/octet-stream") +
         "; name=\"" + file->name +
         "\"\r\nContent-Disposition: attachment; filename=\"" + file->name +
         "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         base64_lines(file->data) + "--" + boundary + "--\r\n";
}

std::string smtp_send(const std::string& url, const std::string& from,
                      const std::string& to, const std::string& subject,
                      const std::string& body, const mail_attachment* file) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr)
    return "curl_easy_init failed";
  upload u;
  u.data = mime_message(from, to, subject, body, file);
  auto mail_from = "<" + from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(curl, CURLOPT_READDATA, &u);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  auto rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? std::string{} : std::string{curl_easy_strerror(rc)};
}

namespace {

// Stores a mail in the outbox; answered once it is durable, sent after.
caf::result<uint64_t> enqueue(self_ptr self, const std::string& to,
                              const std::string& subject,
                              const std::string& body,
                              const mail_attachment* file) {
  auto& st = self->state;
  if (st.writes_in_flight + self->mailbox().size() >= st.cfg.max_queue)
    return storage::make_error(storage::storage_errc::busy,
                               "the mail queue is full");
  if (to.empty() || to.size() > 254 || has_line_break(to) ||
      has_line_break(subject) || subject.size() > 300 ||
      body.size() > 1 << 20 || (file != nullptr && !valid_attachment(*file)))
    return caf::make_error(caf::sec::invalid_argument,
                           "bad mail header or size");
  auto id = st.next_id++;
  json entry = {{"to", to},
                {"subject", subject},
                {"body", body},
                {"attempts", 0},
                {"next_try", 0}};
  if (file != nullptr) {
    entry["file_name"] = file->name;
    entry["file"] = file->data;
  }
  storage::write_batch batch;
  batch.ops.push_back({storage::table::outbox, outbox_key(id), dump_text(entry),
                       storage::op_kind::put});
  auto rp = self->make_response_promise<uint64_t>();
  // Answered once the mail is durable in the outbox; sent right after.
  ++st.writes_in_flight;
  self
    ->request(st.cfg.persistence, caf::infinite, storage::write_atom::value,
              std::move(batch))
    .then(
      [self, rp, id](const storage::write_receipt&) mutable {
        --self->state.writes_in_flight;
        rp.deliver(id);
        ask_delivery(self);
      },
      [self, rp](caf::error& err) mutable {
        --self->state.writes_in_flight;
        rp.deliver(std::move(err));
      });
  return rp;
}

} // namespace

mailer_actor::behavior_type
mailer(mailer_actor::stateful_pointer<mailer_state> self, mailer_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  // Continue numbering after what is still queued, and send it. A restarted
  // mailer's numbers also start above the clock's milliseconds (times 2^16),
  // so they never reuse the number of a mail a dead incarnation still has
  // on its way to storage (which the scan cannot see yet).
  st.next_id = static_cast<uint64_t>(wall_ms()) << 16;
  st.cfg.env->scan(storage::table::outbox, "mail/", 100000,
                   [&](std::string_view k, std::string_view) {
                     if (k.size() == 13) {
                       uint64_t id = 0;
                       for (size_t i = 5; i < 13; ++i)
                         id = (id << 8) | static_cast<uint8_t>(k[i]);
                       st.next_id = std::max(st.next_id, id + 1);
                     }
                     return true;
                   });
  schedule_retry(self, std::chrono::seconds(1));
  return {
    [self](mail_atom, const std::string& to, const std::string& subject,
           const std::string& body) -> caf::result<uint64_t> {
      return enqueue(self, to, subject, body, nullptr);
    },
    [self](mail_atom, const std::string& to, const std::string& subject,
           const std::string& body, const std::string& file_name,
           const std::string& file) -> caf::result<uint64_t> {
      mail_attachment a{file_name, file};
      return enqueue(self, to, subject, body, &a);
    },
    [self](mail_retry_atom) {
      self->state.retry_scheduled = false;
      self->state.delivery_asked = false;
      deliver_due(self);
    },
  };
}

} // namespace openassist::actors
