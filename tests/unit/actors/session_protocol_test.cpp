#define CAF_SUITE actors.session_protocol

#include "actors/session/session_protocol.hpp"

#include <vector>

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>

#include "round_trip.hpp"

#include "actors/errc.hpp"
#include "actors/session/file_record.hpp"
#include "actors/shared_text.hpp"
#include "gateways/error_table.hpp"
#include "gateways/session_events.hpp"
#include "node/config.hpp"
#include "storage/errc.hpp"

using namespace openassist;
using openassist::answers::round_trip;
using namespace openassist::actors;

CAF_TEST(the answers of a session cross nodes by name) {
  node::node_config cfg;
  caf::actor_system sys{cfg};
  for (auto name : {"session_joined", "chat_ack", "screen_ack", "session_file",
                    "file_sent"})
    CAF_CHECK(sys.types().make_value(name) != nullptr);
  auto j = round_trip(sys, session_joined{"key", true, 42});
  CAF_CHECK_EQUAL(j.member, "key");
  CAF_CHECK(j.live);
  CAF_CHECK_EQUAL(j.last_seq, 42u);
  auto a = round_trip(sys, chat_ack{7, "c-1"});
  CAF_CHECK_EQUAL(a.seq, 7u);
  CAF_CHECK_EQUAL(a.client_id, "c-1");
  auto s = round_trip(sys, screen_ack{"accept", true});
  CAF_CHECK_EQUAL(s.action, "accept");
  CAF_CHECK(s.sharing);
  session_file f{
    std::string(32, 'a'), "Bild ä.png", 1234, "image/png", true, 10, true};
  auto sent = round_trip(sys, file_sent{9, f});
  CAF_CHECK_EQUAL(sent.seq, 9u);
  CAF_CHECK_EQUAL(sent.file.id, f.id);
  CAF_CHECK_EQUAL(sent.file.name, f.name);
  CAF_CHECK_EQUAL(sent.file.size, 1234u);
  CAF_CHECK_EQUAL(sent.file.mime, "image/png");
  CAF_CHECK(sent.file.from_technician);
  CAF_CHECK_EQUAL(sent.file.technician_id, 10u);
  CAF_CHECK(sent.file.hidden);
  session_news n;
  n.status = "active";
  n.technician_id = 10;
  n.technician_name = "Anna";
  n.records = true;
  n.recording_max_mb = 50;
  n.retention_days = 30;
  n.colleagues.push_back({11, "Ben", true, false});
  n.system_code = "joined";
  n.system_params["name"] = "Anna";
  n.system_private = true;
  auto back = round_trip(sys, n);
  CAF_CHECK_EQUAL(back.status, "active");
  CAF_CHECK_EQUAL(back.recording_max_mb, 50u);
  CAF_CHECK_EQUAL(back.retention_days, 30);
  CAF_REQUIRE_EQUAL(back.colleagues.size(), 1u);
  CAF_CHECK_EQUAL(back.colleagues[0].name, "Ben");
  CAF_CHECK(back.colleagues[0].hidden);
  CAF_CHECK_EQUAL(back.system_params["name"], "Anna");
  CAF_CHECK(back.system_private);
  // Its refusals read as themselves in logs.
  CAF_CHECK_EQUAL(sys.render(make_error(errc::not_member, "resume first")),
                  "oa:not_member: resume first");
}

CAF_TEST(a broadcast text is shared on the node and crosses nodes as text) {
  node::node_config cfg;
  caf::actor_system sys{cfg};
  shared_text line{"{\"type\":\"chat.line\"}"};
  // Copies of the message (one per receiver) read the same buffer.
  std::vector<caf::message> receivers(3, caf::make_message(line));
  for (auto& m : receivers)
    CAF_CHECK_EQUAL(m.get_as<shared_text>(0).text.get(), line.text.get());
  auto back = round_trip(sys, line);
  CAF_REQUIRE(back.text != nullptr);
  CAF_CHECK_EQUAL(back.str(), line.str());
  CAF_CHECK_NOT_EQUAL(back.text.get(), line.text.get());
  // An empty one reads back as empty text.
  auto empty = round_trip(sys, shared_text{});
  CAF_CHECK_EQUAL(empty.str(), "");
}

CAF_TEST(the row of a file reads back as it was written) {
  session_file f{
    std::string(32, 'b'), "a \"b\".txt", 5, "text/plain", false, 0, false};
  auto back = file_from_record(file_record(f).dump());
  CAF_REQUIRE(back.has_value());
  CAF_CHECK_EQUAL(back->name, f.name);
  CAF_CHECK_EQUAL(back->size, 5u);
  CAF_CHECK(!back->from_technician);
  CAF_CHECK(!file_from_record("not json").has_value());
  CAF_CHECK(!file_from_record("[1]").has_value());
}

CAF_TEST(the error table gives every refusal its status code and message) {
  struct row {
    errc x;
    unsigned status;
    const char* code;
  };
  for (auto r : {row{errc::bad_field, 400, "bad_field"},
                 row{errc::not_found, 404, "not_found"},
                 row{errc::forbidden, 403, "forbidden"},
                 row{errc::not_member, 403, "not_member"},
                 row{errc::not_yours, 403, "not_yours"},
                 row{errc::taken, 409, "taken"},
                 row{errc::not_open, 409, "not_open"},
                 row{errc::chat_not_open, 409, "chat_not_open"},
                 row{errc::bad_state, 409, "bad_state"},
                 row{errc::sharing, 409, "sharing"},
                 row{errc::not_requested, 409, "not_requested"},
                 row{errc::full, 409, "full"},
                 row{errc::limited, 429, "limited"},
                 row{errc::unavailable, 503, "unavailable"},
                 row{errc::storage_unavailable, 503, "storage_unavailable"},
                 row{errc::busy, 503, "busy"},
                 row{errc::storage_full, 507, "storage_full"},
                 row{errc::damaged, 500, "damaged"},
                 row{errc::reused, 422, "reused"},
                 row{errc::unauthenticated, 401, "unauthenticated"},
                 row{errc::too_large, 413, "too_large"}}) {
    auto a = gateways::describe(make_error(r.x, "why"));
    CAF_CHECK_EQUAL(a.status, r.status);
    CAF_CHECK_EQUAL(a.code, r.code);
    CAF_CHECK_EQUAL(a.message, "why");
  }
  // Anything that is not a refusal: the service did not answer.
  auto t = gateways::describe(caf::sec::request_timeout);
  CAF_CHECK_EQUAL(t.status, 503u);
  CAF_CHECK_EQUAL(t.code, "unavailable");
  // A storage refusal passed on as the writer gave it: its technical
  // context is not shown.
  auto full = gateways::describe(storage::make_error(
    storage::storage_errc::map_full, "/var/lib/openassist: 1 GiB"));
  CAF_CHECK_EQUAL(full.status, 507u);
  CAF_CHECK_EQUAL(full.code, "storage_full");
  CAF_CHECK_EQUAL(full.message.find("/var"), std::string::npos);
  auto res = gateways::error_response(make_error(errc::not_found, "no such"));
  CAF_CHECK_EQUAL(res.status, 404u);
  CAF_CHECK_EQUAL(res.body,
                  R"({"error":{"code":"not_found","message":"no such"}})");
}

CAF_TEST(a refusal carries the client code and field and when to retry) {
  error_details d;
  d.code = "too_many_guesses";
  d.field = "code";
  d.rule = "length";
  d.min = 1;
  d.max = 9;
  d.retry_after_s = 42;
  d.next_open = 1'764'000'000;
  auto err = make_error(errc::limited, "please wait", d);
  // Through CAF's binary serializer, as between nodes.
  node::node_config cfg;
  caf::actor_system sys{cfg};
  auto back = round_trip(sys, err);
  CAF_CHECK_EQUAL(message_of(back), "please wait");
  auto again = details_of(back);
  CAF_CHECK_EQUAL(again.code, "too_many_guesses");
  CAF_CHECK_EQUAL(again.field, "code");
  CAF_CHECK_EQUAL(again.retry_after_s, 42);
  CAF_CHECK_EQUAL(again.next_open, 1'764'000'000);
  auto res = gateways::error_response(back);
  CAF_CHECK_EQUAL(res.status, 429u);
  CAF_CHECK_EQUAL(
    res.body, R"({"error":{"code":"too_many_guesses","field":"code","max":9,)"
              R"("message":"please wait","min":1,"next_open":1764000000,)"
              R"("retry_after_s":42,"rule":"length"}})");
  bool retry_after = false;
  for (auto& [name, value] : res.headers)
    retry_after = retry_after || (name == "Retry-After" && value == "42");
  CAF_CHECK(retry_after);
  // Without details: the name of the kind, and nothing else.
  auto plain = gateways::describe(make_error(errc::reused, "again"));
  CAF_CHECK_EQUAL(plain.code, "reused");
  CAF_CHECK_EQUAL(plain.details.max, -1);
}

CAF_TEST(a change storage did not take is told by why) {
  auto line = "the line could not be stored; send it again";
  auto full =
    not_stored(storage::make_error(storage::storage_errc::map_full), line);
  CAF_CHECK(is(full, errc::storage_full));
  auto busy =
    not_stored(storage::make_error(storage::storage_errc::busy), line);
  CAF_CHECK(is(busy, errc::busy));
  CAF_CHECK_EQUAL(message_of(busy), std::string{"storage is busy; "} + line);
  auto fenced =
    not_stored(storage::make_error(storage::storage_errc::fenced), line);
  CAF_CHECK(is(fenced, errc::storage_unavailable));
  CAF_CHECK_EQUAL(message_of(fenced), line);
  auto timeout = not_stored(caf::sec::request_timeout, line);
  CAF_CHECK(is(timeout, errc::storage_unavailable));
}

CAF_TEST(the events a client reads of the answers of a session) {
  using nlohmann::json;
  CAF_CHECK_EQUAL(gateways::ack_event("5", chat_ack{3, "c"}),
                  json::parse(R"({"type":"chat.ack","request_id":"5",
                                  "client_id":"c","seq":3})"));
  CAF_CHECK_EQUAL(gateways::synced_event("5", session_joined{"k", true, 4}),
                  json::parse(R"({"type":"chat.synced","request_id":"5",
                                  "last_seq":4})"));
  // The member key stays inside the node.
  CAF_CHECK(!gateways::synced_event("5", session_joined{"k", true, 4})
               .contains("member"));
  CAF_CHECK_EQUAL(gateways::screen_ack_event("5", screen_ack{"request", false}),
                  json::parse(R"({"type":"ack","request_id":"5"})"));
  CAF_CHECK_EQUAL(gateways::screen_ack_event("5", screen_ack{"stop", false}),
                  json::parse(R"({"type":"ack","request_id":"5",
                                  "sharing":false})"));
  session_file f{std::string(32, 'c'), "x.png", 1, "image/png", false, 0, true};
  auto sent = gateways::file_sent_event("5", file_sent{2, f});
  CAF_CHECK_EQUAL(sent["type"], "file.sent");
  CAF_CHECK_EQUAL(sent["seq"], 2);
  CAF_CHECK_EQUAL(sent["file"]["private"], true);
  CAF_CHECK_EQUAL(sent["file"]["from"], "customer");
}
