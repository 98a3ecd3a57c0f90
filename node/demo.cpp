#include "node/demo.hpp"

#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/errc.hpp"
#include "actors/org/account.hpp"

namespace openassist::node {

namespace {

using json = nlohmann::json;

constexpr const char* password_manager = "demo-manager-1";
constexpr const char* password_teamlead = "demo-teamlead-1";
constexpr const char* password_api = "demo-api-1";
constexpr const char* password_technician = "demo-tech-1";

} // namespace

std::string seed_demo(caf::actor_system& sys,
                      cluster::directory_actor directory) {
  caf::scoped_actor self{sys};
  const auto timeout = std::chrono::seconds(60);
  actors::account_actor acct;
  std::string problem;
  self
    ->request(directory, timeout, cluster::lookup_atom::value,
              std::string{"account/demo"})
    .receive(
      [&](caf::actor& a) { acct = caf::actor_cast<actors::account_actor>(a); },
      [&](caf::error& err) { problem = sys.render(err); });
  if (!acct)
    return "demo: cannot reach the demo account: " + problem;
  bool created = false, exists = false;
  std::string body;
  self
    ->request(acct, timeout, actors::account_create_atom::value,
              std::string{"Demo Company"},
              std::string{"manager@demo.openassist.example"},
              std::string{password_manager})
    .receive([&](std::string& b) { created = true, body = b; },
             [&](caf::error& err) {
               exists = actors::is(err, actors::errc::bad_state);
               problem = sys.render(err);
             });
  if (exists)
    return {}; // seeded on an earlier start
  if (!created)
    return "demo: cannot create the demo account: " + problem;
  auto manager = json::parse(body)["manager_id"].get<uint64_t>();
  // Every further step is an ordinary operation of the company manager.
  auto op = [&](const std::string& name, const json& args) -> json {
    json result;
    self
      ->request(acct, timeout, actors::account_op_atom::value, manager, name,
                args.dump())
      .receive(
        [&](bool, std::string& b) {
          if (!b.empty())
            result = json::parse(b);
        },
        [&](caf::error& err) {
          problem += name + ": " + sys.render(err) + "; ";
        });
    return result;
  };
  auto id_of = [](const json& j) {
    return j.is_object() ? j.value("id", uint64_t{0}) : 0;
  };
  auto eu = id_of(op("teams.create", {{"name", "Support EU"}}));
  auto tier2 =
    id_of(op("teams.create", {{"name", "Tier 2"}, {"parent_id", eu}}));
  auto us = id_of(op("teams.create", {{"name", "Support US"}}));
  op("managers.create", {{"email", "teamlead@demo.openassist.example"},
                         {"first_name", "Tara"},
                         {"last_name", "Lead"},
                         {"role", "team_manager"},
                         {"managed_team_ids", {eu}},
                         {"password", password_teamlead}});
  op("managers.create", {{"email", "api@demo.openassist.example"},
                         {"first_name", "HR"},
                         {"last_name", "System"},
                         {"role", "api_manager"},
                         {"password", password_api}});
  struct tech {
    const char* email;
    const char* first;
    const char* last;
    uint64_t team;
    json skills;
  };
  std::vector<tech> techs{
    {"anna@demo.openassist.example",
     "Anna",
     "Berger",
     eu,
     {{{"name", "windows"}, {"rank", 1}}, {{"name", "printers"}, {"rank", 2}}}},
    {"ben@demo.openassist.example",
     "Ben",
     "Okafor",
     tier2,
     {{{"name", "network"}, {"rank", 1}}}},
    {"carla@demo.openassist.example",
     "Carla",
     "Diaz",
     us,
     {{{"name", "windows"}, {"rank", 2}}}},
    {"david@demo.openassist.example", "David", "Kim", us, json::array()},
  };
  for (auto& t : techs)
    op("technicians.create", {{"email", t.email},
                              {"first_name", t.first},
                              {"last_name", t.last},
                              {"team_id", t.team},
                              {"skills", t.skills},
                              {"password", password_technician}});
  json all_teams = {{{"name", "Everyone"}, {"team_ids", {eu, tier2, us}}}};
  struct portal {
    const char* name;
    const char* slug;
    const char* mode;
    const char* type;
  };
  for (auto& p :
       std::vector<portal>{{"Help Desk", "help", "web", "smartbox"},
                           {"Pick your expert", "experts", "web", "smartmatch"},
                           {"Website button", "button", "web", "smartbutton"},
                           {"Phone support", "phone", "phone", "smartpin"},
                           {"Service queue", "queue", "queue", "queue"}}) {
    json args = {
      {"name", p.name},
      {"slug", p.slug},
      {"mode", p.mode},
      {"type", p.type},
      {"skills_routing", std::string{p.type} == "queue"},
      {"time_zone", "Europe/Berlin"},
      {"texts", {{"title", p.name}, {"welcome", "How can we help?"}}},
      {"sub_portals", all_teams}};
    if (std::string{p.type} == "queue")
      // Skills routing asks what the problem is about.
      args["fields"] = json::array(
        {{{"key", "name"},
          {"label", "Your name"},
          {"type", "text"},
          {"required", true}},
         {{"key", "email"},
          {"label", "Your e-mail"},
          {"type", "email"},
          {"required", true}},
         {{"key", "problem"},
          {"label", "How can we help?"},
          {"type", "textarea"},
          {"required", true}},
         {{"key", "topic"},
          {"label", "Topic"},
          {"type", "skill"},
          {"required", false},
          {"choices", {"windows", "network", "printers"}},
          {"choice_labels", {"Windows", "Network and Wi-Fi", "Printers"}}}});
    op("portals.create", args);
  }
  if (!problem.empty())
    return "demo: seeding incomplete: " + problem;
  std::string out = "demo account seeded (account id 'demo'):\n";
  out += "  company manager   manager@demo.openassist.example   / " +
         std::string{password_manager} + "\n";
  out += "  team manager      teamlead@demo.openassist.example  / " +
         std::string{password_teamlead} + "   (Support EU)\n";
  out += "  API manager       api@demo.openassist.example       / " +
         std::string{password_api} + "\n";
  out +=
    "  technicians       anna, ben, carla, david @demo.openassist.example / " +
    std::string{password_technician} + "\n";
  return out;
}

} // namespace openassist::node
