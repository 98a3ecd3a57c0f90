#include "actors/org/email_address.hpp"

namespace openassist::actors {

bool valid_email(const std::string& e) {
  if (e.size() < 3 || e.size() > 254)
    return false;
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 ||
      e.find('@', at + 1) != std::string::npos)
    return false;
  auto dot = e.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot + 1 >= e.size())
    return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == ',' || c == ';' || c == '<' ||
        c == '>' || c == '"')
      return false;
  return e.back() != '.';
}

} // namespace openassist::actors
