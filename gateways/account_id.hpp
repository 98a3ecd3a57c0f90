#pragma once

#include <string_view>

namespace openassist::gateways {

/// True for an account id as the operator creates them (2-40 of a-z 0-9 -).
inline bool valid_account_id(std::string_view id) {
  return id.size() >= 2 && id.size() <= 40 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
           std::string_view::npos;
}

} // namespace openassist::gateways
