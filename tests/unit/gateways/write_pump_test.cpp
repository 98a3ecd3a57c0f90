#define CAF_SUITE gateways.write_pump

#include "gateways/detail/write_pump.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <caf/test/unit_test.hpp>

using namespace openassist::gateways;
namespace net = boost::asio;

CAF_TEST(jobs run in order and a slice per turn) {
  net::io_context ioc;
  auto pump = std::make_shared<write_pump>(ioc, 4);
  std::vector<std::string> log;
  for (int i = 0; i < 10; ++i)
    pump->schedule([&log, i] { log.push_back("job" + std::to_string(i)); });
  // Posted after the burst, like a reply or a read completion: it runs
  // after the first slice, not after all ten jobs.
  net::post(ioc, [&log] { log.push_back("reply"); });
  CAF_CHECK_EQUAL(pump->waiting(), 10u);
  ioc.run();
  std::vector<std::string> want{"job0", "job1", "job2", "job3", "reply", "job4",
                                "job5", "job6", "job7", "job8", "job9"};
  CAF_CHECK_EQUAL(log, want);
  CAF_CHECK_EQUAL(pump->waiting(), 0u);
}

CAF_TEST(the own message of a connection overtakes a broadcast in the pump) {
  net::io_context ioc;
  auto pump = std::make_shared<write_pump>(ioc, 3);
  std::vector<std::string> log;
  using lane = write_pump::lane;
  for (int i = 0; i < 7; ++i)
    pump->schedule([&log, i] { log.push_back("line" + std::to_string(i)); },
                   lane::bulk);
  // An alert to a console, handed over after the broadcast: it goes in the
  // first turn, and the broadcast fills the rest of each turn in order.
  pump->schedule([&log] { log.push_back("alert"); });
  net::post(ioc, [&log] { log.push_back("reply"); });
  ioc.run();
  std::vector<std::string> want{"alert", "line0", "line1", "reply", "line2",
                                "line3", "line4", "line5", "line6"};
  CAF_CHECK_EQUAL(log, want);
  CAF_CHECK_EQUAL(pump->waiting(), 0u);
}

CAF_TEST(handlers posted during a turn run before the next turn) {
  net::io_context ioc;
  auto pump = std::make_shared<write_pump>(ioc, 2);
  std::vector<std::string> log;
  for (int i = 0; i < 4; ++i)
    pump->schedule([&, i] {
      log.push_back("job" + std::to_string(i));
      // A write's completion, posted by the job itself.
      net::post(ioc, [&log, i] { log.push_back("done" + std::to_string(i)); });
    });
  ioc.run();
  std::vector<std::string> want{"job0", "job1", "done0", "done1",
                                "job2", "job3", "done2", "done3"};
  CAF_CHECK_EQUAL(log, want);
}

CAF_TEST(a job scheduled after the pump ran dry starts a new turn) {
  net::io_context ioc;
  auto pump = std::make_shared<write_pump>(ioc, 8);
  int runs = 0;
  pump->schedule([&] { ++runs; });
  ioc.run();
  CAF_CHECK_EQUAL(runs, 1);
  ioc.restart();
  pump->schedule([&] { ++runs; });
  pump->schedule([&] { ++runs; });
  ioc.run();
  CAF_CHECK_EQUAL(runs, 3);
}

CAF_TEST(jobs from other threads all run once) {
  net::io_context ioc;
  auto guard = net::make_work_guard(ioc);
  auto pump = std::make_shared<write_pump>(ioc, 3);
  std::atomic<int> runs{0};
  std::thread io{[&] { ioc.run(); }};
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t)
    producers.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        pump->schedule([&] { ++runs; });
    });
  for (auto& p : producers)
    p.join();
  // The last job posts the stop: everything scheduled before it has run.
  std::atomic<bool> stopped{false};
  pump->schedule([&] {
    stopped = true;
    guard.reset();
  });
  io.join();
  CAF_CHECK(stopped.load());
  CAF_CHECK_EQUAL(runs.load(), 2000);
}
