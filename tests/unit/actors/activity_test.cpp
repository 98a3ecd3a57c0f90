#define CAF_SUITE actors.activity

#include "actors/reports/activity.hpp"

#include <caf/test/unit_test.hpp>

#include "actors/reports/report.hpp"

using namespace openassist::actors::reports;
using json = nlohmann::json;

namespace {

constexpr int64_t t0 = 1'764'806'400'000; // 2025-12-04 00:00 UTC
constexpr int64_t s = 1000, m = 60 * s, h = 60 * m;

activity_request request(int64_t from, int64_t to, int64_t now,
                         const char* tz = "UTC") {
  activity_request r;
  r.from_ms = from;
  r.to_ms = to;
  r.now_ms = now;
  r.time_zone = tz;
  r.technicians = {{10, "Anna Berger"}, {11, "Ben Ott"}};
  return r;
}

json row_of(const json& report, const char* id) {
  for (auto& r : report["technicians"])
    if (r["technician_id"] == id)
      return r;
  return nullptr;
}

int64_t ms(const json& row, const char* status) {
  return row[std::string{status} + "_ms"].get<int64_t>();
}

} // namespace

CAF_TEST(durations are counted by hand for a scripted day) {
  // Anna: available at 08:00 (known from the roll call before the range),
  // busy 09:00-09:30, away 12:00-13:00, offline at 17:00. Ben: no entry.
  activity_builder b{request(t0 + 8 * h, t0 + 18 * h, t0 + 24 * h)};
  b.add(t0, 10, "offline");           // roll call at midnight
  b.add(t0 + 7 * h, 10, "available"); // before the range: its start status
  b.add(t0 + 9 * h, 10, "busy");
  b.add(t0 + 9 * h + 30 * m, 10, "available");
  b.add(t0 + 12 * h, 10, "away");
  b.add(t0 + 13 * h, 10, "available");
  b.add(t0 + 13 * h, 10, "available"); // a repeat changes nothing
  b.add(t0 + 17 * h, 10, "offline");
  b.add(t0 + 10 * h, 99, "busy"); // out of scope
  auto r = b.finish();
  CAF_CHECK_EQUAL(r["report"], "activity");
  auto anna = row_of(r, "10");
  CAF_REQUIRE(anna.is_object());
  CAF_CHECK_EQUAL(ms(anna, "available"), 7 * h + 30 * m);
  CAF_CHECK_EQUAL(ms(anna, "busy"), 30 * m);
  CAF_CHECK_EQUAL(ms(anna, "away"), 1 * h);
  CAF_CHECK_EQUAL(ms(anna, "offline"), 1 * h);
  CAF_CHECK_EQUAL(anna["changes"], 5);
  auto ben = row_of(r, "11");
  CAF_CHECK_EQUAL(ms(ben, "offline"), 10 * h);
  CAF_CHECK_EQUAL(ben["changes"], 0);
  CAF_CHECK_EQUAL(r["technicians"].size(), 2u);
  // Ben's one segment and Anna's six, in time order.
  auto& tl = r["timeline"];
  CAF_REQUIRE_EQUAL(tl.size(), 7u);
  CAF_CHECK_EQUAL(tl[0]["from"], t0 + 8 * h);
  for (size_t i = 1; i < tl.size(); ++i)
    CAF_CHECK(tl[i - 1]["from"].get<int64_t>() <= tl[i]["from"].get<int64_t>());
  CAF_CHECK_EQUAL(r["timeline_truncated"], false);
}

CAF_TEST(time after now is not counted) {
  activity_builder b{request(t0, t0 + 24 * h, t0 + 2 * h)};
  b.add(t0 + 1 * h, 10, "available");
  auto r = b.finish();
  auto anna = row_of(r, "10");
  CAF_CHECK_EQUAL(ms(anna, "offline"), 1 * h);
  CAF_CHECK_EQUAL(ms(anna, "available"), 1 * h);
  CAF_CHECK_EQUAL(ms(anna, "busy") + ms(anna, "away"), 0);
}

CAF_TEST(days are cut at the local midnight of the zone) {
  // Berlin is UTC+1 in December: its day 2025-12-05 begins at 23:00 UTC on
  // the 4th. Anna is available from 22:00 UTC to 01:00 UTC.
  activity_builder b{
    request(t0 + 20 * h, t0 + 28 * h, t0 + 48 * h, "Europe/Berlin")};
  b.add(t0 + 22 * h, 10, "available");
  b.add(t0 + 25 * h, 10, "offline");
  auto r = b.finish();
  json anna_days = json::array();
  for (auto& d : r["days"])
    if (d["technician_id"] == "10")
      anna_days.push_back(d);
  CAF_REQUIRE_EQUAL(anna_days.size(), 2u);
  CAF_CHECK_EQUAL(anna_days[0]["day"], "2025-12-04");
  CAF_CHECK_EQUAL(ms(anna_days[0], "available"), 1 * h);
  CAF_CHECK_EQUAL(ms(anna_days[0], "offline"), 2 * h);
  CAF_CHECK_EQUAL(anna_days[1]["day"], "2025-12-05");
  CAF_CHECK_EQUAL(ms(anna_days[1], "available"), 2 * h);
  CAF_CHECK_EQUAL(ms(anna_days[1], "offline"), 3 * h);
  // Each day's durations add up to its part of the range.
  auto sum = [](const json& d) {
    return ms(d, "available") + ms(d, "busy") + ms(d, "away") +
           ms(d, "offline");
  };
  CAF_CHECK_EQUAL(sum(anna_days[0]) + sum(anna_days[1]), 8 * h);
}

CAF_TEST(an unknown zone counts days in UTC) {
  activity_builder b{
    request(t0 + 23 * h, t0 + 25 * h, t0 + 48 * h, "Mars/Base")};
  auto r = b.finish();
  CAF_REQUIRE_EQUAL(r["days"].size(), 4u); // two days, two technicians
  CAF_CHECK_EQUAL(r["days"][0]["day"], "2025-12-04");
  CAF_CHECK_EQUAL(r["days"][3]["day"], "2025-12-05");
}

CAF_TEST(the timeline keeps the newest segments) {
  activity_request req = request(t0, t0 + 24 * h, t0 + 24 * h);
  req.technicians = {{10, "Anna Berger"}};
  activity_builder b{req};
  for (int i = 1; i <= 6000; ++i)
    b.add(t0 + i * 10 * s, 10, i % 2 ? "available" : "busy");
  auto r = b.finish();
  CAF_CHECK_EQUAL(r["timeline"].size(), max_activity_segments);
  CAF_CHECK_EQUAL(r["timeline_truncated"], true);
  CAF_CHECK_EQUAL(r["timeline"].back()["to"], t0 + 24 * h);
  auto anna = row_of(r, "10");
  CAF_CHECK_EQUAL(
    ms(anna, "available") + ms(anna, "busy") + ms(anna, "offline"), 24 * h);
  CAF_CHECK_EQUAL(anna["changes"], 6000);
}

CAF_TEST(the CSV holds the same numbers as the tables) {
  activity_builder b{request(t0 + 8 * h, t0 + 10 * h, t0 + 24 * h)};
  b.add(t0 + 9 * h, 10, "busy");
  auto r = b.finish();
  auto csv = to_csv(r);
  CAF_CHECK_EQUAL(csv.substr(0, csv.find("\r\n")),
                  "technician_id,technician,available_s,busy_s,away_s,"
                  "offline_s,changes");
  CAF_CHECK(csv.find("10,Anna Berger,0,3600,0,3600,1\r\n") !=
            std::string::npos);
  CAF_CHECK(csv.find("\r\n\r\nday,technician_id,technician") !=
            std::string::npos);
  CAF_CHECK(csv.find("2025-12-04,11,Ben Ott,0,0,0,7200\r\n") !=
            std::string::npos);
}
