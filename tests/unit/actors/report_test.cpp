#define CAF_SUITE actors.report

#include "actors/reports/report.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::actors::reports;
using json = nlohmann::json;

namespace {

constexpr int64_t t0 = 1'764'806'400'000; // 2025-12-04 00:00 UTC
constexpr int64_t s = 1000, m = 60 * s;

report_request request(report_kind kind) {
  report_request r;
  r.kind = kind;
  r.from_ms = t0;
  r.to_ms = t0 + 24 * 60 * m;
  r.now_ms = t0 + 25 * 60 * m;
  r.technicians = {{10, "Anna Berger"}, {11, "Ben Ott"}};
  r.portals = {{7, "Support"}, {8, "Sales"}};
  return r;
}

// A stored request document as the desk writes it (desk_views.cpp).
json doc(uint64_t id, uint64_t portal, const char* status, int64_t created) {
  return {{"id", id},
          {"portal_id", portal},
          {"status", status},
          {"created_ms", created},
          {"joined_ms", 0},
          {"closed_ms", 0},
          {"technician_id", 0},
          {"outcome", ""},
          {"session", false},
          {"answered_ms", 0},
          {"decliners", json::array()},
          {"declined", json::array()},
          {"alert_rounds", 0},
          {"rating", 0},
          {"comment", ""},
          {"transfers", 0},
          {"customer", {{"name", "Customer " + std::to_string(id)}}}};
}

json answered(uint64_t id, uint64_t portal, uint64_t tech, int64_t created,
              int64_t wait, int64_t handle, int rating = 0) {
  auto d = doc(id, portal, "closed", created);
  d["technician_id"] = tech;
  d["session"] = true;
  d["answered_ms"] = created + wait;
  d["joined_ms"] = created + wait;
  d["closed_ms"] = created + wait + handle;
  d["outcome"] = "closed";
  d["resolution"] = "resolved";
  d["rating"] = rating;
  return d;
}

// A scripted day: the numbers below are counted by hand from it.
std::vector<json> day() {
  std::vector<json> out;
  // 1: Anna, waited 1 min, 10 min session, rated 5 with a comment.
  auto a = answered(1, 7, 10, t0 + 60 * m, 1 * m, 10 * m, 5);
  a["comment"] = "=HYPERLINK(\"x\")";
  out.push_back(a);
  // 2: Ben declined it, Anna took it after 3 min, 20 min, rated 4.
  auto b = answered(2, 7, 10, t0 + 120 * m, 3 * m, 20 * m, 4);
  b["decliners"] = json::array({11});
  out.push_back(b);
  // 3: Ben, waited 2 min, transferred once, still active.
  auto c = doc(3, 8, "active", t0 + 180 * m);
  c["technician_id"] = 11;
  c["session"] = true;
  c["answered_ms"] = t0 + 182 * m;
  c["joined_ms"] = t0 + 190 * m; // the last join, after the transfer
  c["transfers"] = 1;
  out.push_back(c);
  // 4: nobody answered the first round, then the customer left.
  auto d = doc(4, 8, "abandoned", t0 + 240 * m);
  d["alert_rounds"] = 1;
  d["outcome"] = "cancelled";
  d["closed_ms"] = t0 + 245 * m;
  out.push_back(d);
  // 5: still waiting.
  out.push_back(doc(5, 7, "waiting", t0 + 300 * m));
  return out;
}

json run(report_kind kind, const std::vector<json>& docs) {
  report_builder b{request(kind)};
  for (auto& d : docs)
    b.add(d);
  return b.finish();
}

} // namespace

CAF_TEST(the snapshot counts a scripted day exactly) {
  auto r = run(report_kind::snapshot, day());
  auto& t = r["totals"];
  CAF_CHECK_EQUAL(t["submitted"], 5);
  CAF_CHECK_EQUAL(t["answered"], 3);
  CAF_CHECK_EQUAL(t["declined"], 1);
  CAF_CHECK_EQUAL(t["no_response"], 1);
  CAF_CHECK_EQUAL(t["abandoned"], 1);
  CAF_CHECK_EQUAL(t["open"], 2);
  // Waits 1, 3 and 2 minutes (the first join, not the one after the
  // transfer); handle 10 and 20 minutes (the active one has none yet).
  CAF_CHECK_EQUAL(t["average_wait_ms"], 2 * m);
  CAF_CHECK_EQUAL(t["longest_wait_ms"], 3 * m);
  CAF_CHECK_EQUAL(t["average_handle_ms"], 15 * m);
  auto& techs = r["technicians"];
  CAF_REQUIRE_EQUAL(techs.size(), 2u);
  CAF_CHECK_EQUAL(techs[0]["name"], "Anna Berger");
  CAF_CHECK_EQUAL(techs[0]["sessions"], 2);
  CAF_CHECK_EQUAL(techs[0]["declined"], 0);
  CAF_CHECK_EQUAL(techs[0]["average_wait_ms"], 2 * m);
  CAF_CHECK_EQUAL(techs[0]["ratings"], 2);
  CAF_CHECK_EQUAL(techs[0]["average_rating"], 4.5);
  CAF_CHECK_EQUAL(techs[1]["name"], "Ben Ott");
  CAF_CHECK_EQUAL(techs[1]["sessions"], 1);
  CAF_CHECK_EQUAL(techs[1]["declined"], 1);
  CAF_CHECK_EQUAL(techs[1]["transfers"], 1);
  CAF_CHECK(techs[1]["average_handle_ms"].is_null());
  CAF_CHECK(techs[1]["average_rating"].is_null());
  auto& portals = r["portals"];
  CAF_REQUIRE_EQUAL(portals.size(), 2u);
  CAF_CHECK_EQUAL(portals[0]["name"], "Sales");
  CAF_CHECK_EQUAL(portals[0]["submitted"], 2);
  CAF_CHECK_EQUAL(portals[1]["name"], "Support");
  CAF_CHECK_EQUAL(portals[1]["submitted"], 3);
  CAF_CHECK_EQUAL(portals[1]["answered"], 2);
  auto& survey = r["survey"];
  CAF_CHECK_EQUAL(survey["ratings"], 2);
  CAF_CHECK_EQUAL(survey["average_rating"], 4.5);
  CAF_CHECK_EQUAL(survey["by_score"], json({0, 0, 0, 1, 1}));
  CAF_CHECK_EQUAL(survey["comments"], 1);
}

CAF_TEST(the order of the documents does not change the numbers) {
  auto docs = day();
  auto forward = run(report_kind::snapshot, docs);
  std::reverse(docs.begin(), docs.end());
  auto backward = run(report_kind::snapshot, docs);
  CAF_CHECK_EQUAL(backward, forward);
}

CAF_TEST(an empty range has no averages) {
  auto r = run(report_kind::snapshot, {});
  CAF_CHECK_EQUAL(r["totals"]["submitted"], 0);
  CAF_CHECK(r["totals"]["average_wait_ms"].is_null());
  CAF_CHECK(r["survey"]["average_rating"].is_null());
  CAF_CHECK(r["technicians"].empty());
}

CAF_TEST(documents that are not requests are skipped) {
  auto docs = day();
  docs.push_back(json::array());
  docs.push_back({{"id", "seven"}});
  docs.push_back({{"portal_id", 7}});
  auto r = run(report_kind::snapshot, docs);
  CAF_CHECK_EQUAL(r["totals"]["submitted"], 5);
}

CAF_TEST(session detail has a row per request with its times) {
  auto r = run(report_kind::sessions, day());
  CAF_CHECK_EQUAL(r["truncated"], false);
  auto& rows = r["rows"];
  CAF_REQUIRE_EQUAL(rows.size(), 5u);
  CAF_CHECK_EQUAL(rows[0]["request_id"], "1");
  CAF_CHECK_EQUAL(rows[0]["technician"], "Anna Berger");
  CAF_CHECK_EQUAL(rows[0]["portal"], "Support");
  CAF_CHECK_EQUAL(rows[0]["wait_ms"], 1 * m);
  CAF_CHECK_EQUAL(rows[0]["handle_ms"], 10 * m);
  CAF_CHECK_EQUAL(rows[2]["outcome"], "open");
  CAF_CHECK(rows[2]["closed_ms"].is_null());
  CAF_CHECK_EQUAL(rows[3]["outcome"], "cancelled");
  CAF_CHECK(rows[3]["wait_ms"].is_null());
  CAF_CHECK(rows[4]["joined_ms"].is_null());
}

CAF_TEST(session detail keeps the newest rows when there are too many) {
  report_builder b{request(report_kind::sessions)};
  for (uint64_t id = 1; id <= max_session_rows + 3; ++id)
    b.add(doc(id, 7, "waiting", t0 + static_cast<int64_t>(id)));
  auto r = b.finish();
  CAF_CHECK_EQUAL(r["truncated"], true);
  CAF_REQUIRE_EQUAL(r["rows"].size(), max_session_rows);
  CAF_CHECK_EQUAL(r["rows"][0]["request_id"], "4");
}

CAF_TEST(the CSV is the table and no cell runs as a formula) {
  auto csv = to_csv(run(report_kind::sessions, day()));
  CAF_CHECK_EQUAL(csv.substr(0, csv.find("\r\n")),
                  "request_id,portal_id,portal,technician_id,technician,"
                  "customer,created,joined,closed,outcome,resolution,"
                  "wait_seconds,handle_seconds,transfers,rating,comment");
  CAF_CHECK(csv.find("1,7,Support,10,Anna Berger,Customer 1,"
                     "2025-12-04T01:00:00Z,2025-12-04T01:01:00Z,"
                     "2025-12-04T01:11:00Z,closed,resolved,60,600,0,5,"
                     "\"'=HYPERLINK(\"\"x\"\")\"\r\n") != std::string::npos);
  auto snap = to_csv(run(report_kind::snapshot, day()));
  CAF_CHECK(snap.find("average_wait_seconds,120\r\n") != std::string::npos);
  CAF_CHECK(snap.find("Anna Berger,2,0,0,120,900,2,4.5\r\n") !=
            std::string::npos);
}

CAF_TEST(csv cells are quoted and defused) {
  CAF_CHECK_EQUAL(csv_cell("plain"), "plain");
  CAF_CHECK_EQUAL(csv_cell("a,b"), "\"a,b\"");
  CAF_CHECK_EQUAL(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  CAF_CHECK_EQUAL(csv_cell("two\nlines"), "\"two\nlines\"");
  CAF_CHECK_EQUAL(csv_cell("-1+1"), "'-1+1");
  CAF_CHECK_EQUAL(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  CAF_CHECK_EQUAL(csv_cell(""), "");
}

CAF_TEST(technician performance is the technicians table of the snapshot) {
  auto snap = run(report_kind::snapshot, day());
  auto perf = run(report_kind::technicians, day());
  CAF_CHECK_EQUAL(perf["report"], "technicians");
  CAF_CHECK_EQUAL(perf["technicians"], snap["technicians"]);
  CAF_CHECK(!perf.contains("totals"));
  auto csv = to_csv(perf);
  CAF_CHECK_EQUAL(csv.substr(0, csv.find("\r\n")),
                  "technician_id,technician,sessions,declined,transfers,"
                  "average_wait_seconds,average_handle_seconds,ratings,"
                  "average_rating");
  CAF_CHECK(csv.find("\r\n11,Ben Ott,1,1,1,120,,0,\r\n") != std::string::npos);
}

CAF_TEST(customer feedback lists the rated sessions with the survey) {
  auto r = run(report_kind::feedback, day());
  auto snap = run(report_kind::snapshot, day());
  CAF_CHECK_EQUAL(r["survey"], snap["survey"]);
  auto& rows = r["rows"];
  CAF_REQUIRE_EQUAL(rows.size(), 2u);
  CAF_CHECK_EQUAL(rows[0]["request_id"], "1");
  CAF_CHECK_EQUAL(rows[0]["rating"], 5);
  CAF_CHECK_EQUAL(rows[1]["request_id"], "2");
  CAF_CHECK_EQUAL(rows[1]["rating"], 4);
  auto csv = to_csv(r);
  CAF_CHECK(csv.find("rated_5,1\r\n") != std::string::npos);
  CAF_CHECK(csv.find("\r\n2,2025-12-04T02:23:00Z,Support,Anna Berger,"
                     "Customer 2,4,\r\n") != std::string::npos);
}

CAF_TEST(service level counts the scripted day against the target) {
  auto r = run(report_kind::service_level, day());
  CAF_CHECK_EQUAL(r["target_ms"], 60 * s);
  auto& t = r["totals"];
  CAF_CHECK_EQUAL(t["submitted"], 5);
  CAF_CHECK_EQUAL(t["answered"], 3);
  // Only request 1 (1 min) is within 60 s; 2 (3 min) and 3 (2 min) are not.
  CAF_CHECK_EQUAL(t["within_target"], 1);
  // Of the three whose fate is known (1, 2 and the abandoned 4).
  CAF_CHECK_EQUAL(t["within_target_percent"], 33.3);
  CAF_CHECK_EQUAL(t["declined"], 1);
  CAF_CHECK_EQUAL(t["no_response"], 1);
  CAF_CHECK_EQUAL(t["abandoned"], 1);
  CAF_CHECK_EQUAL(t["open"], 2);
  CAF_CHECK_EQUAL(t["average_wait_ms"], 2 * m);
  CAF_CHECK_EQUAL(t["longest_wait_ms"], 3 * m);
  CAF_CHECK_EQUAL(t["average_handle_ms"], 15 * m);
  std::vector<int64_t> waits;
  for (auto& w : t["waits"])
    waits.push_back(w["count"].get<int64_t>());
  CAF_CHECK(waits == (std::vector<int64_t>{0, 0, 1, 1, 1, 0, 0}));
  CAF_CHECK_EQUAL(t["waits"][0]["up_to_ms"], 15 * s);
  CAF_CHECK(t["waits"][6]["up_to_ms"].is_null());
  // Per portal, by name: Sales (8), then Support (7).
  auto& p = r["portals"];
  CAF_REQUIRE_EQUAL(p.size(), 2u);
  CAF_CHECK_EQUAL(p[0]["name"], "Sales");
  CAF_CHECK_EQUAL(p[0]["portal_id"], "8");
  CAF_CHECK_EQUAL(p[0]["submitted"], 2);
  CAF_CHECK_EQUAL(p[0]["within_target_percent"], 0.0);
  CAF_CHECK_EQUAL(p[1]["name"], "Support");
  CAF_CHECK_EQUAL(p[1]["within_target"], 1);
  CAF_CHECK_EQUAL(p[1]["within_target_percent"], 50.0);
}

CAF_TEST(the target decides who is within it) {
  auto req = request(report_kind::service_level);
  req.target_ms = 3 * m;
  report_builder b{req};
  for (auto& d : day())
    b.add(d);
  auto r = b.finish();
  CAF_CHECK_EQUAL(r["target_ms"], 3 * m);
  CAF_CHECK_EQUAL(r["totals"]["within_target"], 3);
  CAF_CHECK_EQUAL(r["totals"]["within_target_percent"], 100.0);
}

CAF_TEST(service level of an empty range has no percent) {
  auto r = run(report_kind::service_level, {});
  CAF_CHECK_EQUAL(r["totals"]["submitted"], 0);
  CAF_CHECK(r["totals"]["within_target_percent"].is_null());
  CAF_CHECK(r["totals"]["average_wait_ms"].is_null());
  CAF_CHECK(r["portals"].empty());
}

CAF_TEST(the service level CSV holds the same numbers) {
  auto csv = to_csv(run(report_kind::service_level, day()));
  CAF_CHECK_EQUAL(csv.substr(0, csv.find("\r\n")), "measure,value");
  for (auto text :
       {"target_seconds,60\r\n", "submitted,5\r\n", "within_target,1\r\n",
        "within_target_percent,33.3\r\n", "average_wait_seconds,120\r\n",
        "wait_up_to_seconds,answered\r\n", "15,0\r\n", "60,1\r\n", "120,1\r\n",
        "300,1\r\n", "more,0\r\n", "8,Sales,2,1,0,0,0,1,1,1,120,120,\r\n",
        "7,Support,3,2,1,50,1,0,0,1,120,180,900\r\n"})
    if (csv.find(text) == std::string::npos)
      CAF_FAIL("not in the CSV: " << text << "\n" << csv);
}

CAF_TEST(report names are known both ways) {
  for (auto name :
       {"snapshot", "sessions", "technicians", "feedback", "service_level"}) {
    auto kind = report_kind_from(name);
    CAF_REQUIRE(kind.has_value());
    CAF_CHECK_EQUAL(std::string{name_of(*kind)}, name);
  }
  CAF_CHECK(!report_kind_from("everything"));
  CAF_CHECK(!report_kind_from(""));
}
