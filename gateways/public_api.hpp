#pragma once

#include <memory>

#include "gateways/api_v1.hpp"
#include "gateways/static_files.hpp"

namespace openassist::gateways {

/// The customer side of intake (docs/intake.md), no login: portal pages at
/// `/p/:account/:slug`, and under /api/v1/public the portal's data, its
/// public status, new requests and their cancelling. Each forwards to the
/// account's desk actor through the directory.
void add_public_routes(router& r, api_context ctx, std::shared_ptr<static_files> files);

/// True for an account id as the operator creates them (2-40 of a-z 0-9 -).
bool valid_account_id(std::string_view id);

} // namespace openassist::gateways
