#define CAF_SUITE gateways.user_agent

#include "gateways/user_agent.hpp"

#include <caf/test/unit_test.hpp>

using namespace openassist::gateways;

namespace {

std::string all(std::string_view ua) {
  auto c = parse_user_agent(ua);
  return c.device + " | " + c.os + " | " + c.browser;
}

} // namespace

CAF_TEST(common browsers and systems are named) {
  CAF_CHECK_EQUAL(
    all("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/120.0.0.0 Safari/537.36"),
    "desktop | Windows 10/11 | Chrome 120");
  CAF_CHECK_EQUAL(
    all("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61"),
    "desktop | Windows 10/11 | Edge 120");
  CAF_CHECK_EQUAL(
    all("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Safari/605.1.15"),
    "desktop | macOS 10.15 | Safari 17");
  CAF_CHECK_EQUAL(
    all("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 "
        "Safari/604.1"),
    "mobile | iOS 17.1 | Safari 17");
  CAF_CHECK_EQUAL(
    all("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36"),
    "mobile | Android 14 | Chrome 119");
  CAF_CHECK_EQUAL(
    all(
      "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
    "desktop | Linux | Firefox 121");
  CAF_CHECK_EQUAL(all("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X)"),
                  "tablet | iOS 16.6 | unknown");
}

CAF_TEST(missing or hostile headers give unknown parts) {
  CAF_CHECK_EQUAL(all(""), "desktop | unknown | unknown");
  CAF_CHECK_EQUAL(all("Chrome/"), "desktop | unknown | Chrome");
  CAF_CHECK_EQUAL(all(std::string(10000, 'A')), "desktop | unknown | unknown");
  auto c = parse_user_agent("Firefox/99999999999999999999999999999");
  CAF_CHECK(c.browser.size() <= 24);
}
