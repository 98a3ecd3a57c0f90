// What a customer sends the live intake, already read from JSON by the
// gateways (gateways/customer_input.hpp): the form of a new request, the
// choice once nobody answered in time, the rating of a finished session.
// Plain values with an `inspect` function (registered by name in the node's
// config), so that no actor parses a customer's JSON.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace openassist::actors {

/// Where an intake came from (the gateway reads the address and the
/// User-Agent).
struct intake_source {
  std::string ip, device, os, browser;
};

/// A new request as the customer sent it. The portal's form decides which
/// fields count and how they must look (desk::portal_model::check_fields).
struct intake_form {
  /// The text of each field sent as text.
  std::map<std::string, std::string> fields;
  /// Fields sent with a value that is not text (refused where the form has
  /// them, ignored elsewhere, as any field the form does not have).
  std::set<std::string> not_text;
  uint64_t technician_id = 0; ///< SmartMatch: the technician chosen; 0 none
  std::string code;           ///< SmartPin: the code as typed
  std::string lang = "en";    ///< of the confirmation mail: en or de
  intake_source source;
  /// The client's Idempotency-Key ("" none) and a digest of the body: a
  /// retry with the same key and body gets the first request.
  std::string idempotency_key;
  uint64_t fingerprint = 0;
};

/// `customer.wait` (keep waiting) or `customer.contact` (leave an e-mail).
struct customer_choice {
  std::string type;
  std::string email;
};

/// `customer.rate`: 1..5 and a comment. `has_rating` is false when the
/// rating was missing or not a whole number.
struct customer_rating {
  bool has_rating = false;
  int64_t rating = 0;
  std::string comment;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, intake_source& x) {
  return f(x.ip, x.device, x.os, x.browser);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, intake_form& x) {
  return f(x.fields, x.not_text, x.technician_id, x.code, x.lang, x.source,
           x.idempotency_key, x.fingerprint);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, customer_choice& x) {
  return f(x.type, x.email);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, customer_rating& x) {
  return f(x.has_rating, x.rating, x.comment);
}

} // namespace openassist::actors
