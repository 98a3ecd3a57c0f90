// A value sent to another node: as a message through CAF's binary
// serializer, read back by a system that knows the type by its name (the
// node's config registers it).
#pragma once

#include <vector>

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>

namespace openassist::answers {

template <class T>
T round_trip(caf::actor_system& sys, const T& x) {
  auto msg = caf::make_message(x);
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  auto err = sink(msg);
  CAF_REQUIRE(!err);
  caf::binary_deserializer source{sys, buf};
  caf::message out;
  err = source(out);
  CAF_REQUIRE(!err);
  CAF_REQUIRE(out.match_elements<T>());
  return out.get_as<T>(0);
}

} // namespace openassist::answers
