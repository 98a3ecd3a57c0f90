// The one rule for an e-mail address anyone gives openassist: a user's, a
// portal's notification address, a customer's on the intake form or when
// nobody answered. An address a mail can go to as it is: one '@' with text
// before it, a dot in the domain (not first or last), and no white space,
// control character or separator that would make it two addresses or break
// a header (`, ; < > "`). At most 254 bytes.
#pragma once

#include <string>

namespace openassist::actors {

bool valid_email(const std::string& e);

} // namespace openassist::actors
