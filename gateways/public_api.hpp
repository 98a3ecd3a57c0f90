#pragma once

#include <functional>
#include <memory>

#include <caf/event_based_actor.hpp>

#include "gateways/account_id.hpp"
#include "gateways/api_v1.hpp"
#include "gateways/static_files.hpp"

namespace openassist::gateways {

/// The customer side of intake (docs/intake.md), no login: portal pages at
/// `/p/:account/:slug`, and under /api/v1/public the portal's data, its
/// public status, new requests and their cancelling. Each forwards to the
/// account's desk actor through the directory. Reads of the portal's data and
/// status are limited per address and minute (429 with Retry-After; 0:
/// unlimited); a new request may carry an Idempotency-Key.
void add_public_routes(router& r, api_context ctx,
                       std::shared_ptr<static_files> files,
                       size_t reads_per_address_per_min = 120);

/// Inside a route's bridge actor `self`: sends `msg` to the account's desk
/// and calls `next` with its body; its refusals (through the error table),
/// lookup and delivery failures are answered (404 for an unknown account,
/// 503) and `self` quits.
void ask_desk(const api_context& ctx, caf::event_based_actor* self,
              const std::string& account, caf::message msg, responder respond,
              std::function<void(std::string&)> next);

/// Answers the chat transcript of a request as a text/plain attachment (the
/// caller has checked who may read it), in `lang` ("en", "de"); `self` quits
/// when it is sent.
void send_transcript(const api_context& ctx, caf::event_based_actor* self,
                     const std::string& account, const std::string& id,
                     bool with_private, responder respond,
                     const std::string& lang = "en");

/// Answers the last computer details of a request's session as JSON (the
/// caller has checked who may read them); `self` quits when it is sent.
void send_diagnostics(const api_context& ctx, caf::event_based_actor* self,
                      const std::string& account, const std::string& id,
                      responder respond);

} // namespace openassist::gateways
