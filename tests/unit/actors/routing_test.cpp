#define CAF_SUITE actors.routing

#include "actors/intake/routing.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

namespace {

routing_candidate tech(uint64_t id, int active = 0, int max = 2,
                       int64_t last = 0,
                       std::vector<std::pair<std::string, int>> skills = {}) {
  return routing_candidate{id, true, active, max, std::move(skills), last};
}

} // namespace

CAF_TEST(round robin takes turns and honours the maximum) {
  std::vector<routing_candidate> techs{tech(1, 0, 2, 30), tech(2, 0, 2, 10),
                                       tech(3, 0, 2, 20)};
  auto first = pick_round_robin(techs);
  CAF_CHECK_EQUAL(first.value_or(0), 2u);
  techs[1].last_assigned = 40;
  auto second = pick_round_robin(techs);
  CAF_CHECK_EQUAL(second.value_or(0), 3u);
  // Technician 3 is full: the next in turn gets it.
  techs[2].active_sessions = 2;
  auto third = pick_round_robin(techs);
  CAF_CHECK_EQUAL(third.value_or(0), 1u);
  techs[0].available = false;
  techs[1].active_sessions = 2;
  CAF_CHECK(!pick_round_robin(techs));
}

CAF_TEST(skills pick the best skilled then the least busy) {
  std::vector<routing_candidate> techs{
    tech(1, 0, 3, 0, {{"windows", 2}}),
    tech(2, 1, 3, 0, {{"windows", 1}, {"printers", 3}}),
    tech(3, 0, 3, 0, {{"windows", 1}, {"printers", 3}}),
  };
  size_t dropped = 99;
  auto both = pick_by_skills(techs, {"windows", "printers"}, &dropped);
  CAF_CHECK_EQUAL(both.value_or(0), 3u); // same ranks as 2, less busy
  CAF_CHECK_EQUAL(dropped, 0u);
  auto windows = pick_by_skills(techs, {"windows"}, &dropped);
  CAF_CHECK_EQUAL(windows.value_or(0), 3u);
}

CAF_TEST(skills degrade by dropping the lowest ranked wish) {
  std::vector<routing_candidate> techs{
    tech(1, 0, 3, 0, {{"windows", 1}}),
    tech(2, 0, 3, 0, {{"network", 1}}),
  };
  size_t dropped = 99;
  auto pick = pick_by_skills(techs, {"windows", "linux"}, &dropped);
  CAF_CHECK_EQUAL(pick.value_or(0), 1u);
  CAF_CHECK_EQUAL(dropped, 1u);
  auto nobody = pick_by_skills(techs, {"mainframe"}, &dropped);
  CAF_CHECK(nobody.has_value()); // falls back to round-robin
  CAF_CHECK_EQUAL(dropped, 1u);
}

CAF_TEST(wait estimates grow with the position) {
  auto first = estimate_wait(1, 2, 300);
  CAF_CHECK_EQUAL(first.value_or(-1), 0);
  auto third = estimate_wait(3, 2, 300);
  CAF_CHECK_EQUAL(third.value_or(-1), 300);
  auto fifth = estimate_wait(5, 1, 300);
  CAF_CHECK_EQUAL(fifth.value_or(-1), 1200);
  CAF_CHECK(!estimate_wait(1, 0, 300));
}
