// Why an actor refused a request: the project's error category.
#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace openassist::actors {

/// What went wrong, as an actor says it: a `caf::error` of the category atom
/// "oa" with the message for people as its context. Actors answer with these
/// and never with HTTP statuses; the gateways turn them into a status and the
/// JSON error shape through one table (gateways/error_table.hpp). The names
/// are the `code` a client reads.
enum class errc : uint8_t {
  bad_field = 1,       ///< a field of the request is missing or malformed
  not_found,           ///< no such thing (or not visible to the asker)
  forbidden,           ///< the asker may not do this
  not_member,          ///< the connection is not a member of the session yet
  not_yours,           ///< someone else has it, or the asker only watches
  taken,               ///< another technician has the request already
  not_open,            ///< the request or portal is not open
  chat_not_open,       ///< the session is not active (not joined yet, or over)
  bad_state,           ///< not possible in the present state
  sharing,             ///< the screen is shared already
  not_requested,       ///< the screen was not asked for
  full,                ///< at the maximum (sessions, colleagues)
  limited,             ///< a rate or size limit
  unavailable,         ///< a service did not answer; try again
  storage_unavailable, ///< not stored for a passing reason; send it again
  busy,                ///< storage's queue is full; send it again
  storage_full,        ///< storage is full; nothing was changed
  damaged,             ///< stored data does not decode
  feature_off,         ///< a feature switch does not allow it
  no_app,              ///< the customer's support app is not connected
  not_controlling,     ///< input from a technician not granted control
  reused,              ///< a key sent again with another body
  unauthenticated,     ///< the login is gone or was never there
  too_large,           ///< more than the limit allows in one go
};

inline constexpr caf::atom_value errc_category = caf::atom("oa");

const char* to_string(errc x);

/// `message` is what the person asking is told.
inline caf::error make_error(errc x, std::string message) {
  return {static_cast<uint8_t>(x), errc_category,
          caf::make_message(std::move(message))};
}

/// What a client needs beside the message to act on a refusal: the `code`
/// it reads where that is more precise than the category's name (for example
/// `at_capacity` for errc::full), the field it concerns and the rule that
/// field broke, when to try again, when a closed portal opens.
struct error_details {
  std::string code; ///< "" for the name of the errc
  std::string field;
  std::string rule; ///< bad_field: required, length, email, choice, …
  int min = -1;     ///< rules `length` and `range`
  int max = -1;
  int64_t retry_after_s = 0;
  int64_t next_open = -1; ///< Unix s; -1 for none
};

/// `message` is what the person asking is told; the details travel in the
/// context after it (message, code, field, rule, min, max, retry after,
/// next open), so that `message_of` reads either form.
caf::error make_error(errc x, std::string message, error_details details);

/// The details an error of the category carries (none: all defaults).
error_details details_of(const caf::error& err);

/// The project's error code of `err`, or 0 for another category.
inline uint8_t code_of(const caf::error& err) {
  return err && err.category() == errc_category ? err.code() : 0;
}

inline bool is(const caf::error& err, errc x) {
  return code_of(err) == static_cast<uint8_t>(x);
}

/// The message an error of the project's category carries ("" for none).
std::string message_of(const caf::error& err);

/// A change that storage did not take (`cause`, the writer's answer), said to
/// its client with `message` (what to do now): `storage_full` when the map is
/// full, `busy` when the writer's queue is, else `storage_unavailable`.
caf::error not_stored(const caf::error& cause, std::string message);

/// A write that failed with `cause`: not_stored() when the writer refused
/// it, else `storage_unavailable` saying that the change may or may not be
/// stored (no answer, so its fate is not known).
caf::error write_failed(const caf::error& cause, std::string message);

/// Renders errors of the category for logs (actor_system_config's
/// add_error_category).
std::string render_errc(uint8_t code, caf::atom_value,
                        const caf::message& context);

} // namespace openassist::actors
