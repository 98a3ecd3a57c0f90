#pragma once

#include "gateways/api_v1.hpp"
#include "gateways/server.hpp"

namespace openassist::gateways {

/// The header-time check of the two upload routes (server_options::
/// upload_gate): before a byte of the body is read or any of the node's
/// upload budget reserved, the customer's token, or the technician's login
/// (with its CSRF token), and their right to send a file in that session
/// now are asked of the desk, as the upload route itself asks after the
/// body. Answers 100 to go on, else the desk's refusal (401, 403, 404, 409).
body_gate make_upload_gate(api_context ctx);

} // namespace openassist::gateways
