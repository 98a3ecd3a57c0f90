#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "storage/environment.hpp"
#include "storage/persistence.hpp"

namespace openassist::actors {

using mail_atom = caf::atom_constant<caf::atom("mail")>;
using mail_retry_atom = caf::atom_constant<caf::atom("mail_retry")>;

/// Outgoing e-mail over SMTP (libcurl) with a durable retry queue.
///
/// - `(mail_atom, to, subject, body)` -> mail id, answered once the mail is
///   stored in the outbox; it is then sent, and retried with backoff
///   (30 s, 1 min, 2 min, ... up to 1 h; given up after 24 attempts) until
///   the SMTP server takes it. Mails still in the outbox at start-up are
///   sent again. Addresses or subjects with line breaks are refused, and
///   so are mails beyond `max_queue` waiting to be stored (storage `busy`).
///   Mails are stored in groups (no await: the writer commits them
///   together) and one pass over the outbox follows each burst.
/// - `(mail_atom, to, subject, body, file_name, file)` -> mail id: the same
///   with a file attached (a CSV report: `file_name` ends in `.csv`; at most
///   `max_attachment_bytes`), sent as a MIME multipart mail.
/// - `(mail_retry_atom)`: the actor's own timer.
///
/// Without an SMTP URL the mail is written to the log instead (development).
/// Spawn detached: an SMTP exchange blocks.
using mailer_actor = caf::typed_actor<
  caf::replies_to<mail_atom, std::string, std::string,
                  std::string>::with<uint64_t>,
  caf::replies_to<mail_atom, std::string, std::string, std::string, std::string,
                  std::string>::with<uint64_t>,
  caf::reacts_to<mail_retry_atom>>;

/// The largest file a mail may carry.
inline constexpr size_t max_attachment_bytes = size_t{10} << 20;

/// A file sent with a mail: its name (letters, digits, '.', '-', '_') and
/// bytes; a `.csv` name is sent as `text/csv`, others as octets.
struct mail_attachment {
  std::string name;
  std::string data;
};

struct mailer_config {
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor persistence;
  std::string smtp_url; ///< e.g. smtp://127.0.0.1:25 (empty: log only)
  std::string from = "openassist@localhost";
  std::chrono::seconds first_retry{30};
  /// Mails on their way into the outbox (and waiting for the mailer) beyond
  /// which new ones are refused (`busy`): the queue's memory is bounded.
  size_t max_queue = 2000;
};

struct mailer_state {
  mailer_config cfg;
  uint64_t next_id = 1;
  bool retry_scheduled = false;
  bool delivery_asked = false; ///< a pass over the outbox is on its way
  size_t writes_in_flight = 0; ///< outbox writes not yet answered
  /// Outbox entries sent (or given up) whose removal is being written: a
  /// pass meanwhile must not send them again.
  std::set<std::string> leaving;
  static const char* name;
};

mailer_actor::behavior_type
mailer(mailer_actor::stateful_pointer<mailer_state> self, mailer_config cfg);

/// The message as sent over SMTP: headers and a plain text body (CRLF line
/// ends), or with `file` a multipart/mixed message of the text and the file
/// (base64).
std::string mime_message(const std::string& from, const std::string& to,
                         const std::string& subject, const std::string& body,
                         const mail_attachment* file);

/// One SMTP delivery (blocking); "" on success, else what went wrong.
std::string smtp_send(const std::string& url, const std::string& from,
                      const std::string& to, const std::string& subject,
                      const std::string& body,
                      const mail_attachment* file = nullptr);

} // namespace openassist::actors
