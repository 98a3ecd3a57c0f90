#pragma once

#include <string>

// KeyboardEvent.code (the key's position, as the technician's browser names
// it) to the X keysym of that key on a US layout; the customer's own layout
// then decides the character (docs/remote-control.md).
namespace openassist::agent {

/// 0 when the code is not one the app knows.
unsigned long keysym_of(const std::string& code);

} // namespace openassist::agent
