#include "gateways/recording_routes.hpp"

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/keyring.hpp"
#include "actors/session/recording_export.hpp"
#include "gateways/error_table.hpp"
#include "gateways/json_body.hpp"
#include "gateways/public_api.hpp"

namespace openassist::gateways {

namespace {

using json = nlohmann::json;

std::optional<uint64_t> number(const path_params& params, const char* key) {
  auto i = params.find(key);
  if (i == params.end() || i->second.empty() || i->second.size() > 18 ||
      i->second.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(i->second);
}

// Inside a bridge actor: asks the keyring and answers with its body, or its
// refusal through the error table.
void ask_keyring(const api_context& ctx, caf::event_based_actor* self,
                 caf::message msg, responder respond) {
  self->request(ctx.keyring, std::chrono::seconds(120), std::move(msg))
    .then(
      [=](std::string& body) {
        respond(http_response::raw_json(200, std::move(body)));
        self->quit();
      },
      [=](caf::error& err) {
        respond(error_response(err));
        self->quit();
      });
}

// Inside a bridge actor: asks the keyring for a piece of a replay, answered
// as bytes with the cursor of the next piece in X-Replay-Cursor (none on the
// last piece).
void ask_replay(const api_context& ctx, caf::event_based_actor* self,
                caf::message msg, responder respond) {
  self->request(ctx.keyring, std::chrono::seconds(120), std::move(msg))
    .then(
      [=](std::string& body, std::string& cursor) {
        http_response res;
        res.content_type = "application/octet-stream";
        res.body = std::move(body);
        res.headers.emplace_back("Cache-Control", "no-store");
        if (!cursor.empty())
          res.headers.emplace_back("X-Replay-Cursor", cursor);
        respond(std::move(res));
        self->quit();
      },
      [=](caf::error& err) {
        respond(error_response(err));
        self->quit();
      });
}

// Inside a bridge actor: the recording exported as WebM by an exporter of
// its own (one at a time on the node: 503 busy beyond), answered as a
// download.
void export_video(const api_context& ctx, caf::event_based_actor* self,
                  const std::string& account, uint64_t request,
                  const std::string& passphrase, responder respond) {
  if (!ctx.exports.spawn) {
    respond(http_response::error(503, "export_failed",
                                 "this node does not make videos"));
    return self->quit();
  }
  auto running = ctx.exports.running;
  if (running->fetch_add(1) >= 1) {
    running->fetch_sub(1);
    respond(http_response::error(
      503, "busy", "another video is being made; try again in a minute"));
    return self->quit();
  }
  actors::recording::exporter_config c;
  c.keyring = ctx.keyring;
  c.account = account;
  c.request_id = request;
  c.passphrase = passphrase;
  c.ffmpeg = ctx.exports.ffmpeg;
  c.work_dir = ctx.exports.work_dir;
  c.max_bytes = ctx.exports.max_bytes;
  auto exporter = ctx.exports.spawn(c);
  self
    ->request(exporter, std::chrono::minutes(30),
              actors::recording::export_atom::value)
    .then(
      [=](std::string& body) {
        running->fetch_sub(1);
        http_response res;
        res.content_type = "video/webm";
        res.body = std::move(body);
        res.headers.emplace_back("Cache-Control", "no-store");
        res.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"session-" +
                                   std::to_string(request) + ".webm\"");
        respond(std::move(res));
        self->quit();
      },
      [=](caf::error& err) {
        running->fetch_sub(1);
        caf::anon_send_exit(exporter, caf::exit_reason::user_shutdown);
        respond(error_response(err));
        self->quit();
      });
}

// A route whose caller the desk must allow first (`check`), then the keyring.
template <class Check, class Then>
void guarded(const api_context& ctx, const http_request& req, responder respond,
             Check check, Then then) {
  with_login(ctx, req, respond,
             [=](caf::event_based_actor* self, const std::string& account,
                 uint64_t user) {
               ask_desk(ctx, self, account, check(user), respond,
                        [=](std::string&) { then(self, account); });
             });
}

// A route on request `n`'s recording: the desk must allow the caller to
// replay it (managers who may read it, technicians for their own), then
// `then(self, account)`.
template <class Then>
void with_recording(const api_context& ctx, const http_request& req,
                    responder respond, uint64_t n, Then then) {
  guarded(
    ctx, req, respond,
    [n](uint64_t user) {
      return caf::make_message(actors::desk_replay_atom::value, user,
                               std::to_string(n));
    },
    then);
}

} // namespace

void add_recording_routes(router& r, api_context ctx) {
  const std::string v1 = "/api/v1";
  r.add("GET", v1 + "/portals/:id/replay-keys",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto portal = number(params, "id");
          if (!portal)
            return respond(
              http_response::error(404, "not_found", "no such portal"));
          guarded(
            ctx, req, respond,
            [p = *portal](uint64_t user) {
              return caf::make_message(actors::desk_keys_atom::value, user, p);
            },
            [=, p = *portal](caf::event_based_actor* self,
                             const std::string& account) {
              ask_keyring(
                ctx, self,
                caf::make_message(actors::key_list_atom::value, account, p),
                respond);
            });
        });
  r.add("POST", v1 + "/portals/:id/replay-keys",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto portal = number(params, "id");
          if (!portal)
            return respond(
              http_response::error(404, "not_found", "no such portal"));
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          auto passphrase =
            actors::value_or<std::string>(*body, "passphrase", "");
          guarded(
            ctx, req, respond,
            [p = *portal](uint64_t user) {
              return caf::make_message(actors::desk_keys_atom::value, user, p);
            },
            [=, p = *portal](caf::event_based_actor* self,
                             const std::string& account) {
              ask_keyring(ctx, self,
                          caf::make_message(actors::key_set_atom::value,
                                            account, p, passphrase),
                          respond);
            });
        });
  r.add(
    "GET", v1 + "/requests/:id/recording",
    [ctx](const http_request& req, const path_params& params,
          responder respond) {
      auto id = number(params, "id");
      if (!id)
        return respond(
          http_response::error(404, "not_found", "no such request"));
      with_recording(
        ctx, req, respond, *id,
        [=, n = *id](caf::event_based_actor* self, const std::string& account) {
          ask_keyring(
            ctx, self,
            caf::make_message(actors::recording_info_atom::value, account, n),
            respond);
        });
    });
  r.add(
    "POST", v1 + "/requests/:id/recording/replay",
    [ctx](const http_request& req, const path_params& params,
          responder respond) {
      auto id = number(params, "id");
      if (!id)
        return respond(
          http_response::error(404, "not_found", "no such request"));
      http_response err;
      auto body = json_object_body(req, err);
      if (!body)
        return respond(std::move(err));
      // The first piece takes the passphrase; the next ones the cursor
      // the previous piece named (X-Replay-Cursor).
      auto passphrase = actors::value_or<std::string>(*body, "passphrase", "");
      auto cursor = actors::value_or<std::string>(*body, "cursor", "");
      if (cursor.size() > 64)
        return respond(http_response::error(400, "bad_field",
                                            "cursor: is not a replay cursor"));
      if (cursor.empty() && (passphrase.empty() || passphrase.size() > 1024))
        return respond(
          http_response::error(400, "bad_field", "passphrase: is required"));
      with_recording(
        ctx, req, respond, *id,
        [=, n = *id](caf::event_based_actor* self, const std::string& account) {
          ask_replay(ctx, self,
                     cursor.empty()
                       ? caf::make_message(actors::replay_atom::value, account,
                                           n, passphrase)
                       : caf::make_message(actors::replay_next_atom::value,
                                           account, n, cursor),
                     respond);
        });
    });
  r.add(
    "POST", v1 + "/requests/:id/recording/export",
    [ctx](const http_request& req, const path_params& params,
          responder respond) {
      auto id = number(params, "id");
      if (!id)
        return respond(
          http_response::error(404, "not_found", "no such request"));
      http_response err;
      auto body = json_object_body(req, err);
      if (!body)
        return respond(std::move(err));
      auto passphrase = actors::value_or<std::string>(*body, "passphrase", "");
      if (passphrase.empty() || passphrase.size() > 1024)
        return respond(
          http_response::error(400, "bad_field", "passphrase: is required"));
      with_recording(
        ctx, req, respond, *id,
        [=, n = *id](caf::event_based_actor* self, const std::string& account) {
          export_video(ctx, self, account, n, passphrase, respond);
        });
    });
}

} // namespace openassist::gateways
