#define CAF_SUITE actors.desk_summary
// The desk model at the end of a session: ratings and summary mails.

#include "desk_model_fixture.hpp"

using namespace openassist::actors;
using namespace openassist::actors::desk;
using namespace openassist::actors::desk_test;

namespace {

struct summary_fixture : fixture {
  /// A desk that lists only `n` recent closed requests, with the help
  /// portal's summaries mailed to the desk, Anna online.
  settings keeping_recent(size_t n) {
    settings s;
    s.closed_kept = n;
    m = model{s};
    m.set_org(with_summaries(), 1);
    online(10);
    return s;
  }

  org_account with_summaries() {
    org_account org = sample_org();
    org.portals.at(20).notification_email = "desk@acme.example";
    return org;
  }
};

} // namespace

/// What the gateway reads from `{"rating": n, "comment": c}`.
static openassist::actors::customer_rating rating(int64_t n,
                                                  std::string comment = {}) {
  return {true, n, std::move(comment)};
}

CAF_TEST_FIXTURE_SCOPE(desk_summary_tests, summary_fixture)

CAF_TEST(a finished session is rated once and its summary is mailed) {
  org_account org = m.org();
  org.portals.at(20).notification_email = "desk@acme.example";
  m.set_org(org, 2);
  online(10);
  auto a = create("help", customer("rita"));
  CAF_CHECK(ok(10, req("request.accept", a)));
  CAF_CHECK(ok(10, req("request.join", a)));
  auto close = req("request.close", a);
  close["resolution"] = "sometimes";
  CAF_CHECK_EQUAL(error_of(10, close), "bad_field");
  close["resolution"] = "resolved";
  close["notes"] = "fixed";
  CAF_CHECK(ok(10, close));
  effects fx;
  auto bad = m.rate(a, rating(0), now, fx);
  CAF_REQUIRE(bad.has_value());
  CAF_CHECK_EQUAL(bad->field, "rating");
  effects good;
  CAF_CHECK(!m.rate(a, rating(4, "thanks"), now, good).has_value());
  CAF_REQUIRE_EQUAL(good.mails.size(), 1u);
  CAF_CHECK_EQUAL(good.mails[0].to, "desk@acme.example");
  CAF_CHECK(good.mails[0].body.find("Customer rating: 4 of 5") !=
            std::string::npos);
  effects again;
  auto twice = m.rate(a, rating(5), now, again);
  CAF_REQUIRE(twice.has_value());
  CAF_CHECK_EQUAL(twice->code, "already_rated");
  // Unrated: the summary goes out after the delay, once.
  auto b = create("help", customer("uma"));
  CAF_CHECK(ok(10, req("request.accept", b)));
  CAF_CHECK(ok(10, req("request.join", b)));
  CAF_CHECK(ok(10, req("request.close", b)));
  effects early;
  m.tick(now + 60 * 1000, early);
  CAF_CHECK(early.mails.empty());
  effects late;
  m.tick(now + 16 * 60 * 1000, late);
  CAF_REQUIRE_EQUAL(late.mails.size(), 1u);
  CAF_CHECK(late.mails[0].subject.find("not rated") != std::string::npos);
  effects later;
  m.tick(now + 40 * 60 * 1000, later);
  CAF_CHECK(later.mails.empty());
  // A customer who leaves an active session ends it as finished, and may
  // rate it.
  auto left = create("help", customer("lea"));
  CAF_CHECK(ok(10, req("request.accept", left)));
  CAF_CHECK(ok(10, req("request.join", left)));
  effects leaving;
  CAF_CHECK(!m.cancel(left, now, leaving).has_value());
  auto* gone = m.find(left);
  CAF_REQUIRE(gone != nullptr);
  CAF_CHECK(gone->st == status::closed);
  CAF_CHECK_EQUAL(gone->outcome, "customer_left");
  effects rated;
  CAF_CHECK(!m.rate(left, rating(5), now, rated).has_value());
  // A request that never had a session cannot be rated.
  auto c = create("help", customer("never"));
  effects cancel;
  CAF_CHECK(!m.cancel(c, now, cancel).has_value());
  CAF_CHECK(m.find(c)->st == status::abandoned);
  CAF_CHECK_EQUAL(m.find(c)->outcome, "cancelled");
  effects none;
  auto never = m.rate(c, rating(3), now, none);
  CAF_REQUIRE(never.has_value());
  CAF_CHECK_EQUAL(never->code, "not_rateable");
}

CAF_TEST(a busy account keeps summaries and ratings beyond the recent list) {
  keeping_recent(2);
  std::vector<uint64_t> ids;
  for (const char* name : {"ann", "bob", "cy", "di"})
    ids.push_back(finished_session(name));
  // Two are recent; the first two left the list but not the desk.
  CAF_CHECK_EQUAL(m.recent_closed().size(), 2u);
  CAF_REQUIRE(m.find(ids[0]) != nullptr);
  effects rated;
  CAF_CHECK(!m.rate(ids[1], rating(5), now, rated).has_value());
  CAF_CHECK_EQUAL(rated.mails.size(), 1u);
  CAF_CHECK(rated.requests.count(ids[1]) == 1);
  // After the delay every unrated session is mailed, once each.
  effects late;
  m.tick(now + 16 * 60 * 1000, late);
  CAF_REQUIRE_EQUAL(late.mails.size(), 3u);
  std::set<uint64_t> mailed;
  for (auto& mail : late.mails)
    for (auto id : ids)
      if (mail.subject.find("#" + std::to_string(id) + " ") !=
          std::string::npos)
        mailed.insert(id);
  CAF_CHECK_EQUAL(mailed, (std::set<uint64_t>{ids[0], ids[2], ids[3]}));
  // The change that sent them still finds the old ones (to store them);
  // the tick after lets them go.
  CAF_CHECK(m.find(ids[0]) != nullptr && m.find(ids[0])->summary_sent);
  effects next;
  m.tick(now + 17 * 60 * 1000, next);
  CAF_CHECK(next.mails.empty());
  CAF_CHECK(m.find(ids[0]) == nullptr);
  CAF_CHECK(m.find(ids[1]) == nullptr);
  CAF_CHECK(m.find(ids[3]) != nullptr);
}

CAF_TEST(a restart brings back the sessions whose summary is due) {
  auto small = keeping_recent(1);
  std::vector<uint64_t> ids;
  for (const char* name : {"eve", "fay", "gus"})
    ids.push_back(finished_session(name));
  auto snap = m.snapshot();
  std::vector<json> stored;
  for (auto id : ids)
    stored.push_back(model::to_storage(*m.find(id)));
  model again{small};
  again.set_org(with_summaries(), 1);
  CAF_REQUIRE(again.restore(snap, now));
  auto wanted = again.requests_to_load();
  CAF_CHECK_EQUAL(wanted.size(), 3u);
  for (auto id : wanted)
    again.restore_request(*model::from_storage(stored.at(id - ids[0])), now);
  CAF_CHECK_EQUAL(again.recent_closed().size(), 1u);
  effects late;
  again.tick(now + 16 * 60 * 1000, late);
  CAF_CHECK_EQUAL(late.mails.size(), 3u);
}

CAF_TEST_FIXTURE_SCOPE_END()
