#define CAF_SUITE node.config

#include "node/lifecycle.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::node;

namespace {

std::optional<std::string> parse(std::vector<std::string> args) {
  node_config cfg;
  std::vector<char*> argv{const_cast<char*>("openassist")};
  for (auto& a : args)
    argv.push_back(a.data());
  return parse_config(cfg, static_cast<int>(argv.size()), argv.data());
}

} // namespace

CAF_TEST(defaults are valid) {
  CAF_CHECK(!parse({}));
}

CAF_TEST(options are read from the command line) {
  node_config cfg;
  std::vector<std::string> args{"--node.public-port=1234",
                                "--node.data-dir=/tmp/x",
                                "--gateway.body-limit-kb=8"};
  std::vector<char*> argv{const_cast<char*>("openassist")};
  for (auto& a : args)
    argv.push_back(a.data());
  CAF_REQUIRE(!parse_config(cfg, static_cast<int>(argv.size()), argv.data()));
  CAF_CHECK_EQUAL(cfg.public_port, 1234);
  CAF_CHECK_EQUAL(cfg.data_dir, "/tmp/x");
  CAF_CHECK_EQUAL(cfg.body_limit_kb, 8u);
}

CAF_TEST(bad values name their key) {
  auto unknown = parse({"--node.no-such-key=1"});
  CAF_REQUIRE(unknown);
  CAF_CHECK_NOT_EQUAL(unknown->find("no-such-key"), std::string::npos);
  auto range = parse({"--node.public-port=70000"});
  CAF_REQUIRE(range);
  auto same = parse({"--node.public-port=9000", "--node.admin-port=9000"});
  CAF_REQUIRE(same);
  CAF_CHECK_NOT_EQUAL(same->find("node.admin-port"), std::string::npos);
  auto interval = parse({"--storage.commit-interval-us=2000000"});
  CAF_REQUIRE(interval);
  CAF_CHECK_NOT_EQUAL(interval->find("storage.commit-interval-us"),
                      std::string::npos);
  CAF_CHECK(!parse({"--storage.commit-interval-us=0"}));
  auto run = parse({"--dashboards.monitor-run-s=0"});
  CAF_REQUIRE(run);
  CAF_CHECK_NOT_EQUAL(run->find("dashboards.monitor-run-s"), std::string::npos);
  CAF_CHECK(!parse({"--dashboards.monitor-run-s=10"}));
  auto level = parse({"--gateway.request-timeout-ms=5"});
  CAF_REQUIRE(level);
  CAF_CHECK_NOT_EQUAL(level->find("gateway.request-timeout-ms"),
                      std::string::npos);
}
