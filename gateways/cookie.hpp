#pragma once

#include <string>
#include <string_view>

namespace openassist::gateways {

/// Value of cookie `name` in a Cookie header, "" if absent.
std::string cookie_value(std::string_view header, std::string_view name);

} // namespace openassist::gateways
