#define CAF_SUITE gateways.console_input

#include "gateways/console_input.hpp"

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>

#include "../actors/round_trip.hpp"
#include "actors/errc.hpp"
#include "node/config.hpp"

using namespace openassist;
using actors::console_op;
using json = nlohmann::json;

namespace {

/// The client's code, field and rule of a refusal ("read" when read).
std::string refusal(const json& msg) {
  auto cmd = gateways::read_console(msg);
  if (cmd)
    return "read";
  auto d = actors::details_of(cmd.error());
  return d.code + "/" + d.field + "/" + d.rule;
}

} // namespace

CAF_TEST(every console command of the protocol is read by its type) {
  for (auto name :
       {"status.set", "code.create", "code.revoke", "chat.authorize",
        "request.accept", "request.decline", "request.assign_me",
        "request.unassign", "request.join", "request.transfer", "request.close",
        "request.invite", "invite.accept", "invite.decline", "request.leave"}) {
    auto cmd = gateways::read_console({{"type", name}});
    CAF_REQUIRE(cmd);
    CAF_CHECK_EQUAL(actors::name_of(cmd->op), name);
  }
  CAF_CHECK_EQUAL(refusal({{"type", "request.steal"}}), "unknown_type//");
  CAF_CHECK_EQUAL(refusal({{"type", 7}}), "unknown_type//");
  CAF_CHECK_EQUAL(refusal(json::array()), "bad_json//");
}

CAF_TEST(ids are read as numbers or digits and anything else is none) {
  auto cmd = gateways::read_console({{"type", "request.transfer"},
                                     {"request_id", "12345"},
                                     {"technician_id", 17},
                                     {"team_id", -3},
                                     {"portal_id", "12a"},
                                     {"invite_id", 1.5},
                                     {"note", "over to you"}});
  CAF_REQUIRE(cmd);
  CAF_CHECK(cmd->request_id == 12345u);
  CAF_CHECK(cmd->technician_id == 17u);
  CAF_CHECK(cmd->team_id == 0u);
  CAF_CHECK(cmd->portal_id == 0u);
  CAF_CHECK(cmd->invite_id == 0u);
  CAF_CHECK(cmd->note == "over to you");
  // 19 digits do not fit the ids the desk hands out; read as none.
  auto big = gateways::read_console(
    {{"type", "request.join"}, {"request_id", "1234567890123456789"}});
  CAF_REQUIRE(big);
  CAF_CHECK(big->request_id == 0u);
}

CAF_TEST(text of another type reads as none and hidden must be a boolean) {
  auto cmd = gateways::read_console({{"type", "request.invite"},
                                     {"request_id", 4},
                                     {"rights", 5},
                                     {"anyone", "yes"},
                                     {"hidden", true}});
  CAF_REQUIRE(cmd);
  CAF_CHECK(cmd->rights.empty());
  CAF_CHECK(!cmd->anyone);
  CAF_CHECK(cmd->hidden);
  CAF_CHECK_EQUAL(
    refusal({{"type", "request.invite"}, {"request_id", 4}, {"hidden", "no"}}),
    "bad_field/hidden/type");
  auto status = gateways::read_console({{"type", "status.set"}, {"status", 1}});
  CAF_REQUIRE(status);
  CAF_CHECK(status->status.empty()); // the desk refuses it: not a status
}

CAF_TEST(a console command crosses nodes by name) {
  node::node_config cfg;
  caf::actor_system sys{cfg};
  CAF_CHECK(sys.types().make_value("console_command") != nullptr);
  actors::console_command cmd;
  cmd.op = console_op::request_close;
  cmd.request_id = 99;
  cmd.resolution = "resolved";
  cmd.notes = "Drucker läuft wieder";
  cmd.hidden = true;
  auto back = answers::round_trip(sys, cmd);
  CAF_CHECK(back.op == console_op::request_close);
  CAF_CHECK(back.request_id == 99u);
  CAF_CHECK(back.resolution == "resolved");
  CAF_CHECK(back.notes == "Drucker läuft wieder");
  CAF_CHECK(back.hidden);
}
