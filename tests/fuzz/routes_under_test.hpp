#pragma once

// The node's real public route table (status, API v1, public portals, files,
// recordings, static files; as node/lifecycle.cpp builds it) in front of stub
// actors that answer at once, so that every route, path parameter, query
// value and header is fuzzed down to what the actors receive.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/auth.hpp"
#include "actors/intake/desk.hpp"
#include "actors/org/account.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/session.hpp"
#include "cluster/directory.hpp"
#include "gateways/api_v1.hpp"
#include "gateways/app_codes.hpp"
#include "gateways/app_routes.hpp"
#include "gateways/public_api.hpp"
#include "gateways/recording_routes.hpp"
#include "gateways/report_routes.hpp"
#include "gateways/routes.hpp"
#include "gateways/session_files.hpp"
#include "gateways/static_files.hpp"

namespace fuzz {

using namespace openassist;

/// Bearer tokens the stub auth knows: a manager of account "demo" (user 7),
/// and a browser login of the same user (its CSRF token is "csrf").
inline constexpr const char* bearer_token = "good";
inline constexpr const char* cookie_token = "cookie";

/// Stops the fuzzer when a gateway sends an actor something that is not the
/// JSON it promises.
inline void require_json(const std::string& text, const char* what) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "gateway sent %s that is not JSON\n", what);
    __builtin_trap();
  }
}

/// Stops the fuzzer when outside bytes that are not UTF-8 reach an actor.
inline void require_utf8(const std::string& text, const char* what) {
  if (!gateways::valid_utf8(text)) {
    std::fprintf(stderr, "gateway sent %s that is not UTF-8\n", what);
    __builtin_trap();
  }
}

/// Every entity behind the directory (accounts, desks, sessions) and the
/// blob store and keyring: checks what the gateways send and answers with a
/// body the routes go on with.
inline caf::behavior stub_entity(caf::event_based_actor* self) {
  self->set_default_handler(
    [](caf::scheduled_actor*,
       caf::message_view& msg) -> caf::result<caf::message> {
      auto& xs = msg.content();
      for (size_t i = 0; i < xs.size(); ++i)
        if (xs.match_element<std::string>(i))
          require_utf8(xs.get_as<std::string>(i), "a message string");
      std::string body{R"({"max_bytes":1048576,"technician":false,)"
                       R"("request":{"id":1},"name":"f.txt",)"
                       R"("mime":"text/plain"})"};
      // The body alone; a replay's pieces come with their cursor.
      auto name = xs.size() > 0 && xs.match_element<caf::atom_value>(0)
                    ? caf::to_string(xs.get_as<caf::atom_value>(0))
                    : std::string{};
      if (name == "replay" || name == "replay_nxt")
        return caf::make_message(std::move(body), std::string{});
      return caf::make_message(std::move(body));
    });
  return {
    [](actors::account_op_atom, uint64_t, const std::string&,
       const std::string& args) -> caf::result<bool, std::string> {
      require_json(args, "operation arguments");
      require_utf8(args, "operation arguments");
      return {false, args}; // an echo: the routes' shaping must cope
    },
    [](actors::desk_intake_atom, const std::string&,
       const actors::intake_form& form) -> caf::result<std::string> {
      for (auto& [k, v] : form.fields) {
        require_utf8(k, "an intake's field name");
        require_utf8(v, "an intake's field");
      }
      for (auto& k : form.not_text)
        require_utf8(k, "an intake's field name");
      for (auto* s :
           {&form.code, &form.lang, &form.source.ip, &form.source.device,
            &form.source.os, &form.source.browser, &form.idempotency_key})
        require_utf8(*s, "an intake's text");
      return std::string{"{}"};
    },
    [](actors::session_file_atom, bool, uint64_t,
       const actors::session_file& file) -> actors::file_sent {
      require_utf8(file.name, "a file's name");
      require_utf8(file.mime, "a file's type");
      return {1, file};
    },
    [](actors::session_file_get_atom, const std::string& id) {
      require_utf8(id, "a file id");
      actors::session_file f;
      f.id = id;
      f.name = "f.txt";
      f.mime = "text/plain";
      return f;
    },
    [](actors::session_transcript_atom, bool) {
      return std::string{"transcript"};
    },
    [](actors::session_transcript_atom, bool, const std::string& lang) {
      require_utf8(lang, "a transcript language");
      return std::string{"transcript"};
    },
    [](actors::blob_put_atom, const std::string& path, const std::string&) {
      require_utf8(path, "a blob path"); // the bytes are the file's own
      return std::string{};
    },
    [](actors::blob_get_atom, const std::string&) {
      return caf::make_message(true, std::string{"bytes"});
    },
    [](actors::blob_remove_atom, const std::string&) { return true; },
  };
}

inline actors::auth_actor::behavior_type stub_auth() {
  return {
    [](actors::login_atom, const std::string&, const std::string&,
       const std::string&, const std::string&,
       bool) -> caf::result<std::string, std::string> {
      return {std::string{"{}"}, std::string{"token"}};
    },
    [](actors::authn_atom, const std::string& token)
      -> caf::result<std::string, uint64_t, std::string, bool> {
      require_utf8(token, "a token");
      if (token == bearer_token)
        return {std::string{"demo"}, uint64_t{7}, std::string{"csrf"}, true};
      if (token == cookie_token)
        return {std::string{"demo"}, uint64_t{7}, std::string{"csrf"}, false};
      return {std::string{}, uint64_t{0}, std::string{}, false};
    },
    [](actors::logout_atom, const std::string&) { return true; },
    [](actors::reset_request_atom, const std::string&, const std::string&) {
      return true;
    },
    [](actors::reset_confirm_atom, const std::string&, const std::string&)
      -> caf::result<std::string> { return std::string{"{}"}; },
    [](actors::public_url_atom, const std::string&) {},
    [](actors::gate_tick_atom) {},
  };
}

/// Account "missing" does not exist, like an unknown account id.
inline cluster::directory_actor::behavior_type
stub_directory(cluster::directory_actor::pointer, caf::actor entity) {
  return {
    [entity](cluster::lookup_atom,
             const std::string& key) -> caf::result<caf::actor> {
      if (key.find("/missing") != std::string::npos)
        return cluster::make_error(cluster::directory_errc::spawn_failed);
      return entity;
    },
    [](cluster::count_atom) { return uint64_t{0}; },
  };
}

/// The actor system, stubs and route table of one fuzzing process. Made
/// once and never destroyed (the stubs never quit, and an actor system waits
/// for its actors when destroyed).
struct node_under_test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  gateways::router routes;

  explicit node_under_test(gateways::exception_hook on_exception) {
    cfg.set("scheduler.max-threads", 2);
    cfg.set("logger.console", caf::atom("none"));
    sys = std::make_unique<caf::actor_system>(cfg);
    auto entity = sys->spawn(stub_entity);
    gateways::api_context ctx;
    ctx.sys = sys.get();
    ctx.directory = sys->spawn(stub_directory, entity);
    ctx.auth = sys->spawn(stub_auth);
    ctx.blobs = entity;
    ctx.keyring = entity;
    ctx.timeout = std::chrono::seconds(10);
    ctx.on_exception = on_exception;
    ctx.join_codes = std::make_shared<gateways::app_codes>();
    routes.on_exception(on_exception);
    gateways::add_status_routes(routes, {"node", "0.0.0", 1, 0});
    gateways::add_api_v1_routes(routes, ctx);
    auto files = std::make_shared<gateways::static_files>(web_dir());
    gateways::add_public_routes(routes, ctx, files);
    gateways::add_app_routes(routes, ctx, files);
    gateways::add_file_routes(routes, ctx);
    gateways::add_recording_routes(routes, ctx);
    gateways::add_report_routes(routes, ctx);
    gateways::add_static_routes(routes, files);
  }

  // A tiny web directory: the static routes find index pages in it.
  static std::string web_dir() {
    namespace fs = std::filesystem;
    auto dir = fs::temp_directory_path() / "oa-fuzz-router-web";
    fs::create_directories(dir / "portal");
    std::ofstream(dir / "index.html") << "<!doctype html><title>x</title>\n";
    std::ofstream(dir / "portal" / "index.html") << "<!doctype html>\n";
    return dir.string();
  }
};

} // namespace fuzz
