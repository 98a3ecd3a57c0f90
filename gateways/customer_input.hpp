// Reads what a customer sends the live intake from its JSON into the typed
// values of actors/intake/customer_input.hpp, once, at the gateway. A
// malformed shape is refused here with the same errors the desk gave before
// (bad_json, bad_field with the field); what the portal's form requires is
// still the desk's to check.
#pragma once

#include <string>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/customer_input.hpp"

namespace openassist::gateways {

/// The form of a new request (`POST .../requests`): `fields` (an object),
/// `technician_id` (an id, as a number or digits), `code` (text, at most 32
/// bytes), `lang` (en or de). `source` and `idempotency_key` come from the
/// connection and headers; the fingerprint is a digest of the body.
caf::expected<actors::intake_form> read_intake(const nlohmann::json& body,
                                               actors::intake_source source,
                                               std::string idempotency_key);

/// `customer.wait` / `customer.contact`.
actors::customer_choice read_choice(const nlohmann::json& msg);

/// `customer.rate`.
actors::customer_rating read_rating(const nlohmann::json& msg);

/// The digest an intake's body is fingerprinted with: 64-bit FNV-1a of its
/// compact JSON text (stored with the request, so it stays the same across
/// builds and restarts).
uint64_t body_digest(std::string_view text);

} // namespace openassist::gateways
