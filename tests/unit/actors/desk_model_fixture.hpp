#pragma once
// The account, customers and helpers the desk model's test suites share.

#include "actors/intake/desk_model.hpp"
#include "gateways/console_input.hpp"

#include <caf/test/unit_test.hpp>

namespace openassist::actors::desk_test {

using namespace openassist::actors::desk;

// An account with two teams (EU with sub-team T2, US), four technicians and
// one portal of each kind, every portal served by every team.
inline org_account sample_org() {
  org_account a;
  a.id = "acme";
  a.teams[1] = team{1, "EU", 0, {}};
  a.teams[2] = team{2, "T2", 1, {}};
  a.teams[3] = team{3, "US", 0, {}};
  auto tech = [&](uint64_t id, const char* first, uint64_t team_id,
                  std::vector<skill> skills,
                  std::optional<int> max = std::nullopt) {
    org_user u;
    u.id = id;
    u.r = role::technician;
    u.email = std::string{first} + "@acme.example";
    u.first_name = first;
    u.last_name = "X";
    u.team_id = team_id;
    u.skills = std::move(skills);
    u.features.max_sessions = max;
    a.users[id] = u;
  };
  tech(10, "Anna", 1, {{"windows", 1}, {"printers", 2}});
  tech(11, "Ben", 2, {{"network", 1}});
  tech(12, "Carla", 3, {{"windows", 2}});
  tech(13, "Solo", 3, {}, 1);
  auto add_portal = [&](uint64_t id, const char* slug, const char* mode,
                        const char* type, std::vector<uint64_t> teams) {
    portal p;
    p.id = id;
    p.slug = slug;
    p.name = slug;
    p.mode = mode;
    p.type = type;
    p.skills_routing = std::string{type} == "queue";
    p.alert_timeout_s = 60;
    p.sub_portals.push_back({1, "All", std::move(teams)});
    a.portals[id] = p;
  };
  add_portal(20, "help", "web", "smartbox", {1, 3});
  add_portal(21, "experts", "web", "smartmatch", {1, 3});
  add_portal(22, "phone", "phone", "smartpin", {1, 3});
  add_portal(23, "queue", "queue", "queue", {1, 3});
  add_portal(24, "solo", "queue", "queue", {});
  a.portals[24].skills_routing = false;
  a.portals[23].fields.push_back(
    {"topic", "Topic", "skill", false, {"windows", "network", "printers"}});
  a.portals[23].fields.push_back(
    {"also", "Also", "skill", false, {"windows", "network", "printers"}});
  return a;
}

inline intake customer(const std::string& name, json extra = json::object()) {
  intake in;
  in.fields = {
    {"name", name}, {"email", name + "@example.com"}, {"problem", "help"}};
  in.fields.update(extra);
  in.source.ip = "10.0.0.1";
  in.token_digest = "digest-" + name;
  return in;
}

// A console command read as the gateway reads it (it must be readable).
inline console_command console(const json& c) {
  auto read = gateways::read_console(c);
  CAF_REQUIRE(read);
  return *read;
}

inline json req(const char* type, uint64_t id) {
  return {{"type", type}, {"request_id", std::to_string(id)}};
}

struct fixture {
  model m;
  int64_t now = 1'000'000;
  fixture() { m.set_org(sample_org(), 1); }

  const portal& p(const char* slug) { return *m.portal_by_slug(slug); }

  uint64_t create(const char* slug, intake in) {
    effects fx;
    auto res = m.create(p(slug), std::move(in), now, fx);
    CAF_REQUIRE(std::holds_alternative<uint64_t>(res));
    return std::get<uint64_t>(res);
  }

  // A console command as the console sends it, read as the gateway reads
  // it; what the gateway refuses comes back as the failure it says.
  std::variant<json, failure> cmd(uint64_t tech, json c) {
    auto read = gateways::read_console(c);
    if (!read) {
      auto d = details_of(read.error());
      return failure{errc::bad_field, d.code, message_of(read.error()),
                     d.field};
    }
    effects fx;
    return m.command(tech, *read, now, fx);
  }

  bool ok(uint64_t tech, json c) {
    return std::holds_alternative<json>(cmd(tech, c));
  }

  std::string error_of(uint64_t tech, json c) {
    auto r = cmd(tech, c);
    return std::holds_alternative<failure>(r) ? std::get<failure>(r).code : "";
  }

  void online(uint64_t tech) {
    effects fx;
    m.console_connected(tech, now, fx);
  }

  /// The solo portal served by team US alone, with Carla deleted: Solo
  /// (at most one session) is its one technician, online.
  org_account solo_alone() {
    online(13);
    org_account org = m.org();
    org.portals.at(24).sub_portals[0].team_ids = {3};
    org.users.at(12).deleted = true;
    m.set_org(org, 2);
    return org;
  }

  /// A session on the help portal that Anna accepts, joins and closes.
  uint64_t finished_session(const char* name) {
    auto id = joined_session(name, 10);
    CAF_CHECK(ok(10, req("request.close", id)));
    return id;
  }

  /// A session on the help portal that `tech` accepts and joins.
  uint64_t joined_session(const char* name, uint64_t tech) {
    auto id = create("help", customer(name));
    CAF_REQUIRE(ok(tech, req("request.accept", id)));
    CAF_REQUIRE(ok(tech, req("request.join", id)));
    return id;
  }

  status st(uint64_t id) { return m.find(id)->st; }
  uint64_t tech_of(uint64_t id) { return m.find(id)->technician_id; }
  size_t pos(uint64_t id) { return m.position(*m.find(id)); }
};

} // namespace openassist::actors::desk_test
