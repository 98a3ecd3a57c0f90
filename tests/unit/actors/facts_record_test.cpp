#define CAF_SUITE actors.facts_record

#include "actors/reports/facts_record.hpp"

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/desk.hpp"
#include "actors/reports/facts_backfill.hpp"
#include "temp_dir.hpp"

using namespace openassist;
using namespace openassist::actors::reports;

namespace {

request_facts sample() {
  request_facts f;
  f.id = 41;
  f.portal = 7;
  f.technician = 12;
  f.created = 1'764'806'400'000;
  f.answered = f.created + 30'000;
  f.closed = f.created + 600'000;
  f.ended = true;
  f.no_response = true;
  f.decliners = {3, 9};
  f.rating = 4;
  f.outcome = "closed";
  f.resolution = "resolved";
  f.comment = "Schnell, danke — 👍";
  f.customer = "Maria Muster";
  f.transfers = 2;
  return f;
}

} // namespace

CAF_TEST(a record decodes to the facts it was made of) {
  auto f = sample();
  auto bytes = encode_facts(f);
  auto back = decode_facts(bytes);
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == f);
  // Nothing else is: other versions, and every record cut short.
  CAF_CHECK(!decode_facts("F2" + bytes.substr(2)));
  CAF_CHECK(!decode_facts(""));
  for (size_t n = 0; n < bytes.size(); ++n)
    CAF_CHECK(!decode_facts(std::string_view{bytes}.substr(0, n)));
}

CAF_TEST(the facts of a document are the report facts of its record) {
  nlohmann::json doc = {{"id", 41},
                        {"portal_id", 7},
                        {"technician_id", 12},
                        {"status", "closed"},
                        {"outcome", "closed"},
                        {"created_ms", 1'764'806'400'000},
                        {"answered_ms", 1'764'806'430'000},
                        {"closed_ms", 1'764'807'000'000},
                        {"session", true},
                        {"decliners", {3, 9}},
                        {"rating", 4},
                        {"comment", "ok"},
                        {"customer", {{"name", "Maria"}}}};
  auto f = facts_of(doc);
  CAF_REQUIRE(f.has_value());
  auto back = decode_facts(encode_facts(*f));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == *f);
  CAF_CHECK_EQUAL(back->customer, "Maria");
  CAF_CHECK_EQUAL(back->wait(), std::optional<int64_t>{30'000});
}

CAF_TEST(keys sort by account then creation time then id) {
  CAF_CHECK(facts_key("acme", 5, 9) < facts_key("acme", 6, 1));
  CAF_CHECK(facts_key("acme", 6, 1) < facts_key("acme", 6, 2));
  CAF_CHECK(facts_key("acme", 1'000'000, 1) < facts_key("acmf", 0, 0));
}

CAF_TEST(the backfill writes facts for stored documents once) {
  temp_dir dir;
  storage::environment_options opts;
  opts.path = dir.path;
  auto env = *storage::environment::open(opts);
  storage::write_batch docs;
  for (uint64_t id = 1; id <= 25; ++id) {
    nlohmann::json doc = {{"id", id},
                          {"portal_id", 1},
                          {"status", "waiting"},
                          {"created_ms", int64_t{1000} * id}};
    docs.ops.push_back({storage::table::requests,
                        actors::request_key(id % 2 ? "acme" : "beta", id),
                        doc.dump(), storage::op_kind::put});
  }
  std::vector<storage::write_batch*> batches{&docs};
  std::vector<storage::write_receipt> receipts;
  CAF_REQUIRE(!env->commit(batches, receipts, 1));
  uint64_t done = 0;
  CAF_REQUIRE(!backfill_report_facts(*env, 10, done));
  CAF_CHECK_EQUAL(done, 25u);
  size_t acme = 0, beta = 0;
  CAF_REQUIRE(!env->scan(storage::table::report_facts, "", 100,
                         [&](std::string_view k, std::string_view v) {
                           auto f = decode_facts(v);
                           CAF_REQUIRE(f.has_value());
                           auto account = f->id % 2 ? "acme" : "beta";
                           CAF_CHECK_EQUAL(
                             k, facts_key(account, f->created, f->id));
                           ++(f->id % 2 ? acme : beta);
                           return true;
                         }));
  CAF_CHECK_EQUAL(acme, 13u);
  CAF_CHECK_EQUAL(beta, 12u);
  // Marked done: a second start reads nothing.
  CAF_REQUIRE(!backfill_report_facts(*env, 10, done));
  CAF_CHECK_EQUAL(done, 0u);
}
