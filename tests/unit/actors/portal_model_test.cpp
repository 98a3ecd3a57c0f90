#define CAF_SUITE actors.portal_model

#include "actors/intake/portal_model.hpp"

#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace openassist::actors;
using desk::portal_model;
using json = nlohmann::json;

namespace {

constexpr int64_t friday_10h_ms = 1796378400LL * 1000; // 2026-12-04 10:00 UTC
constexpr int64_t friday_18h_ms = 1796407200LL * 1000;
constexpr int64_t saturday_9h = 1796461200; // unix s

// Every day 09:00-17:00, as set 1 of an account.
org_account with_hours(portal& p) {
  org_account org;
  hours_set set;
  set.id = 1;
  for (int weekday = 0; weekday < 7; ++weekday)
    set.hours.weekly.push_back({weekday, 9 * 60, 17 * 60});
  org.hours_sets.emplace(1, set);
  p.hours_id = 1;
  return org;
}

portal_field field(const char* key, const char* type, bool required,
                   std::vector<std::string> choices = {}) {
  portal_field f;
  f.key = f.label = key;
  f.type = type;
  f.required = required;
  f.choices = std::move(choices);
  return f;
}

portal form() {
  portal p;
  p.id = 7;
  p.fields = {field("name", "text", true), field("email", "email", false),
              field("problem", "textarea", true),
              field("topic", "skill", false, {"printers", "network"})};
  return p;
}

} // namespace

CAF_TEST(a portal is open in its business hours and says when it opens) {
  portal p;
  auto org = with_hours(p);
  auto open = portal_model::open_state(p, org, friday_10h_ms);
  CAF_CHECK_EQUAL(open["open"], json(true));
  CAF_CHECK(open["next_open"].is_null());
  auto closed = portal_model::open_state(p, org, friday_18h_ms);
  CAF_CHECK_EQUAL(closed["open"], json(false));
  CAF_CHECK_EQUAL(closed["next_open"], json(saturday_9h));
  CAF_CHECK_EQUAL(closed["reason"], json("outside_hours"));
  // Without hours, or with a set that was deleted: always open.
  portal always;
  auto no_hours = portal_model::open_state(always, org, friday_18h_ms);
  CAF_CHECK_EQUAL(no_hours["open"], json(true));
  p.hours_id = 99;
  auto deleted_set = portal_model::open_state(p, org, friday_18h_ms);
  CAF_CHECK_EQUAL(deleted_set["open"], json(true));
}

CAF_TEST(the form takes clean fields and refuses the first bad one) {
  struct row {
    json fields;
    const char* field; ///< "" accepted
    const char* rule;
  };
  auto long_name = std::string(201, 'x');
  auto long_problem = std::string(4001, 'y');
  for (auto& r : std::vector<row>{
         {{{"name", "Ada"}, {"problem", "printer"}}, "", ""},
         {{{"name", " Ada "}, {"problem", "a\nb\tc"}}, "", ""},
         {{{"problem", "printer"}}, "name", "required"},
         {{{"name", "   "}, {"problem", "printer"}}, "name", "required"},
         {{{"name", 42}, {"problem", "printer"}}, "name", "type"},
         {{{"name", long_name}, {"problem", "p"}}, "name", "length"},
         {{{"name", "Ada"}, {"problem", long_problem}}, "problem", "length"},
         {{{"name", "A\x01"}, {"problem", "p"}}, "name", "format"},
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "ada"}},
          "email",
          "email"},
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "a b@c.d"}},
          "email",
          "email"},
         // Two addresses, a header behind a line break, two '@'.
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "a@b.c,evil@x.y"}},
          "email",
          "email"},
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "a@b.c\r\nbcc:x@y.z"}},
          "email",
          "email"},
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "a@b@c.d"}},
          "email",
          "email"},
         {{{"name", "Ada"}, {"problem", "p"}, {"email", "ada@example.org"}},
          "",
          ""},
         {{{"name", "Ada"}, {"problem", "p"}, {"topic", "coffee"}},
          "topic",
          "choice"},
       }) {
    auto fields = r.fields;
    std::vector<std::string> skills;
    auto refused = portal_model::check_fields(form(), fields, skills);
    if (std::string{r.field}.empty()) {
      CAF_CHECK(!refused);
      continue;
    }
    CAF_REQUIRE(refused);
    CAF_CHECK_EQUAL(refused->code, "bad_field");
    CAF_CHECK_EQUAL(refused->field, r.field);
    CAF_CHECK_EQUAL(refused->rule, r.rule);
    CAF_CHECK_EQUAL(fields, r.fields); // unchanged
    CAF_CHECK(skills.empty());
  }
}

CAF_TEST(accepted fields are trimmed and only the forms fields are kept) {
  json fields = {{"name", "  Ada Lovelace\n"},
                 {"problem", "it hums"},
                 {"topic", "network"},
                 {"extra", "dropped"}};
  std::vector<std::string> skills;
  CAF_REQUIRE(!portal_model::check_fields(form(), fields, skills));
  CAF_CHECK_EQUAL(fields, (json{{"name", "Ada Lovelace"},
                                {"problem", "it hums"},
                                {"topic", "network"}}));
  CAF_CHECK_EQUAL(skills, std::vector<std::string>{"network"});
  // 200 characters are 200 code points, not bytes.
  std::string name;
  for (int i = 0; i < 200; ++i)
    name += "\xc3\xa4"; // ä
  json umlauts = {{"name", name}, {"problem", "p"}};
  CAF_CHECK(!portal_model::check_fields(form(), umlauts, skills));
}

CAF_TEST(intake keys are kept for their time and up to their number) {
  portal_model p{3, 60'000};
  for (uint64_t i = 1; i <= 4; ++i)
    p.remember("k" + std::to_string(i),
               {i, "token" + std::to_string(i), 100 + i,
                static_cast<int64_t>(i) * 1000, false});
  // The oldest went beyond three.
  CAF_CHECK_EQUAL(p.keys(), 3u);
  CAF_CHECK(p.find("k1", 5000) == nullptr);
  auto* k2 = p.find("k2", 5000);
  CAF_REQUIRE(k2 != nullptr);
  CAF_CHECK_EQUAL(k2->request_id, 2u);
  CAF_CHECK_EQUAL(k2->token, "token2");
  CAF_CHECK(!k2->stored);
  p.stored("k2");
  CAF_CHECK(p.find("k2", 5000)->stored);
  p.stored("nope"); // nothing to mark
  // A minute after each was made, it goes (oldest first).
  CAF_CHECK(p.find("k2", 62'000) == nullptr);
  CAF_CHECK(p.find("k3", 62'000) != nullptr);
  CAF_CHECK(p.find("k4", 64'000) == nullptr);
  CAF_CHECK_EQUAL(p.keys(), 0u);
  // No keys kept at all when the limit is 0.
  portal_model none{0, 60'000};
  none.remember("k", {1, "t", 1, 0, true});
  CAF_CHECK(none.find("k", 0) == nullptr);
}
