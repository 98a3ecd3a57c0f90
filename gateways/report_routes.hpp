#pragma once

#include <optional>

#include "actors/intake/desk_history.hpp"
#include "gateways/api_v1.hpp"

namespace openassist::gateways {

/// A query value as a whole number of at most 18 digits (absent:
/// `fallback`), nullopt when it is not one.
std::optional<uint64_t> query_number(const http_request& req,
                                     std::string_view name, uint64_t fallback);

/// The narrowing of the session list and the reports from a request's
/// query (docs/api.md): `portal_id`, `technician_id`, `team_id`, and a
/// creation time range `from` (included) .. `to` (excluded) in Unix ms;
/// the 400 to answer when a value is not a whole number or `from` is not
/// before `to`.
std::optional<http_response> history_filter_from(const http_request& req,
                                                 actors::history_filter& out);

/// Reports (docs/reports.md): `GET /api/v1/reports/:kind` (snapshot,
/// sessions) for the account's managers, as JSON or with `format=csv` as a
/// CSV attachment.
void add_report_routes(router& r, api_context ctx);

} // namespace openassist::gateways
