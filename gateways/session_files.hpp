#pragma once

#include "gateways/api_v1.hpp"

namespace openassist::gateways {

/// Files in sessions (docs/sessions.md, "Files"): upload by the customer
/// (`X-Customer-Token`) or the technician (login), raw bytes with the name in
/// `?name=`; checked by the desk (who, when, the account's size limit) and by
/// type and content (actors/session/file_check), stored in the blob store, then
/// a chat line. Downloads for the customer (token), the technicians who see the
/// request and the account's managers.
void add_file_routes(router& r, api_context ctx);

} // namespace openassist::gateways
