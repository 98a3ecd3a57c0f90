#define CAF_SUITE actors.customer_mail

#include "actors/intake/customer_mail.hpp"

#include <caf/test/dsl.hpp>

using namespace openassist::actors;

namespace {

portal help_portal() {
  portal p;
  p.id = 3;
  p.name = "Help Desk";
  p.slug = "help";
  p.title = "Help";
  p.fields = {{"name", "Your name", "text", true, {}},
              {"contact", "Your e-mail", "email", false, {}},
              {"problem", "How can we help?", "textarea", true, {}}};
  return p;
}

} // namespace

CAF_TEST(the resume link carries id and token in the fragment) {
  CAF_CHECK_EQUAL(
    resume_link("https://support.example.com/", "demo", "help", 17, "AbC-_9"),
    "https://support.example.com/p/demo/help#request=17&token="
    "AbC-_9");
  // Whatever the account or slug hold is encoded, not taken as URL syntax.
  CAF_CHECK_EQUAL(resume_link("http://h:1", "a b", "s/#?", 1, "t"),
                  "http://h:1/p/a%20b/s%2F%23%3F#request=1&token=t");
}

CAF_TEST(the confirmation goes to the first e - mail field filled in) {
  auto p = help_portal();
  nlohmann::json fields = {
    {"name", "Rita"}, {"contact", "rita@example.com"}, {"problem", "fire"}};
  auto m =
    confirmation_mail("http://node:8080", "demo", p, 42, fields, "tok", "en");
  CAF_REQUIRE(m.has_value());
  CAF_CHECK_EQUAL(m->to, "rita@example.com");
  CAF_CHECK_EQUAL(m->subject, "Your support request #42");
  CAF_CHECK(m->body.find("Hello Rita,") != std::string::npos);
  CAF_CHECK(m->body.find("http://node:8080/p/demo/help#request=42&token=tok") !=
            std::string::npos);
  auto de =
    confirmation_mail("http://node:8080", "demo", p, 42, fields, "tok", "de");
  CAF_REQUIRE(de.has_value());
  CAF_CHECK_EQUAL(de->subject, "Ihre Support-Anfrage #42");
  CAF_CHECK(de->body.find("Guten Tag Rita,") != std::string::npos);
}

CAF_TEST(no address or no public url : no mail) {
  auto p = help_portal();
  nlohmann::json no_mail = {{"name", "Rita"}, {"problem", "fire"}};
  CAF_CHECK(!confirmation_mail("http://node", "demo", p, 1, no_mail, "t", "en")
               .has_value());
  // A key called "email" that is not an e-mail field is not an address.
  p.fields[1].type = "text";
  nlohmann::json typed = {{"contact", "rita@example.com"}};
  CAF_CHECK(!confirmation_mail("http://node", "demo", p, 1, typed, "t", "en")
               .has_value());
  p = help_portal();
  CAF_CHECK(!confirmation_mail("", "demo", p, 1, typed, "t", "en").has_value());
}
