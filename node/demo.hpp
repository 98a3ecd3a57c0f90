#pragma once

#include <string>

#include <caf/actor_system.hpp>

#include "cluster/directory.hpp"

namespace openassist::node {

/// Seeds the demo account on first start (`--node.demo`, which `make run`
/// sets; never on by default): a company manager, a team manager, an API
/// manager, two teams with a sub-team, four technicians and one portal per
/// mode, all through the account actor's ordinary operations. Returns the
/// logins to print, or "" when the demo account already existed. Throws
/// nothing; a failure is returned as a line starting with "demo:".
std::string seed_demo(caf::actor_system& sys,
                      cluster::directory_actor directory);

} // namespace openassist::node
