#include "gateways/session_files.hpp"

#include <sodium.h>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/session/blobs.hpp"
#include "actors/session/file_check.hpp"
#include "actors/session/session.hpp"
#include "gateways/error_table.hpp"
#include "gateways/json_body.hpp"
#include "gateways/public_api.hpp"
#include "gateways/session_events.hpp"

namespace openassist::gateways {

namespace {

using json = nlohmann::json;
using actors::value_or;

std::string new_file_id() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (auto b : raw) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
}

std::string param(const path_params& params, const char* key) {
  auto i = params.find(key);
  return i == params.end() ? std::string{} : i->second;
}

// Inside a bridge actor: finds the request's session and calls `next`.
void with_session(const api_context& ctx, caf::event_based_actor* self,
                  const std::string& account, const std::string& id,
                  const responder& respond,
                  std::function<void(caf::actor&)> next) {
  self
    ->request(ctx.directory, ctx.timeout, cluster::lookup_atom::value,
              "session/" + account + "/" + id)
    .then([next](caf::actor& s) mutable { next(s); },
          [self, respond](caf::error&) {
            respond(http_response::error(404, "not_found", "no such request"));
            self->quit();
          });
}

// The upload, once the route knows who sends: the desk says whether they may
// and how much; the content decides whether the file is taken.
void upload(const api_context& ctx, const std::string& account,
            const std::string& id, const std::string& token, uint64_t user,
            const std::string& raw_name,
            std::shared_ptr<const std::string> bytes, responder respond,
            caf::event_based_actor* self) {
  ask_desk(
    ctx, self, account,
    caf::make_message(actors::desk_upload_atom::value, id, token, user),
    respond, [=](std::string& body) {
      auto allowed = json::parse(body, nullptr, false);
      auto max_bytes = value_or<uint64_t>(allowed, "max_bytes", 0);
      bool technician = value_or<bool>(allowed, "technician", false);
      auto name = actors::clean_file_name(raw_name);
      if (name.empty()) {
        respond(http_response::error(400, "bad_field",
                                     "name: a file name is required"));
        return self->quit();
      }
      with_session(ctx, self, account, id, respond, [=](caf::actor& session) {
        auto refuse = [=](unsigned code_status, const char* code,
                          const std::string& why) {
          caf::anon_send(session, actors::session_file_refused_atom::value,
                         technician, user, name, why);
          respond(http_response::error(code_status, code, why));
          self->quit();
        };
        if (bytes->size() > max_bytes)
          return refuse(413, "file_too_large",
                        "the file is larger than this account's limit of " +
                          std::to_string(max_bytes >> 20) + " MB");
        auto verdict = actors::check_file(name, *bytes);
        if (!verdict.ok)
          return refuse(415, "file_refused", verdict.reason);
        auto file_id = new_file_id();
        auto path = actors::file_blob_path(account, std::stoull(id), file_id);
        actors::session_file file;
        file.id = file_id;
        file.name = name;
        file.size = bytes->size();
        file.mime = verdict.mime;
        self
          ->request(ctx.blobs, std::chrono::seconds(60),
                    actors::blob_put_atom::value, path, *bytes)
          .then(
            [=](const std::string& err) {
              if (!err.empty()) {
                respond(http_response::error(
                  503, "storage_unavailable",
                  "the file could not be stored; try again"));
                return self->quit();
              }
              self
                ->request(session, ctx.timeout,
                          actors::session_file_atom::value, technician, user,
                          file)
                .then(
                  [=](const actors::file_sent& sent) {
                    respond(
                      http_response::json(200, file_sent_event(id, sent)));
                    self->quit();
                  },
                  [=](caf::error& err) {
                    // Not taken (the session ended meanwhile, storage
                    // failed): the bytes must not stay behind.
                    caf::anon_send(ctx.blobs, actors::blob_remove_atom::value,
                                   path);
                    respond(error_response(err));
                    self->quit();
                  });
            },
            [=](caf::error&) {
              respond(http_response::error(503, "unavailable", "try again"));
              self->quit();
            });
      });
    });
}

// Sends a stored file (the caller may read the request).
void download(const api_context& ctx, caf::event_based_actor* self,
              const std::string& account, const std::string& id,
              const std::string& file_id, responder respond, bool customer) {
  with_session(ctx, self, account, id, respond, [=](caf::actor& session) {
    self
      ->request(session, ctx.timeout, actors::session_file_get_atom::value,
                file_id)
      .then(
        [=](const actors::session_file& meta) {
          if (customer && meta.hidden) {
            respond(http_response::error(404, "not_found", "no such file"));
            return self->quit();
          }
          auto name = meta.name.empty() ? std::string{"file"} : meta.name;
          auto mime = meta.mime;
          self
            ->request(ctx.blobs, std::chrono::seconds(60),
                      actors::blob_get_atom::value,
                      actors::file_blob_path(account, std::stoull(id), file_id))
            .then(
              [=](bool found, std::string& bytes) {
                if (!found) {
                  respond(
                    http_response::error(404, "not_found", "the file is gone"));
                  return self->quit();
                }
                http_response res;
                res.content_type = mime;
                res.body = std::move(bytes);
                // Always a download, never rendered in our origin; the name
                // in both the plain (ASCII-safe) and the RFC 5987 form.
                std::string ascii;
                for (unsigned char c : name)
                  ascii.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\'
                                    ? static_cast<char>(c)
                                    : '_');
                std::string encoded;
                static constexpr char hex[] = "0123456789ABCDEF";
                for (unsigned char c : name) {
                  if (std::isalnum(c) || c == '.' || c == '-' || c == '_')
                    encoded.push_back(static_cast<char>(c));
                  else {
                    encoded.push_back('%');
                    encoded.push_back(hex[c >> 4]);
                    encoded.push_back(hex[c & 15]);
                  }
                }
                res.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"" + ascii +
                                           "\"; filename*=UTF-8''" + encoded);
                res.headers.emplace_back("Cache-Control", "private, no-store");
                respond(std::move(res));
                self->quit();
              },
              [=](caf::error&) {
                respond(http_response::error(503, "unavailable", "try again"));
                self->quit();
              });
        },
        [=](caf::error& err) {
          respond(error_response(err));
          self->quit();
        });
  });
}

bool valid_request_id(const std::string& id) {
  return !id.empty() && id.size() <= 18 &&
         id.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

void add_file_routes(router& r, api_context ctx) {
  const std::string base =
    "/api/v1/public/portals/:account/:slug/requests/:id/files";
  // The customer sends a file: raw bytes, the name in ?name=, the token in a
  // header (the body is the file).
  r.add("POST", base,
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto account = param(params, "account");
          auto id = param(params, "id");
          if (!valid_account_id(account) || !valid_request_id(id))
            return respond(
              http_response::error(404, "not_found", "no such request"));
          auto token = std::string{req.header("X-Customer-Token")};
          auto name = query_param(req.query, "name");
          auto bytes = std::make_shared<const std::string>(req.body);
          spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
            upload(ctx, account, id, token, 0, name, bytes, respond, self);
          });
        });
  // The customer downloads a file of their session: {"token"}.
  r.add("POST", base + "/:file",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto account = param(params, "account");
          auto id = param(params, "id");
          auto file_id = param(params, "file");
          if (!valid_account_id(account) || !valid_request_id(id))
            return respond(
              http_response::error(404, "not_found", "no such request"));
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          auto token = value_or<std::string>(*body, "token", "");
          spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
            ask_desk(ctx, self, account,
                     caf::make_message(actors::desk_attach_atom::value, id,
                                       token, caf::actor{}),
                     respond, [=](std::string&) {
                       download(ctx, self, account, id, file_id, respond, true);
                     });
          });
        });
  // The technician sends a file.
  r.add("POST", "/api/v1/requests/:id/files",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto id = param(params, "id");
          if (!valid_request_id(id))
            return respond(
              http_response::error(404, "not_found", "no such request"));
          auto name = query_param(req.query, "name");
          auto bytes = std::make_shared<const std::string>(req.body);
          with_login(ctx, req, respond,
                     [=](caf::event_based_actor* self,
                         const std::string& account, uint64_t user) {
                       upload(ctx, account, id, "", user, name, bytes, respond,
                              self);
                     });
        });
  // Technicians who see the request and the account's managers download.
  r.add("GET", "/api/v1/requests/:id/files/:file",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto id = param(params, "id");
          auto file_id = param(params, "file");
          if (!valid_request_id(id))
            return respond(
              http_response::error(404, "not_found", "no such request"));
          with_login(ctx, req, respond,
                     [=](caf::event_based_actor* self,
                         const std::string& account, uint64_t user) {
                       ask_desk(
                         ctx, self, account,
                         caf::make_message(actors::desk_participant_atom::value,
                                           user, id),
                         respond, [=](std::string&) {
                           download(ctx, self, account, id, file_id, respond,
                                    false);
                         });
                     });
        });
}

} // namespace openassist::gateways
