#define CAF_SUITE gateways.customer_input

#include "gateways/customer_input.hpp"

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>

#include "actors/errc.hpp"

using namespace openassist;
using json = nlohmann::json;

namespace {

/// The client's code and field of a refusal.
std::pair<std::string, std::string> refusal(const json& body) {
  auto form = gateways::read_intake(body, {}, "");
  if (form)
    return {"accepted", ""};
  auto d = actors::details_of(form.error());
  return {d.code, d.field};
}

} // namespace

CAF_TEST(an intake form is read once with its fields as text) {
  json body = {
    {"fields", {{"name", "Ida"}, {"age", 42}, {"note", nullptr}, {"x", "y"}}},
    {"technician_id", "17"},
    {"code", "123456789"},
    {"lang", "de"}};
  auto form =
    gateways::read_intake(body, {"10.0.0.1", "desktop", "Linux", "x"}, "key-1");
  CAF_REQUIRE(form);
  CAF_CHECK(form->fields.size() == 2u);
  CAF_CHECK(form->fields.at("name") == "Ida");
  CAF_CHECK(form->not_text.count("age") == 1u); // refused where it counts
  CAF_CHECK(form->not_text.count("note") == 1u);
  CAF_CHECK(form->technician_id == 17u);
  CAF_CHECK(form->code == "123456789");
  CAF_CHECK(form->lang == "de");
  CAF_CHECK(form->source.ip == "10.0.0.1");
  CAF_CHECK(form->idempotency_key == "key-1");
  // The fingerprint is the body's: the same body, the same digest; another
  // body, another.
  auto again = gateways::read_intake(body, {}, "");
  CAF_REQUIRE(again);
  CAF_CHECK(again->fingerprint == form->fingerprint);
  body["lang"] = "en";
  auto other = gateways::read_intake(body, {}, "");
  CAF_REQUIRE(other);
  CAF_CHECK(other->fingerprint != form->fingerprint);
  // Stored fingerprints stay valid across builds: FNV-1a of the compact text.
  CAF_CHECK(gateways::body_digest("") == 14695981039346656037ULL);
  CAF_CHECK(gateways::body_digest("a") == 0xaf63dc4c8601ec8cULL);
}

CAF_TEST(a malformed intake is refused with its field) {
  struct row {
    json body;
    const char* code;
    const char* field;
  };
  for (auto& r : std::vector<row>{
         {json::array(), "bad_json", ""},
         {json{{"fields", "x"}}, "bad_field", "fields"},
         {json{{"technician_id", -3}}, "bad_field", "technician_id"},
         {json{{"technician_id", "12a"}}, "bad_field", "technician_id"},
         {json{{"technician_id", "1234567890123456789"}}, "bad_field",
          "technician_id"},
         {json{{"code", 123}}, "bad_field", "code"},
         {json{{"code", std::string(33, '1')}}, "bad_field", "code"},
         {json{{"lang", "fr"}}, "bad_field", "lang"},
         {json{{"technician_id", nullptr}, {"code", nullptr}}, "accepted", ""},
       }) {
    auto [code, field] = refusal(r.body);
    CAF_CHECK_EQUAL(code, r.code);
    CAF_CHECK_EQUAL(field, r.field);
  }
}

CAF_TEST(a choice and a rating keep only what has the right type) {
  auto c =
    gateways::read_choice(json{{"type", "customer.contact"}, {"email", 7}});
  CAF_CHECK(c.type == "customer.contact");
  CAF_CHECK(c.email.empty());
  auto r = gateways::read_rating(json{{"rating", 4}, {"comment", "ok"}});
  CAF_CHECK(r.has_rating);
  CAF_CHECK(r.rating == 4);
  CAF_CHECK(r.comment == "ok");
  CAF_CHECK(!gateways::read_rating(json{{"rating", 4.5}}).has_rating);
  CAF_CHECK(!gateways::read_rating(json{{"rating", "5"}}).has_rating);
  CAF_CHECK(!gateways::read_rating(json::object()).has_rating);
}
