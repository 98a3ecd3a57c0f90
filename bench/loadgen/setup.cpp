// What the scenarios set up on the demo account before the load.
#include "http_call.hpp"
#include "scenarios.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace openassist::loadgen {

namespace http = boost::beast::http;

std::vector<std::string> node_args_for(const std::string& scenario) {
  std::vector<std::string> args{"--intake.max-open-requests=1000000",
                                "--gateway.max-connections-per-address=20000"};
  if (scenario == "chat")
    args.emplace_back("--gateway.ws-messages-per-s=1000000");
  if (scenario == "frames")
    args.emplace_back("--gateway.ws-messages-per-s=100000");
  if (scenario == "idle")
    args.emplace_back("--gateway.max-connections=20000");
  return args;
}

demo_technician prepare_anna(unsigned short port, unsigned max_sessions) {
  demo_technician anna;
  if (max_sessions > 0) {
    const auto boss = demo_login(
      port, "manager", "manager@demo.openassist.example", "demo-manager-1");
    const auto list = http_call(port, http::verb::get, "/api/v1/technicians",
                                nullptr, boss.cookie);
    for (const auto& t :
         list.body.value("technicians", nlohmann::json::array()))
      if (t.value("email", "").starts_with("anna@") && t.contains("id"))
        anna.id =
          t["id"].is_string() ? t["id"].get<std::string>() : t["id"].dump();
    if (anna.id.empty())
      throw std::runtime_error("the demo account has no technician anna");
    const auto changed =
      http_call(port, http::verb::put, "/api/v1/technicians/" + anna.id,
                {{"features", {{"max_sessions", max_sessions}}}}, boss.cookie,
                boss.body.value("csrf_token", ""));
    if (changed.status != 200)
      throw std::runtime_error(
        "raising anna's maximum: " + std::to_string(changed.status) + " " +
        changed.body.dump());
    // The desk follows the organisation within 2 s.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  }
  anna.cookie = demo_login(port, "technician", "anna@demo.openassist.example",
                           "demo-tech-1")
                  .cookie;
  return anna;
}

} // namespace openassist::loadgen
