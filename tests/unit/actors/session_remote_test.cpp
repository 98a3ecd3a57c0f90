#define CAF_SUITE actors.session_remote
// The customer's support app in a session (docs/remote-control.md): the app
// as a member, remote control asked for by a technician and allowed by the
// app, input relayed, diagnostics, the app's shared screen and the
// technician's screen shown to the customer.

#include "session_fixture.hpp"

#include "storage/big_endian.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::session_test;
using json = nlohmann::json;

namespace {

constexpr int64_t session_now = 1'764'000'000'000; // the fixture's clock

/// What the desk tells the session of request 5 when technician `tech`
/// has it and the feature switches `remote_control` and `diagnostics` are
/// on for the technicians listed.
session_news switches(std::vector<uint64_t> control,
                      std::vector<uint64_t> diagnose, uint64_t tech = 10,
                      std::string name = "Anna Berger") {
  auto n = news("active", tech, std::move(name));
  n.may_control = std::move(control);
  n.may_diagnose = std::move(diagnose);
  return n;
}

/// The last message of `type` a member received (null: none).
json last(const member_conn& m, const std::string& type) {
  for (auto i = m.box->messages.rbegin(); i != m.box->messages.rend(); ++i)
    if ((*i)["type"] == type)
      return *i;
  return nullptr;
}

/// The error code of a refusal's body.
std::string code(const json& body) {
  return body.value("error", json::object()).value("code", "");
}

/// A frame as viewers get it: 8 bytes of request id, then the image.
std::string tagged(const std::string& image) {
  std::string out;
  storage::put_be(out, 5);
  return out + image;
}

const std::string move_events = R"([{"t":"move","x":0.5,"y":0.25}])";

} // namespace

struct remote_fixture : fixture {
  void tell(actor s, session_news n) {
    anon_send(s, session_update_atom::value, std::move(n));
    sched.run();
  }

  /// The customer's support app, subscribed live with the request's token.
  member_conn app(actor s) {
    auto [status, m] = join(s, member_app, customer_token);
    CAF_REQUIRE_EQUAL(status, 200u);
    sched.run();
    return m;
  }

  std::pair<unsigned, json> control(actor s, const member_conn& who,
                                    std::string action) {
    auto [status, body] = call(
      s, make_message(session_control_atom::value, who.key, std::move(action)));
    return {status, json::parse(body)};
  }

  std::pair<unsigned, json> input(actor s, const member_conn& who,
                                  std::string events) {
    auto [status, body] = call(
      s, make_message(session_input_atom::value, who.key, std::move(events)));
    return {status, json::parse(body)};
  }

  std::pair<unsigned, json> diagnostics(actor s, const member_conn& who) {
    auto [status, body] =
      call(s, make_message(session_diag_atom::value, who.key));
    return {status, json::parse(body)};
  }

  std::pair<unsigned, json> report(actor s, const member_conn& who,
                                   std::string data) {
    auto [status, body] =
      call(s, make_message(session_diag_atom::value, who.key, std::move(data)));
    return {status, json::parse(body)};
  }

  void frame(actor s, const member_conn& who, std::string bytes) {
    anon_send(s, session_frame_atom::value, who.key, std::move(bytes));
    sched.run();
  }

  /// `tech` asks for control and the app allows it.
  void grant(actor s, const member_conn& tech, const member_conn& by) {
    CAF_REQUIRE_EQUAL(control(s, tech, "request").first, 200u);
    auto [status, ack] = control(s, by, "accept");
    CAF_REQUIRE_EQUAL(status, 200u);
    CAF_REQUIRE(ack.value("controlling", false));
    sched.run();
  }

  /// The audit entries of `action` the account was asked to keep.
  std::vector<json> audited(const std::string& action) {
    std::vector<json> out;
    for (auto& e : *audits)
      if (e.value("action", "") == action)
        out.push_back(e);
    return out;
  }
};

CAF_TEST_FIXTURE_SCOPE(session_remote_tests, remote_fixture)

CAF_TEST(the app is a member and technicians learn whether it is here) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto reader = technician(s, 11);
  auto cust = customer(s);
  sched.run();
  // Technicians learn when they join: no app yet, and what they may do.
  auto before = last(anna, "app.state");
  CAF_REQUIRE(before.is_object());
  CAF_CHECK_EQUAL(before.value("request_id", ""), "5");
  CAF_CHECK_EQUAL(before.value("connected", true), false);
  CAF_CHECK_EQUAL(before.value("may_control", false), true);
  CAF_CHECK_EQUAL(before.value("may_diagnose", true), false);
  // A technician who only reads may do neither.
  auto other = last(reader, "app.state");
  CAF_REQUIRE(other.is_object());
  CAF_CHECK_EQUAL(other.value("may_control", true), false);
  // The app needs the request's token, as the page does.
  CAF_CHECK_EQUAL(join(s, member_app, "wrong-token").first, 404u);
  auto a = app(s);
  auto now = last(anna, "app.state");
  CAF_CHECK_EQUAL(now.value("connected", false), true);
  CAF_CHECK_EQUAL(now.value("may_control", false), true);
  CAF_CHECK_EQUAL(last(reader, "app.state").value("connected", false), true);
  CAF_CHECK_EQUAL(stored_lines("The customer started the support app"), 1u);
  // The app state is for technicians; the app reads the chat as the page.
  CAF_CHECK_EQUAL(cust.box->count("app.state"), 0u);
  CAF_CHECK_EQUAL(a.box->count("app.state"), 0u);
  CAF_REQUIRE_EQUAL(send(s, anna, "hello Maria").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->lines().back().value("text", ""), "hello Maria");
  // The desk turns diagnostics on for Anna: technicians are told again.
  tell(s, switches({10}, {10}));
  CAF_CHECK_EQUAL(last(anna, "app.state").value("may_diagnose", false), true);
  CAF_CHECK_EQUAL(last(reader, "app.state").value("may_diagnose", true), false);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(control needs the switch and the app) {
  auto s = spawn_session(writer);
  auto anna = technician(s, 10);
  auto cust = customer(s);
  // The desk's first news has no technician with remote control.
  auto [off, off_body] = control(s, anna, "request");
  CAF_CHECK_EQUAL(off, 403u);
  CAF_CHECK_EQUAL(code(off_body), "feature_off");
  tell(s, switches({10}, {}));
  auto [none, none_body] = control(s, anna, "request");
  CAF_CHECK_EQUAL(none, 409u);
  CAF_CHECK_EQUAL(code(none_body), "no_app");
  auto a = app(s);
  auto [asked, ack] = control(s, anna, "request");
  CAF_CHECK_EQUAL(asked, 200u);
  CAF_CHECK_EQUAL(ack.value("action", ""), "request");
  CAF_CHECK_EQUAL(ack.value("controlling", true), false);
  sched.run();
  // The app asks the customer; the page is not asked.
  CAF_REQUIRE_EQUAL(a.box->count("control.requested"), 1u);
  auto question = last(a, "control.requested");
  CAF_CHECK_EQUAL(question.value("technician", ""), "Anna Berger");
  CAF_CHECK_EQUAL(question.value("request_id", ""), "5");
  CAF_CHECK_EQUAL(cust.box->count("control.requested"), 0u);
  // Not the session's technician, an observer, the page: refused.
  auto reader = technician(s, 11);
  auto [other, other_body] = control(s, reader, "request");
  CAF_CHECK_EQUAL(other, 403u);
  CAF_CHECK_EQUAL(code(other_body), "not_yours");
  auto [watching, watcher] = join(s, member_observer, "acme-90");
  CAF_REQUIRE_EQUAL(watching, 200u);
  auto [observer, observer_body] = control(s, watcher, "request");
  CAF_CHECK_EQUAL(observer, 403u);
  CAF_CHECK_EQUAL(code(observer_body), "not_yours");
  CAF_CHECK_EQUAL(control(s, cust, "request").first, 400u);
  CAF_CHECK_EQUAL(control(s, anna, "take").first, 400u);
  member_conn stranger{nullptr, nullptr, "made-up"};
  auto [unknown, unknown_body] = control(s, stranger, "request");
  CAF_CHECK_EQUAL(unknown, 403u);
  CAF_CHECK_EQUAL(code(unknown_body), "not_member");
  // Nothing is granted until the app answers.
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.requested"), 1u);
  CAF_CHECK_EQUAL(anna.box->count("control.state"), 0u);
  CAF_CHECK(audits->empty());
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the app grants control and input of its technician reaches the app) {
  auto s = spawn_session(writer);
  auto n = switches({10, 12}, {});
  n.colleagues.push_back({12, "Carla Diaz", false, true});
  tell(s, n);
  auto anna = technician(s, 10);
  auto carla = technician(s, 12);
  auto cust = customer(s);
  auto a = app(s);
  // Nobody controls before the app allowed it.
  auto [early, early_body] = input(s, anna, move_events);
  CAF_CHECK_EQUAL(early, 403u);
  CAF_CHECK_EQUAL(code(early_body), "not_controlling");
  CAF_REQUIRE_EQUAL(control(s, anna, "request").first, 200u);
  // The customer's page cannot allow it for the app.
  auto [page, page_body] = control(s, cust, "accept");
  CAF_CHECK_EQUAL(page, 403u);
  CAF_CHECK_EQUAL(code(page_body), "not_yours");
  sched.run();
  CAF_CHECK_EQUAL(anna.box->count("control.state"), 0u);
  auto [granted, ack] = control(s, a, "accept");
  CAF_CHECK_EQUAL(granted, 200u);
  CAF_CHECK_EQUAL(ack.value("action", ""), "accept");
  CAF_CHECK_EQUAL(ack.value("controlling", false), true);
  sched.run();
  // Everyone learns who controls the computer.
  for (auto* m : {&anna, &carla, &cust, &a}) {
    auto state = last(*m, "control.state");
    CAF_REQUIRE(state.is_object());
    CAF_CHECK_EQUAL(state.value("request_id", ""), "5");
    CAF_CHECK_EQUAL(state.value("controlling", false), true);
    CAF_CHECK_EQUAL(state.value("technician_id", uint64_t{0}), 10u);
    CAF_CHECK_EQUAL(state.value("technician", ""), "Anna Berger");
    CAF_CHECK_EQUAL(state.value("declined", true), false);
  }
  CAF_CHECK_EQUAL(stored_lines("Anna Berger controls the mouse and keyboard"),
                  1u);
  // Anna's input goes to the app as control.input, as the gateway made it.
  auto [sent, sent_ack] = input(s, anna, move_events);
  CAF_CHECK_EQUAL(sent, 200u);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 200u);
  sched.run();
  CAF_REQUIRE_EQUAL(a.box->count("control.input"), 2u);
  auto relayed = last(a, "control.input");
  CAF_CHECK_EQUAL(relayed["events"], json::parse(move_events));
  CAF_CHECK_EQUAL(cust.box->count("control.input"), 0u);
  // Carla may control too, but the customer allowed Anna.
  auto [colleague, colleague_body] = input(s, carla, move_events);
  CAF_CHECK_EQUAL(colleague, 403u);
  CAF_CHECK_EQUAL(code(colleague_body), "not_controlling");
  CAF_CHECK_EQUAL(input(s, cust, move_events).first, 403u);
  CAF_CHECK_EQUAL(input(s, a, move_events).first, 403u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.input"), 2u);
  // The account keeps the grant and the first use (once).
  auto grants = audited("control.granted");
  CAF_REQUIRE_EQUAL(grants.size(), 1u);
  CAF_CHECK_EQUAL(grants[0].value("user", uint64_t{0}), 10u);
  CAF_CHECK_EQUAL(grants[0].value("target", ""), "request/5");
  CAF_CHECK_EQUAL(grants[0]["detail"].value("request_id", ""), "5");
  CAF_CHECK_EQUAL(audited("control.used").size(), 1u);
  // Asking again while in control asks nobody.
  auto [again, again_ack] = control(s, anna, "request");
  CAF_CHECK_EQUAL(again, 200u);
  CAF_CHECK_EQUAL(again_ack.value("controlling", false), true);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.requested"), 1u);
  // Carla asks and the app allows her: control passes to her.
  auto [carla_asks, carla_ack] = control(s, carla, "request");
  CAF_CHECK_EQUAL(carla_asks, 200u);
  CAF_CHECK_EQUAL(carla_ack.value("controlling", false), true);
  sched.run();
  CAF_CHECK_EQUAL(last(a, "control.requested").value("technician", ""),
                  "Carla Diaz");
  CAF_REQUIRE_EQUAL(control(s, a, "accept").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(
    last(anna, "control.state").value("technician_id", uint64_t{0}), 12u);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 403u);
  CAF_CHECK_EQUAL(input(s, carla, move_events).first, 200u);
  auto ended_for_anna = audited("control.ended");
  CAF_REQUIRE_EQUAL(ended_for_anna.size(), 1u);
  CAF_CHECK_EQUAL(ended_for_anna[0].value("user", uint64_t{0}), 10u);
  CAF_CHECK_EQUAL(audited("control.granted").size(), 2u);
  CAF_CHECK_EQUAL(audited("control.used").size(), 2u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.input"), 3u);
  // The customer's page stops it.
  auto [stopped, stop_ack] = control(s, cust, "stop");
  CAF_CHECK_EQUAL(stopped, 200u);
  CAF_CHECK_EQUAL(stop_ack.value("controlling", true), false);
  sched.run();
  for (auto* m : {&anna, &carla, &cust, &a}) {
    auto state = last(*m, "control.state");
    CAF_CHECK_EQUAL(state.value("controlling", true), false);
    CAF_CHECK(state["technician"].is_null());
  }
  CAF_CHECK_EQUAL(stored_lines("Remote control ended"), 1u);
  CAF_CHECK_EQUAL(audited("control.ended").size(), 2u);
  CAF_CHECK_EQUAL(input(s, carla, move_events).first, 403u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.input"), 3u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(an app that resumes is asked again and not replaced) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto a = app(s);
  CAF_REQUIRE_EQUAL(control(s, anna, "request").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("control.requested"), 1u);
  // The same connection resumes (after chat.resume): the question is asked
  // again; the app does not replace itself.
  auto [status, body] =
    call(s, make_message(session_subscribe_atom::value, a.conn,
                         std::string{member_app}, std::string{customer_token},
                         true, uint64_t{0}));
  CAF_REQUIRE_EQUAL(status, 200u);
  sched.run();
  CAF_CHECK_EQUAL(json::parse(body).value("member", ""), a.key);
  CAF_CHECK_EQUAL(a.box->count("control.requested"), 2u);
  CAF_CHECK_EQUAL(a.box->count("app.replaced"), 0u);
  CAF_CHECK_EQUAL(stored_lines("The customer started the support app"), 1u);
  CAF_CHECK_EQUAL(control(s, a, "accept").first, 200u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the app may decline and answers only what was asked) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto a = app(s);
  auto [unasked, unasked_body] = control(s, a, "accept");
  CAF_CHECK_EQUAL(unasked, 409u);
  CAF_CHECK_EQUAL(code(unasked_body), "not_requested");
  CAF_REQUIRE_EQUAL(control(s, anna, "request").first, 200u);
  auto [declined, ack] = control(s, a, "decline");
  CAF_CHECK_EQUAL(declined, 200u);
  CAF_CHECK_EQUAL(ack.value("controlling", true), false);
  sched.run();
  auto state = last(anna, "control.state");
  CAF_REQUIRE(state.is_object());
  CAF_CHECK_EQUAL(state.value("controlling", true), false);
  CAF_CHECK_EQUAL(state.value("declined", false), true);
  CAF_CHECK_EQUAL(stored_lines("Remote control was declined"), 1u);
  CAF_CHECK_EQUAL(audited("control.declined").size(), 1u);
  CAF_CHECK_EQUAL(audited("control.granted").size(), 0u);
  // The question was answered: a late accept finds none.
  CAF_CHECK_EQUAL(control(s, a, "accept").first, 409u);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 403u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(control ends when its technician loses the switch or leaves) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto cust = customer(s);
  auto a = app(s);
  grant(s, anna, a);
  // The desk says remote control is off for Anna now.
  tell(s, switches({}, {}));
  CAF_CHECK_EQUAL(last(cust, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(last(anna, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 403u);
  CAF_CHECK_EQUAL(stored_lines("Remote control ended"), 1u);
  // On again, granted again; then the session goes to Carla: Anna left it.
  tell(s, switches({10}, {}));
  grant(s, anna, a);
  CAF_CHECK_EQUAL(last(a, "control.state").value("controlling", false), true);
  tell(s, switches({12}, {}, 12, "Carla Diaz"));
  CAF_CHECK_EQUAL(anna.box->count("chat.revoked"), 1u);
  CAF_CHECK_EQUAL(last(cust, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(last(a, "control.state").value("controlling", true), false);
  CAF_CHECK_EQUAL(stored_lines("Remote control ended"), 2u);
  CAF_CHECK_EQUAL(audited("control.ended").size(), 2u);
  // Carla has to ask herself.
  auto carla = technician(s, 12);
  CAF_CHECK_EQUAL(input(s, carla, move_events).first, 403u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(a second app replaces the first) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto first = app(s);
  grant(s, anna, first);
  auto second = app(s);
  CAF_CHECK_EQUAL(first.box->count("app.replaced"), 1u);
  CAF_CHECK_EQUAL(second.box->count("app.replaced"), 0u);
  // The new app was not asked: control ended.
  CAF_CHECK_EQUAL(last(anna, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 403u);
  // For technicians an app is still here.
  CAF_CHECK_EQUAL(last(anna, "app.state").value("connected", false), true);
  // The first app is no member any more.
  auto [gone, gone_body] = control(s, first, "accept");
  CAF_CHECK_EQUAL(gone, 403u);
  CAF_CHECK_EQUAL(code(gone_body), "not_member");
  // Asking again asks the new app, and input goes there.
  grant(s, anna, second);
  CAF_CHECK_EQUAL(first.box->count("control.requested"), 1u);
  CAF_CHECK_EQUAL(second.box->count("control.requested"), 1u);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(second.box->count("control.input"), 1u);
  CAF_CHECK_EQUAL(first.box->count("control.input"), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the app going ends control and tells the technicians) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {10}));
  auto anna = technician(s, 10);
  auto cust = customer(s);
  auto a = app(s);
  grant(s, anna, a);
  anon_send_exit(a.conn, exit_reason::user_shutdown);
  sched.run();
  auto state = last(anna, "app.state");
  CAF_CHECK_EQUAL(state.value("connected", true), false);
  CAF_CHECK_EQUAL(state.value("may_control", false), true);
  CAF_CHECK_EQUAL(last(anna, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(last(cust, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(stored_lines("The support app was closed"), 1u);
  CAF_CHECK_EQUAL(stored_lines("Remote control ended"), 1u);
  CAF_CHECK_EQUAL(audited("control.ended").size(), 1u);
  CAF_CHECK_EQUAL(input(s, anna, move_events).first, 403u);
  auto [no_app, no_app_body] = control(s, anna, "request");
  CAF_CHECK_EQUAL(no_app, 409u);
  CAF_CHECK_EQUAL(code(no_app_body), "no_app");
  CAF_CHECK_EQUAL(code(diagnostics(s, anna).second), "no_app");
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(diagnostics are asked of the app stored and shown to technicians) {
  const std::string data =
    R"({"os":{"name":"Debian","kernel":"6.1.0","hostname":"maria-pc",)"
    R"("uptime_s":3600},"cpu":{"model":"x86","cores":4,"load":[0.5,0.4,0.3]}})";
  {
    auto s = spawn_session(writer);
    auto anna = technician(s, 10);
    auto reader = technician(s, 11);
    auto cust = customer(s);
    auto [watching, watcher] = join(s, member_observer, "acme-90");
    CAF_REQUIRE_EQUAL(watching, 200u);
    auto [off, off_body] = diagnostics(s, anna);
    CAF_CHECK_EQUAL(off, 403u);
    CAF_CHECK_EQUAL(code(off_body), "feature_off");
    tell(s, switches({}, {10}));
    auto [none, none_body] = diagnostics(s, anna);
    CAF_CHECK_EQUAL(none, 409u);
    CAF_CHECK_EQUAL(code(none_body), "no_app");
    auto a = app(s);
    CAF_CHECK_EQUAL(diagnostics(s, anna).first, 200u);
    sched.run();
    CAF_REQUIRE_EQUAL(a.box->count("diagnostics.requested"), 1u);
    CAF_CHECK_EQUAL(last(a, "diagnostics.requested").value("request_id", ""),
                    "5");
    CAF_CHECK_EQUAL(code(diagnostics(s, reader).second), "not_yours");
    CAF_CHECK_EQUAL(code(diagnostics(s, cust).second), "not_yours");
    CAF_CHECK_EQUAL(code(diagnostics(s, watcher).second), "not_yours");
    // Only the app reports, and not too much.
    CAF_CHECK_EQUAL(code(report(s, anna, data).second), "not_yours");
    CAF_CHECK_EQUAL(code(report(s, cust, data).second), "not_yours");
    auto [big, big_body] =
      report(s, a, std::string(max_diagnostics_bytes + 1, ' '));
    CAF_CHECK_EQUAL(big, 429u);
    CAF_CHECK_EQUAL(code(big_body), "limited");
    CAF_CHECK_EQUAL(report(s, a, data).first, 200u);
    sched.run();
    // Technicians of the session and observers see it; not the customer,
    // nor technicians who only read the chat.
    for (auto* m : {&anna, &watcher}) {
      auto d = last(*m, "diagnostics");
      CAF_REQUIRE(d.is_object());
      CAF_CHECK_EQUAL(d.value("request_id", ""), "5");
      CAF_CHECK_EQUAL(d["data"], json::parse(data));
      CAF_CHECK_EQUAL(d.value("at", int64_t{0}), session_now);
    }
    CAF_CHECK_EQUAL(reader.box->count("diagnostics"), 0u);
    CAF_CHECK_EQUAL(cust.box->count("diagnostics"), 0u);
    CAF_CHECK_EQUAL(a.box->count("diagnostics"), 0u);
    CAF_CHECK_EQUAL(stored_lines("Anna Berger received the computer's details"),
                    1u);
    anon_send_exit(s, exit_reason::user_shutdown);
    sched.run();
  }
  // A new incarnation of the session has them from storage for a technician
  // who joins.
  auto s = spawn_session(writer);
  auto anna = technician(s, 10);
  sched.run();
  auto d = last(anna, "diagnostics");
  CAF_REQUIRE(d.is_object());
  CAF_CHECK_EQUAL(d["data"], json::parse(data));
  CAF_CHECK_EQUAL(d.value("at", int64_t{0}), session_now);
  auto cust = customer(s);
  sched.run();
  CAF_CHECK_EQUAL(cust.box->count("diagnostics"), 0u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the app shares its screen and only the frames of the sharer go on) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {}));
  auto anna = technician(s, 10);
  auto cust = customer(s);
  auto a = app(s);
  // Only the app shares without being asked.
  CAF_CHECK_EQUAL(screen(s, cust, "share").first, 400u);
  auto [shared, ack] = screen(s, a, "share");
  CAF_CHECK_EQUAL(shared, 200u);
  CAF_CHECK_EQUAL(ack.value("sharing", false), true);
  sched.run();
  CAF_CHECK_EQUAL(last(anna, "screen.state").value("sharing", false), true);
  CAF_CHECK_EQUAL(last(cust, "screen.state").value("sharing", false), true);
  CAF_CHECK_EQUAL(stored_lines("Screen sharing started"), 1u);
  // The app's frames reach the technician, tagged with the request.
  frame(s, a, "OAT1-tiles");
  CAF_REQUIRE_EQUAL(anna.box->frames.size(), 1u);
  CAF_CHECK_EQUAL(anna.box->frames[0], tagged("OAT1-tiles"));
  // Those of the page, which does not share, and of strangers do not.
  frame(s, cust, "IMG-page");
  frame(s, member_conn{nullptr, nullptr, "made-up"}, "IMG-stranger");
  CAF_CHECK_EQUAL(anna.box->frames.size(), 1u);
  CAF_CHECK(cust.box->frames.empty());
  CAF_CHECK(a.box->frames.empty());
  // A viewer who joins asks the app for a whole picture; a page does not.
  CAF_CHECK_EQUAL(a.box->count("screen.keyframe"), 0u);
  auto [watching, watcher] = join(s, member_observer, "acme-90");
  CAF_REQUIRE_EQUAL(watching, 200u);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("screen.keyframe"), 1u);
  customer(s);
  sched.run();
  CAF_CHECK_EQUAL(a.box->count("screen.keyframe"), 1u);
  // When sharing stops, nothing is left to control.
  grant(s, anna, a);
  auto [stopped, stop_ack] = screen(s, cust, "stop");
  CAF_CHECK_EQUAL(stopped, 200u);
  sched.run();
  CAF_CHECK_EQUAL(last(anna, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(stored_lines("Remote control ended"), 1u);
  frame(s, a, "OAT1-late");
  CAF_CHECK_EQUAL(anna.box->frames.size(), 1u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(the technician presents a screen to the customer page and app) {
  auto s = spawn_session(writer);
  auto n = switches({10}, {});
  n.colleagues.push_back({12, "Carla Diaz", false, true});
  tell(s, n);
  auto anna = technician(s, 10);
  auto carla = technician(s, 12);
  auto reader = technician(s, 11);
  auto cust = customer(s);
  // A second page, on this node: frames go into its socket.
  auto sink = std::make_shared<recording_sink>();
  auto [joined, page] = join(s, member_customer, customer_token, true, 0, sink);
  CAF_REQUIRE_EQUAL(joined, 200u);
  auto a = app(s);
  // Only a technician who may act in the session presents.
  CAF_CHECK_EQUAL(code(screen(s, reader, "present").second), "not_yours");
  CAF_CHECK_EQUAL(code(screen(s, cust, "present").second), "not_yours");
  CAF_CHECK_EQUAL(screen(s, anna, "present").first, 200u);
  sched.run();
  for (auto* m : {&cust, &page, &a, &anna, &carla}) {
    auto p = last(*m, "screen.presenting");
    CAF_REQUIRE(p.is_object());
    CAF_CHECK_EQUAL(p.value("request_id", ""), "5");
    CAF_CHECK_EQUAL(p.value("sharing", false), true);
    CAF_CHECK_EQUAL(p.value("technician", ""), "Anna Berger");
  }
  CAF_CHECK_EQUAL(stored_lines("Anna Berger is showing their screen"), 1u);
  // One technician at a time; presenting again changes nothing.
  auto [busy, busy_body] = screen(s, carla, "present");
  CAF_CHECK_EQUAL(busy, 409u);
  CAF_CHECK_EQUAL(code(busy_body), "sharing");
  CAF_CHECK_EQUAL(screen(s, anna, "present").first, 200u);
  sched.run();
  CAF_CHECK_EQUAL(stored_lines("Anna Berger is showing their screen"), 1u);
  // Anna's frames reach the customer's page and app, tagged with the request.
  frame(s, anna, "TECH1");
  CAF_REQUIRE_EQUAL(cust.box->frames.size(), 1u);
  CAF_CHECK_EQUAL(cust.box->frames[0], tagged("TECH1"));
  CAF_REQUIRE_EQUAL(a.box->frames.size(), 1u);
  CAF_CHECK_EQUAL(a.box->frames[0], tagged("TECH1"));
  CAF_REQUIRE_EQUAL(sink->frames.size(), 1u);
  CAF_CHECK_EQUAL(sink->frames[0], tagged("TECH1"));
  CAF_CHECK(page.box->frames.empty());
  // Technicians do not get them back; Carla's frames go nowhere.
  CAF_CHECK(anna.box->frames.empty());
  CAF_CHECK(carla.box->frames.empty());
  CAF_CHECK(reader.box->frames.empty());
  frame(s, carla, "TECH2");
  CAF_CHECK_EQUAL(cust.box->frames.size(), 1u);
  CAF_CHECK_EQUAL(a.box->frames.size(), 1u);
  // The customer ends it.
  CAF_CHECK_EQUAL(code(screen(s, reader, "unpresent").second), "not_yours");
  CAF_CHECK_EQUAL(screen(s, cust, "unpresent").first, 200u);
  sched.run();
  auto ended = last(a, "screen.presenting");
  CAF_CHECK_EQUAL(ended.value("sharing", true), false);
  CAF_CHECK(ended["technician"].is_null());
  CAF_CHECK_EQUAL(stored_lines("Anna Berger stopped showing their screen"), 1u);
  frame(s, anna, "TECH3");
  CAF_CHECK_EQUAL(cust.box->frames.size(), 1u);
  // Anna's console going ends it too.
  CAF_CHECK_EQUAL(screen(s, anna, "present").first, 200u);
  anon_send_exit(anna.conn, exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK_EQUAL(last(cust, "screen.presenting").value("sharing", true),
                  false);
  CAF_CHECK_EQUAL(stored_lines("Anna Berger stopped showing their screen"), 2u);
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST(control and presenting end with the session) {
  auto s = spawn_session(writer);
  tell(s, switches({10}, {10}));
  auto anna = technician(s, 10);
  auto cust = customer(s);
  auto a = app(s);
  grant(s, anna, a);
  CAF_REQUIRE_EQUAL(screen(s, anna, "present").first, 200u);
  tell(s, news("closed"));
  CAF_CHECK_EQUAL(last(cust, "control.state").value("controlling", true),
                  false);
  CAF_CHECK_EQUAL(last(a, "screen.presenting").value("sharing", true), false);
  CAF_CHECK_EQUAL(audited("control.ended").size(), 1u);
  // Nothing of it is possible any more.
  CAF_CHECK_EQUAL(code(control(s, anna, "request").second), "chat_not_open");
  CAF_CHECK_EQUAL(code(input(s, anna, move_events).second), "not_controlling");
  CAF_CHECK_EQUAL(code(diagnostics(s, anna).second), "chat_not_open");
  CAF_CHECK_EQUAL(code(report(s, a, "{}").second), "chat_not_open");
  frame(s, anna, "TECH-late");
  CAF_CHECK(cust.box->frames.empty());
  anon_send_exit(s, exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
