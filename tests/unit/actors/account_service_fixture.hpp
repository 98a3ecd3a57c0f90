#pragma once
// The account service's fixture for the tests of its operations
// (account_service_test.cpp: people, teams, portals;
// account_dashboards_test.cpp: monitors and saved reports).

#include "actors/org/account_service.hpp"

#include <caf/test/dsl.hpp>

namespace account_service_test {

using namespace openassist::actors;

struct fixture {
  org_account acct;
  account_service svc{acct};
  std::set<std::string> logins; // the global login index, as the actor sees it
  uint64_t boss = 0, lead = 0, eu = 0, tier2 = 0, us = 0;

  fixture() {
    acct.id = "acme";
    org_user cm;
    cm.id = acct.next_id++;
    cm.r = role::company_manager;
    cm.email = "boss@acme.example";
    boss = cm.id;
    acct.users.emplace(cm.id, cm);
    eu = make_team("Support EU", 0);
    tier2 = make_team("Tier 2", eu);
    us = make_team("Support US", 0);
    org_user tm;
    tm.id = acct.next_id++;
    tm.r = role::team_manager;
    tm.email = "lead@acme.example";
    tm.managed_team_ids = {eu};
    lead = tm.id;
    acct.users.emplace(tm.id, tm);
  }

  uint64_t make_team(const std::string& name, uint64_t parent) {
    team t{acct.next_id++, name, parent, {}};
    acct.teams.emplace(t.id, t);
    return t.id;
  }

  op_context ctx(uint64_t caller, std::vector<std::string> passwords = {}) {
    op_context c;
    c.caller_id = caller;
    for (auto& p : passwords)
      c.hashes[p] = "$argon2id$hash-of-" + p;
    c.login_taken = [this](const std::string& kind, const std::string& email) {
      return logins.count(login_key(kind, email)) > 0;
    };
    return c;
  }

  // Runs an op; remembers the login index changes like the actor would.
  op_result run(uint64_t caller, const std::string& op, const json& args) {
    auto res =
      svc.apply(op, args, ctx(caller, account_service::passwords_in(op, args)));
    if (auto* ok = std::get_if<op_outcome>(&res))
      for (auto& o : ok->index_ops) {
        if (o.kind == openassist::storage::op_kind::erase)
          logins.erase(o.key);
        else
          logins.insert(o.key);
      }
    return res;
  }

  json ok(uint64_t caller, const std::string& op, const json& args) {
    auto res = run(caller, op, args);
    if (auto* e = std::get_if<op_error>(&res))
      CAF_FAIL(op << " failed: " << e->code << ": " << e->message);
    return std::get<op_outcome>(res).body;
  }

  std::string error_code(uint64_t caller, const std::string& op,
                         const json& args) {
    auto res = run(caller, op, args);
    if (auto* e = std::get_if<op_error>(&res))
      return e->code;
    return "ok";
  }

  json tech(const std::string& email, uint64_t team) {
    return {{"email", email},
            {"first_name", "Ann"},
            {"last_name", "Lee"},
            {"password", "secret-pw-1"},
            {"team_id", team}};
  }
};

} // namespace account_service_test
