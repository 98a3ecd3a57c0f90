#include "gateways/api_v1.hpp"
#include "gateways/error_table.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/identity/credentials.hpp"
#include "actors/intake/desk.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/org/account.hpp"
#include "gateways/cookie.hpp"
#include "gateways/json_body.hpp"
#include "gateways/public_api.hpp"
#include "gateways/report_routes.hpp"

namespace openassist::gateways {

namespace {

using json = nlohmann::json;

constexpr std::string_view session_cookie = "oa_session";

// A string member of a JSON body, "" when absent or not a string.
std::string string_field(const json& body, const char* key) {
  auto i = body.find(key);
  return i != body.end() && i->is_string() ? i->get<std::string>()
                                           : std::string{};
}

std::string session_cookie_header(const std::string& token, int64_t max_age,
                                  bool secure) {
  return std::string{session_cookie} + "=" + token +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

struct credentials {
  std::string token;
  bool from_cookie = false;
};

credentials credentials_of(const http_request& req) {
  auto authz = req.header("Authorization");
  if (authz.rfind("Bearer ", 0) == 0)
    return {std::string{authz.substr(7)}, false};
  return {cookie_value(req.header("Cookie"), session_cookie), true};
}

bool unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

// Authenticates, checks CSRF, then runs `next(account, user, csrf)` inside a
// one-shot bridge actor; every failure answers the client.
template <class Next>
void authenticated(const api_context& ctx, const http_request& req,
                   responder respond, Next next) {
  auto creds = credentials_of(req);
  if (creds.token.empty())
    return respond(
      http_response::error(401, "unauthenticated", "please log in"));
  auto csrf_header = std::string{req.header("X-CSRF-Token")};
  bool check_csrf = unsafe(req.method);
  spawn_bridge(
    ctx, respond,
    [ctx, creds, csrf_header, check_csrf, respond,
     next](caf::event_based_actor* self) mutable {
      self
        ->request(ctx.auth, ctx.timeout, actors::authn_atom::value, creds.token)
        .then(
          [=](std::string& account, uint64_t user, std::string& csrf,
              bool bearer) mutable {
            if (account.empty()) {
              respond(http_response::error(
                401, "unauthenticated",
                "session expired or unknown; please log in"));
              return self->quit();
            }
            // Browser sessions (cookies) prove the page is ours with the CSRF
            // token; bearer tokens are not sent by browsers automatically.
            if (check_csrf && creds.from_cookie && !bearer &&
                (csrf.empty() || !actors::secure_equal(csrf_header, csrf))) {
              respond(http_response::error(
                403, "csrf", "missing or wrong X-CSRF-Token header"));
              return self->quit();
            }
            next(self, account, user, csrf);
          },
          [=](caf::error&) mutable {
            respond(http_response::error(503, "unavailable", "try again"));
            self->quit();
          });
    });
}

// How long an operation may take at the account. A bulk import hashes up to
// 1,000 passwords on the hasher pool, which the account allows 60 s plus 1 s
// per password (actors/org/account.cpp, with_hashes); the gateway waits as
// long, plus its own timeout for the write, instead of answering 503 while
// the import goes on and is stored.
std::chrono::milliseconds op_timeout(const api_context& ctx,
                                     const std::string& op) {
  if (op == "technicians.bulk")
    return std::chrono::seconds(60 + 1000) + ctx.timeout;
  return ctx.timeout;
}

// An account operation's answer: 201 when it created something, 204 when it
// has nothing to say, else 200.
http_response op_answer(bool created, std::string body) {
  unsigned status = body.empty() ? 204 : created ? 201 : 200;
  return http_response::raw_json(status, std::move(body));
}

// Sends one operation to the caller's account actor.
void account_op(const api_context& ctx, caf::event_based_actor* self,
                const std::string& account, uint64_t user,
                const std::string& op, std::string args, responder respond,
                std::function<json(json)> shape = nullptr) {
  self
    ->request(ctx.directory, ctx.timeout, cluster::lookup_atom::value,
              "account/" + account)
    .then(
      [=](caf::actor& a) mutable {
        self
          ->request(caf::actor_cast<actors::account_actor>(a),
                    op_timeout(ctx, op), actors::account_op_atom::value, user,
                    op, args)
          .then(
            [=](bool created, std::string& body) mutable {
              if (shape && !created && !body.empty()) {
                auto doc = json::parse(body, nullptr, false);
                if (!doc.is_discarded())
                  body =
                    shape(std::move(doc))
                      .dump(-1, ' ', false, json::error_handler_t::replace);
              }
              respond(op_answer(created, std::move(body)));
              self->quit();
            },
            [=](caf::error& err) mutable {
              respond(error_response(err));
              self->quit();
            });
      },
      [=](caf::error&) mutable {
        respond(http_response::error(503, "unavailable", "try again"));
        self->quit();
      });
}

// A route that forwards to an account operation; path params, query
// parameters and the JSON body become the operation's arguments.
handler op_route(api_context ctx, std::string op,
                 std::vector<std::string> extra_query = {}) {
  return [ctx, op, extra_query](const http_request& req,
                                const path_params& params, responder respond) {
    json args = json::object();
    if (req.method == "POST" || req.method == "PUT") {
      http_response err;
      auto body = json_object_body(req, err);
      if (!body)
        return respond(std::move(err));
      args = std::move(*body);
    }
    for (auto key : {"portal_id", "limit", "before"})
      if (auto v = query_param(req.query, key); !v.empty())
        args[key] = v;
    for (auto& key : extra_query)
      if (auto v = query_param(req.query, key); !v.empty())
        args[key] = v;
    for (auto& [k, v] : params)
      args[k] = v;
    authenticated(
      ctx, req, respond,
      [ctx, op, respond,
       args = args.dump(-1, ' ', false, json::error_handler_t::replace)](
        caf::event_based_actor* self, const std::string& account, uint64_t user,
        const std::string&) {
        account_op(ctx, self, account, user, op, args, respond);
      });
  };
}

handler login_route(api_context ctx, bool bearer) {
  return [ctx, bearer](const http_request& req, const path_params&,
                       responder respond) {
    http_response err;
    auto body = json_object_body(req, err);
    if (!body)
      return respond(std::move(err));
    auto kind = bearer ? std::string{"manager"} : string_field(*body, "kind");
    auto email = string_field(*body, "email");
    auto password = string_field(*body, "password");
    if (email.empty())
      return respond(
        http_response::error(400, "bad_field", "email: is required"));
    if (password.empty())
      return respond(
        http_response::error(400, "bad_field", "password: is required"));
    auto remote = req.remote_address;
    spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
      self
        ->request(ctx.auth, std::chrono::seconds(60), actors::login_atom::value,
                  kind, email, password, remote, bearer)
        .then(
          [=](std::string& out, std::string& token) {
            auto res = http_response::raw_json(200, std::move(out));
            if (!bearer)
              res.headers.emplace_back(
                "Set-Cookie",
                session_cookie_header(token, 12 * 3600, ctx.secure_cookies));
            respond(std::move(res));
            self->quit();
          },
          [=](caf::error& err) {
            // Throttled logins say when to try again (Retry-After).
            respond(error_response(err));
            self->quit();
          });
    });
  };
}

} // namespace

void spawn_bridge(const api_context& ctx, const responder& respond,
                  std::function<void(caf::event_based_actor*)> init) {
  ctx.sys->spawn([hook = ctx.on_exception, respond,
                  init = std::move(init)](caf::event_based_actor* self) {
    self->set_exception_handler(
      [hook, respond](caf::scheduled_actor*,
                      std::exception_ptr& eptr) -> caf::error {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(eptr);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
          // what stays "unknown exception"
        }
        if (hook)
          hook("bridge", what);
        respond(internal_error());
        return caf::exit_reason::unhandled_exception;
      });
    init(self);
  });
}

void add_operator_routes(router& r, api_context ctx) {
  r.add(
    "POST", "/accounts",
    [ctx](const http_request& req, const path_params&, responder respond) {
      http_response err;
      auto body = json_object_body(req, err);
      if (!body)
        return respond(std::move(err));
      auto id = string_field(*body, "id");
      auto name = string_field(*body, "name");
      auto email = string_field(*body, "manager_email");
      auto password = string_field(*body, "manager_password");
      auto valid_id =
        id.size() >= 2 && id.size() <= 40 &&
        id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
          std::string::npos;
      if (!valid_id)
        return respond(http_response::error(
          400, "bad_field", "id: 2 to 40 lower-case letters, digits or -"));
      if (name.empty() || name.size() > 100)
        return respond(
          http_response::error(400, "bad_field", "name: 1 to 100 characters"));
      std::transform(email.begin(), email.end(), email.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (email.find('@') == std::string::npos || email.size() > 254)
        return respond(http_response::error(
          400, "bad_field", "manager_email: must be an e-mail address"));
      if (password.size() < 8 || password.size() > 256)
        return respond(http_response::error(
          400, "bad_field", "manager_password: 8 to 256 characters"));
      spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
        self
          ->request(ctx.directory, ctx.timeout, cluster::lookup_atom::value,
                    "account/" + id)
          .then(
            [=](caf::actor& a) {
              self
                ->request(caf::actor_cast<actors::account_actor>(a),
                          std::chrono::seconds(60),
                          actors::account_create_atom::value, name, email,
                          password)
                .then(
                  [=](std::string& out) {
                    respond(http_response::raw_json(201, std::move(out)));
                    self->quit();
                  },
                  [=](caf::error& err) {
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

void with_login(
  const api_context& ctx, const http_request& req, responder respond,
  std::function<void(caf::event_based_actor*, const std::string&, uint64_t)>
    next) {
  authenticated(ctx, req, respond,
                [next](caf::event_based_actor* self, const std::string& account,
                       uint64_t user,
                       const std::string&) { next(self, account, user); });
}

namespace {

// A route about one request whose chat the caller may read (the desk says):
// `answer(ctx, self, account, id, respond)` answers it and ends `self`.
handler readable_request_route(
  api_context ctx,
  std::function<void(const api_context&, caf::event_based_actor*,
                     const std::string&, const std::string&, responder)>
    answer) {
  return [ctx, answer](const http_request& req, const path_params& params,
                       responder respond) {
    auto id = params.count("id") ? params.at("id") : std::string{};
    authenticated(
      ctx, req, respond,
      [ctx, id, respond, answer](caf::event_based_actor* self,
                                 const std::string& account, uint64_t user,
                                 const std::string&) {
        ask_desk(ctx, self, account,
                 caf::make_message(actors::desk_can_read_atom::value, user, id),
                 respond, [=](std::string&) {
                   answer(ctx, self, account, id, respond);
                 });
      });
  };
}

} // namespace

void add_api_v1_routes(router& r, api_context ctx) {
  const std::string v1 = "/api/v1";
  r.add("POST", v1 + "/auth/login", login_route(ctx, false));
  r.add("POST", v1 + "/auth/token", login_route(ctx, true));
  r.add(
    "POST", v1 + "/auth/password-reset",
    [ctx](const http_request& req, const path_params&, responder respond) {
      http_response err;
      auto body = json_object_body(req, err);
      if (!body)
        return respond(std::move(err));
      auto kind = string_field(*body, "kind");
      auto email = string_field(*body, "email");
      if (kind != "manager" && kind != "technician")
        return respond(http_response::error(
          400, "bad_field", "kind: must be manager or technician"));
      if (email.empty() || email.size() > 254)
        return respond(
          http_response::error(400, "bad_field", "email: is required"));
      spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
        self
          ->request(ctx.auth, ctx.timeout, actors::reset_request_atom::value,
                    kind, email)
          .then(
            [=](bool) {
              // The same answer whether or not the user exists.
              respond(http_response::json(
                202, {{"status", "if this user id exists, a reset link is on "
                                 "its way"}}));
              self->quit();
            },
            [=](caf::error&) {
              respond(http_response::error(503, "unavailable", "try again"));
              self->quit();
            });
      });
    });
  r.add("POST", v1 + "/auth/password-reset/confirm",
        [ctx](const http_request& req, const path_params&, responder respond) {
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          auto token = string_field(*body, "token");
          auto password = string_field(*body, "password");
          spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
            self
              ->request(ctx.auth, std::chrono::seconds(60),
                        actors::reset_confirm_atom::value, token, password)
              .then(
                [=](std::string& out) {
                  respond(op_answer(false, std::move(out)));
                  self->quit();
                },
                [=](caf::error& err) {
                  respond(error_response(err));
                  self->quit();
                });
          });
        });
  r.add("GET", v1 + "/auth/me",
        [ctx](const http_request& req, const path_params&, responder respond) {
          authenticated(ctx, req, respond,
                        [ctx, respond](caf::event_based_actor* self,
                                       const std::string& account,
                                       uint64_t user, const std::string& csrf) {
                          account_op(
                            ctx, self, account, user, "me.get", "{}", respond,
                            [csrf, account](json u) {
                              u["account"] = account;
                              return json{{"user", u}, {"csrf_token", csrf}};
                            });
                        });
        });
  r.add(
    "POST", v1 + "/auth/logout",
    [ctx](const http_request& req, const path_params&, responder respond) {
      auto token = credentials_of(req).token;
      authenticated(
        ctx, req, respond,
        [ctx, token, respond](caf::event_based_actor* self, const std::string&,
                              uint64_t, const std::string&) {
          self
            ->request(ctx.auth, ctx.timeout, actors::logout_atom::value, token)
            .then(
              [=](bool) {
                http_response res;
                res.status = 204;
                res.headers.emplace_back(
                  "Set-Cookie",
                  session_cookie_header("", 0, ctx.secure_cookies));
                respond(std::move(res));
                self->quit();
              },
              [=](caf::error&) {
                respond(http_response::error(503, "unavailable", "try again"));
                self->quit();
              });
        });
    });
  r.add("PUT", v1 + "/me/settings", op_route(ctx, "me.settings"));
  r.add("GET", v1 + "/teams", op_route(ctx, "teams.list"));
  r.add("POST", v1 + "/teams", op_route(ctx, "teams.create"));
  r.add("PUT", v1 + "/teams/:id", op_route(ctx, "teams.update"));
  r.add("DELETE", v1 + "/teams/:id", op_route(ctx, "teams.delete"));
  r.add("GET", v1 + "/technicians", op_route(ctx, "technicians.list"));
  r.add("POST", v1 + "/technicians", op_route(ctx, "technicians.create"));
  r.add("POST", v1 + "/technicians/bulk", op_route(ctx, "technicians.bulk"));
  r.add("PUT", v1 + "/technicians/:id", op_route(ctx, "technicians.update"));
  r.add("DELETE", v1 + "/technicians/:id", op_route(ctx, "technicians.delete"));
  r.add("POST", v1 + "/technicians/:id/move",
        op_route(ctx, "technicians.move"));
  r.add("GET", v1 + "/technicians/:id/features",
        op_route(ctx, "technicians.features"));
  r.add("GET", v1 + "/managers", op_route(ctx, "managers.list"));
  r.add("POST", v1 + "/managers", op_route(ctx, "managers.create"));
  r.add("PUT", v1 + "/managers/:id", op_route(ctx, "managers.update"));
  r.add("DELETE", v1 + "/managers/:id", op_route(ctx, "managers.delete"));
  r.add("GET", v1 + "/portals", op_route(ctx, "portals.list"));
  r.add("POST", v1 + "/portals", op_route(ctx, "portals.create"));
  r.add("PUT", v1 + "/portals/:id", op_route(ctx, "portals.update"));
  r.add("DELETE", v1 + "/portals/:id", op_route(ctx, "portals.delete"));
  r.add("GET", v1 + "/portals/:id/open-state",
        op_route(ctx, "portals.open_state"));
  r.add("GET", v1 + "/monitors", op_route(ctx, "monitors.list"));
  r.add("POST", v1 + "/monitors", op_route(ctx, "monitors.create"));
  r.add("PUT", v1 + "/monitors/:id", op_route(ctx, "monitors.update"));
  r.add("DELETE", v1 + "/monitors/:id", op_route(ctx, "monitors.delete"));
  r.add("GET", v1 + "/saved-reports", op_route(ctx, "reports.list"));
  r.add("POST", v1 + "/saved-reports", op_route(ctx, "reports.create"));
  r.add("PUT", v1 + "/saved-reports/:id", op_route(ctx, "reports.update"));
  r.add("DELETE", v1 + "/saved-reports/:id", op_route(ctx, "reports.delete"));
  r.add("POST", v1 + "/monitors/:id/restart",
        op_route(ctx, "monitors.restart"));
  r.add("POST", v1 + "/technicians/:id/offline",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto id = params.count("id") ? params.at("id") : std::string{};
          if (id.empty() || id.size() > 18 ||
              id.find_first_not_of("0123456789") != std::string::npos)
            return respond(
              http_response::error(404, "not_found", "no such technician"));
          authenticated(
            ctx, req, respond,
            [ctx, respond, technician = std::stoull(id)](
              caf::event_based_actor* self, const std::string& account,
              uint64_t user, const std::string&) {
              ask_desk(ctx, self, account,
                       caf::make_message(actors::desk_offline_atom::value, user,
                                         technician),
                       respond, [=](std::string& body) {
                         respond(http_response::raw_json(200, std::move(body)));
                         self->quit();
                       });
            });
        });
  r.add("GET", v1 + "/business-hours", op_route(ctx, "hours.list"));
  r.add("POST", v1 + "/business-hours", op_route(ctx, "hours.create"));
  r.add("PUT", v1 + "/business-hours/:id", op_route(ctx, "hours.update"));
  r.add("DELETE", v1 + "/business-hours/:id", op_route(ctx, "hours.delete"));
  r.add("GET", v1 + "/audit",
        op_route(ctx, "audit.list", {"actor", "kind", "from", "to"}));
  r.add("GET", v1 + "/account", op_route(ctx, "account.get"));
  r.add("PUT", v1 + "/account", op_route(ctx, "account.update"));
  r.add("GET", v1 + "/requests",
        [ctx](const http_request& req, const path_params&, responder respond) {
          auto limit = query_number(req, "limit", 50);
          auto before = query_number(req, "before", 0);
          if (!limit || !before)
            return respond(http_response::error(
              400, "bad_field", "limit and before: whole numbers"));
          // Narrowing (docs/api.md): a portal, a technician, a team, and a
          // creation time range [from, to) in Unix milliseconds.
          actors::history_filter filter;
          if (auto refused = history_filter_from(req, filter))
            return respond(std::move(*refused));
          authenticated(
            ctx, req, respond,
            [ctx, respond, limit = *limit, before = *before,
             filter](caf::event_based_actor* self, const std::string& account,
                     uint64_t user, const std::string&) {
              ask_desk(ctx, self, account,
                       caf::make_message(actors::desk_list_atom::value, user,
                                         limit, before, filter),
                       respond, [=](std::string& body) {
                         respond(http_response::raw_json(200, std::move(body)));
                         self->quit();
                       });
            });
        });
  // The chat, and the computer's details the support app sent
  // (docs/remote-control.md), for whoever may read the request's chat.
  r.add("GET", v1 + "/requests/:id/transcript",
        readable_request_route(
          ctx, [](const api_context& c, caf::event_based_actor* self,
                  const std::string& account, const std::string& id,
                  responder respond) {
            send_transcript(c, self, account, id, true, std::move(respond));
          }));
  r.add("GET", v1 + "/requests/:id/diagnostics",
        readable_request_route(ctx, send_diagnostics));
}

} // namespace openassist::gateways
