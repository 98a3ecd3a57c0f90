#define CAF_SUITE gateways.control_events
// The input events of `control.input` (docs/remote-control.md, "Remote
// control"): each kind taken and made canonical, each kind of wrong input
// refused with a text that says what is wrong.

#include "gateways/control_events.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace openassist::gateways;
using json = nlohmann::json;

namespace {

struct accepted_case {
  const char* input;     ///< the `events` array as the technician sent it
  const char* canonical; ///< what the app gets
};

struct refused_case {
  const char* input;
  const char* problem; ///< a part of the problem text
};

constexpr const char* array_problem =
  "events: an array of 1 to 64 input events";
constexpr const char* event_problem = "each event is an object with a type t";
constexpr const char* move_problem = "move: x and y are fractions";
constexpr const char* button_problem = "button: x, y and a button 0, 1 or 2";
constexpr const char* wheel_problem = "wheel: x, y and dy, -100 to 100 steps";
constexpr const char* key_problem = "key: code is a KeyboardEvent.code";
constexpr const char* kind_problem =
  "an event's t is move, button, wheel or key";

std::string checked(const json& events, std::string& problem) {
  problem.clear();
  auto out = check_control_events(events, problem);
  return out ? *out : std::string{};
}

std::vector<json> repeated(const json& event, size_t n) {
  return std::vector<json>(n, event);
}

} // namespace

CAF_TEST(each event kind is taken and made canonical) {
  const std::vector<accepted_case> cases{
    // Unknown fields are dropped; the fields are in one order.
    {R"([{"t":"move","x":0.5,"y":0.25,"z":9,"html":"<b>"}])",
     R"([{"t":"move","x":0.5,"y":0.25}])"},
    // Whole numbers at the edges are fractions too.
    {R"([{"y":1,"x":0,"t":"move"}])", R"([{"t":"move","x":0.0,"y":1.0}])"},
    {R"([{"t":"button","x":0.1,"y":0.2,"button":0,"down":true,"extra":1}])",
     R"([{"button":0,"down":true,"t":"button","x":0.1,"y":0.2}])"},
    {R"([{"t":"button","x":1,"y":1,"button":2,"down":false}])",
     R"([{"button":2,"down":false,"t":"button","x":1.0,"y":1.0}])"},
    // `down` missing or not a boolean: released.
    {R"([{"t":"button","x":0.5,"y":0.5,"button":1}])",
     R"([{"button":1,"down":false,"t":"button","x":0.5,"y":0.5}])"},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":1,"down":"yes"}])",
     R"([{"button":1,"down":false,"t":"button","x":0.5,"y":0.5}])"},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":-3,"dx":7}])",
     R"([{"dy":-3,"t":"wheel","x":0.5,"y":0.5}])"},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":100}])",
     R"([{"dy":100,"t":"wheel","x":0.5,"y":0.5}])"},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":-100}])",
     R"([{"dy":-100,"t":"wheel","x":0.5,"y":0.5}])"},
    {R"([{"t":"key","code":"KeyA","down":true,"key":"a","repeat":true}])",
     R"([{"code":"KeyA","down":true,"t":"key"}])"},
    {R"([{"t":"key","code":"F12"}])",
     R"([{"code":"F12","down":false,"t":"key"}])"},
    // Several events keep their order.
    {R"([{"t":"key","code":"ShiftLeft","down":true},
         {"t":"move","x":0.5,"y":0.5},
         {"t":"key","code":"ShiftLeft","down":false}])",
     R"([{"code":"ShiftLeft","down":true,"t":"key"},)"
     R"({"t":"move","x":0.5,"y":0.5},)"
     R"({"code":"ShiftLeft","down":false,"t":"key"}])"},
  };
  for (auto& c : cases) {
    CAF_MESSAGE("input: " << c.input);
    std::string problem;
    auto out = checked(json::parse(c.input), problem);
    CAF_CHECK_EQUAL(out, c.canonical);
    CAF_CHECK_EQUAL(problem, "");
  }
}

CAF_TEST(a key code has up to 32 letters and digits) {
  std::string problem;
  auto code = std::string(32, 'K');
  auto events = json::array({{{"t", "key"}, {"code", code}, {"down", true}}});
  CAF_CHECK_EQUAL(checked(events, problem),
                  R"([{"code":")" + code + R"(","down":true,"t":"key"}])");
  events[0]["code"] = code + "K";
  CAF_CHECK_EQUAL(checked(events, problem), "");
  CAF_CHECK(problem.find(key_problem) != std::string::npos);
}

CAF_TEST(64 events are taken and 65 are not ) {
  json move = {{"t", "move"}, {"x", 0.5}, {"y", 0.5}};
  std::string problem;
  auto out = checked(json(repeated(move, max_control_events)), problem);
  CAF_REQUIRE_NOT_EQUAL(out, "");
  CAF_CHECK_EQUAL(json::parse(out).size(), 64u);
  CAF_CHECK_EQUAL(checked(json(repeated(move, 65)), problem), "");
  CAF_CHECK_EQUAL(problem, array_problem);
}

CAF_TEST(wrong input is refused with what is wrong) {
  const std::vector<refused_case> cases{
    // Not an array of 1 to 64 events.
    {R"({"t":"move","x":0.5,"y":0.5})", array_problem},
    {R"("move")", array_problem},
    {R"(null)", array_problem},
    {R"(7)", array_problem},
    {R"([])", array_problem},
    // Not an event.
    {R"([1])", event_problem},
    {R"(["move"])", event_problem},
    {R"([null])", event_problem},
    {R"([[{"t":"move","x":0.5,"y":0.5}]])", event_problem},
    {R"([{"x":0.5,"y":0.5}])", event_problem},
    {R"([{"t":5,"x":0.5,"y":0.5}])", event_problem},
    // An unknown kind.
    {R"([{"t":"drag","x":0.5,"y":0.5}])", kind_problem},
    {R"([{"t":"MOVE","x":0.5,"y":0.5}])", kind_problem},
    {R"([{"t":"","x":0.5,"y":0.5}])", kind_problem},
    // Coordinates out of 0..1, missing or not numbers.
    {R"([{"t":"move","x":-0.1,"y":0.5}])", move_problem},
    {R"([{"t":"move","x":1.5,"y":0.5}])", move_problem},
    {R"([{"t":"move","x":0.5,"y":1.0001}])", move_problem},
    {R"([{"t":"move","x":0.5}])", move_problem},
    {R"([{"t":"move","x":"0.5","y":0.5}])", move_problem},
    {R"([{"t":"move","x":"NaN","y":0.5}])", move_problem},
    {R"([{"t":"move","x":true,"y":0.5}])", move_problem},
    {R"([{"t":"move","x":null,"y":0.5}])", move_problem},
    {R"([{"t":"move","x":2,"y":0.5}])", move_problem},
    // Buttons other than 0, 1 and 2.
    {R"([{"t":"button","x":0.5,"y":0.5,"button":3}])", button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":-1}])", button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":1.5}])", button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":"0"}])", button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5}])", button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":18446744073709551615}])",
     button_problem},
    {R"([{"t":"button","x":0.5,"y":0.5,"button":9223372036854775808}])",
     button_problem},
    {R"([{"t":"button","x":1.5,"y":0.5,"button":0}])", button_problem},
    // Wheel steps beyond 100 either way, or not whole numbers.
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":101}])", wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":-101}])", wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":2.5}])", wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":"3"}])", wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":0.5}])", wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":-1,"dy":3}])", wheel_problem},
    // Numbers a 64-bit integer does not hold the same way.
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":18446744073709551615}])",
     wheel_problem},
    {R"([{"t":"wheel","x":0.5,"y":0.5,"dy":-9223372036854775808}])",
     wheel_problem},
    // Key codes: letters and digits, 1 to 32 of them.
    {R"([{"t":"key","code":"Key A","down":true}])", key_problem},
    {R"([{"t":"key","code":"KeyA\n","down":true}])", key_problem},
    {R"([{"t":"key","code":"Key-A","down":true}])", key_problem},
    {R"([{"t":"key","code":"","down":true}])", key_problem},
    {R"([{"t":"key","code":"KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK"}])",
     key_problem},
    {R"([{"t":"key","code":"Tast\u00e9","down":true}])", key_problem},
    {R"([{"t":"key","code":65,"down":true}])", key_problem},
    {R"([{"t":"key","down":true}])", key_problem},
    // One wrong event refuses the whole message.
    {R"([{"t":"move","x":0.5,"y":0.5},{"t":"button","x":0.5,"y":0.5,
         "button":3}])",
     button_problem},
  };
  for (auto& c : cases) {
    CAF_MESSAGE("input: " << c.input);
    std::string problem;
    CAF_CHECK_EQUAL(checked(json::parse(c.input), problem), "");
    CAF_CHECK(problem.find(c.problem) != std::string::npos);
  }
}

CAF_TEST(numbers that are not finite are not fractions) {
  // JSON text cannot carry them; a json value made in code can.
  for (double v : {std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    std::string problem;
    json events = json::array({{{"t", "move"}, {"x", v}, {"y", 0.5}}});
    CAF_CHECK_EQUAL(checked(events, problem), "");
    CAF_CHECK(problem.find(move_problem) != std::string::npos);
    events[0]["x"] = 0.5;
    events[0]["y"] = v;
    CAF_CHECK_EQUAL(checked(events, problem), "");
    CAF_CHECK(problem.find(move_problem) != std::string::npos);
  }
}
