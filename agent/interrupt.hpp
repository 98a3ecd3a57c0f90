#pragma once

// SIGINT and SIGTERM end the app as its window's close button does: the
// user interfaces poll interrupted() (a signal handler may do no more than
// set a flag).
namespace openassist::agent {

void install_interrupt_handlers();
bool interrupted();

} // namespace openassist::agent
