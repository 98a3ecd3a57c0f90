#define CAF_SUITE actors.features

#include "actors/org/features.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

namespace {

feature_overrides set(feature f, bool on) {
  feature_overrides o;
  o.flags[f] = on;
  return o;
}

} // namespace

CAF_TEST(names map to features and back) {
  for (size_t i = 0; i < feature_count; ++i) {
    auto f = feature_from_name(feature_names[i]);
    CAF_REQUIRE(f.has_value());
    CAF_CHECK_EQUAL(static_cast<size_t>(*f), i);
  }
  CAF_CHECK(!feature_from_name("teleport"));
}

// The inheritance table: each row is a chain (root team, sub-team,
// technician) and the resulting value of one feature.
CAF_TEST(inheritance table) {
  struct row {
    const char* what;
    std::optional<bool> root, sub, tech;
    bool expected;
  };
  std::vector<row> rows{
    {"nothing set: default on", {}, {}, {}, true},
    {"root off, inherited by sub-team and technician", false, {}, {}, false},
    {"root off, sub-team back on", false, true, {}, true},
    {"root on, sub-team off, technician on", true, false, true, true},
    {"root on, technician off", true, {}, false, false},
    {"sub-team off, technician inherits", {}, false, {}, false},
  };
  for (auto& r : rows) {
    feature_overrides root, sub, tech;
    if (r.root)
      root = set(feature::chat, *r.root);
    if (r.sub)
      sub = set(feature::chat, *r.sub);
    if (r.tech)
      tech = set(feature::chat, *r.tech);
    auto v = resolve({&root, &sub, &tech});
    bool got = v.on(feature::chat);
    CAF_CHECK_EQUAL(got, r.expected);
    if (got != r.expected)
      CAF_MESSAGE("row failed: " << r.what);
  }
}

CAF_TEST(defaults where nobody says anything) {
  auto v = resolve({});
  CAF_CHECK(v.on(feature::chat));
  CAF_CHECK(v.on(feature::screen_sharing));
  CAF_CHECK(!v.on(feature::remote_control));
  CAF_CHECK(!v.on(feature::recording));
  CAF_CHECK_EQUAL(v.max_sessions, 5);
}

CAF_TEST(max sessions is inherited and overridden) {
  feature_overrides team;
  team.max_sessions = 3;
  feature_overrides tech;
  auto inherited = resolve({&team, &tech}).max_sessions;
  CAF_CHECK_EQUAL(inherited, 3);
  tech.max_sessions = 8;
  auto overridden = resolve({&team, &tech}).max_sessions;
  CAF_CHECK_EQUAL(overridden, 8);
}

CAF_TEST(a feature is on for a technician on a portal only when on for both) {
  auto tech_on = resolve({});
  auto tech_off = resolve({});
  tech_off.flags[static_cast<size_t>(feature::chat)] = false;
  auto portal_on = feature_overrides{};
  auto portal_off = set(feature::chat, false);
  CAF_CHECK(effective_on_portal(tech_on, portal_on).on(feature::chat));
  CAF_CHECK(!effective_on_portal(tech_off, portal_on).on(feature::chat));
  CAF_CHECK(!effective_on_portal(tech_on, portal_off).on(feature::chat));
  CAF_CHECK(!effective_on_portal(tech_off, portal_off).on(feature::chat));
  // A portal cannot grant what the technician lacks.
  auto no_remote = tech_on;
  no_remote.flags[static_cast<size_t>(feature::remote_control)] = false;
  CAF_CHECK(!effective_on_portal(no_remote, set(feature::remote_control, true))
               .on(feature::remote_control));
}

CAF_TEST(recording follows the portal alone) {
  // Recording is off by default for technicians, but a recording portal
  // records every session: the effective value must say so.
  auto tech = resolve({});
  CAF_CHECK(effective_on_portal(tech, set(feature::recording, true))
              .on(feature::recording));
  auto tech_rec = tech;
  tech_rec.flags[static_cast<size_t>(feature::recording)] = true;
  CAF_CHECK(
    !effective_on_portal(tech_rec, feature_overrides{}).on(feature::recording));
}
