#pragma once

#include "gateways/api_v1.hpp"

namespace openassist::gateways {

/// Recordings (docs/recording.md): the portals' replay passphrases
/// (`/api/v1/portals/:id/replay-keys`, company managers), whether a session
/// was recorded (`GET /api/v1/requests/:id/recording`) and its replay with
/// the passphrase (`POST /api/v1/requests/:id/recording/replay`, managers).
void add_recording_routes(router& r, api_context ctx);

} // namespace openassist::gateways
