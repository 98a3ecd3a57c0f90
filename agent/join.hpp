#pragma once

#include <string>

#include "agent/target.hpp"

// The first step of the support app (docs/remote-control.md, "Joining"):
// POST /api/v1/app/join with the one-time code; the answer names the
// request and carries the customer's token for it.
namespace openassist::agent {

struct joined {
  std::string account;
  std::string request_id;
  std::string token;
  std::string portal;
};

/// Throws std::runtime_error with the server's message (or the network's)
/// when the code is not taken.
joined join_request(const target& t);

} // namespace openassist::agent
