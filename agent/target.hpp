#pragma once

#include <optional>
#include <string>

// Where the support app joins (docs/remote-control.md, "Joining"): from the
// link the customer's page shows, http(s)://HOST[:PORT]/app/join/CODE, or
// from a server address and the code typed by hand.
namespace openassist::agent {

struct target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string code; ///< 10 digits
};

/// Reads a join link; nullopt with `problem` when it is not one.
std::optional<target> parse_link(const std::string& link, std::string& problem);

/// A server address (http(s)://HOST[:PORT]) and a code as typed (digits,
/// spaces and dashes).
std::optional<target> parse_server_and_code(const std::string& server,
                                            const std::string& code,
                                            std::string& problem);

} // namespace openassist::agent
