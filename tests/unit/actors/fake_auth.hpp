#pragma once
// The auth service as actors that check logins see it (unit tests).

#include <cstdint>
#include <string>
#include <tuple>

#include "actors/errc.hpp"
#include "actors/identity/auth.hpp"

namespace openassist::actors::test_doubles {

// Logins: "acme-<user>" is user <user> of account acme, "evil-<user>" of
// account evil; anything else is no login.
inline auth_actor::behavior_type fake_auth(auth_actor::pointer) {
  auto unused = [] {
    return caf::result<std::string, std::string>(
      make_error(errc::unavailable, "not in this test"));
  };
  return {
    [=](login_atom, std::string&, std::string&, std::string&, std::string&,
        bool) { return unused(); },
    [](authn_atom, const std::string& token)
      -> std::tuple<std::string, uint64_t, std::string, bool> {
      auto dash = token.find('-');
      if (dash == std::string::npos)
        return {"", 0, "", false};
      return {token.substr(0, dash), std::stoull(token.substr(dash + 1)),
              "csrf", false};
    },
    [](logout_atom, std::string&) { return false; },
    [](reset_request_atom, std::string&, std::string&) { return false; },
    [=](reset_confirm_atom, std::string&,
        std::string&) -> caf::result<std::string> {
      return make_error(errc::unavailable, "not in this test");
    },
    [](public_url_atom, std::string&) {},
    [](gate_tick_atom) {},
  };
}

} // namespace openassist::actors::test_doubles
