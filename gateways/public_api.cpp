#include "gateways/public_api.hpp"

#include <cctype>
#include <chrono>
#include <mutex>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/intake/desk.hpp"
#include "actors/json_fields.hpp"
#include "actors/rate_limiter.hpp"
#include "actors/session/session.hpp"
#include "gateways/app_codes.hpp"
#include "gateways/customer_input.hpp"
#include "gateways/error_table.hpp"
#include "gateways/json_body.hpp"
#include "gateways/user_agent.hpp"

namespace openassist::gateways {

namespace {

using json = nlohmann::json;

bool valid_slug(std::string_view s) {
  return s.size() >= 2 && s.size() <= 40 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
           std::string_view::npos;
}

// A route's one-shot bridge actor: looks up the account's desk, sends it
// `msg` and answers its body with `status` after `shape` (refusals through
// the error table, also after `shape`). An unknown account is 404, like an
// unknown portal.
template <class Shape>
void desk_call(const api_context& ctx, const std::string& account,
               responder respond, caf::message msg, Shape shape,
               unsigned status = 200) {
  responder shaped = [respond, shape](http_response res) {
    shape(res);
    respond(std::move(res));
  };
  spawn_bridge(
    ctx, respond,
    [ctx, account, shaped, msg, status](caf::event_based_actor* self) {
      ask_desk(ctx, self, account, msg, shaped,
               [self, shaped, status](std::string& body) {
                 shaped(http_response::raw_json(status, std::move(body)));
                 self->quit();
               });
    });
}

void no_shape(http_response&) {}

// Public reads (the portal's data and status) per address (IPv6 by /64) and
// minute: each costs a bridge actor, a directory lookup and a message to the
// tenant's desk. Shared by the I/O threads, hence the mutex.
class read_throttle {
public:
  explicit read_throttle(size_t per_min)
    : per_min_(per_min), limiter_({per_min, 60000, 100000, 100000}) {}

  /// 0 when `address` may read now, else the seconds to wait.
  int64_t wait_s(const std::string& address) {
    if (per_min_ == 0)
      return 0;
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count();
    auto key = actors::address_key(address);
    std::lock_guard<std::mutex> guard{mutex_};
    if (limiter_.try_hit(key, now))
      return 0;
    return std::max<int64_t>(1,
                             (limiter_.retry_after_ms(key, now) + 999) / 1000);
  }

private:
  size_t per_min_;
  std::mutex mutex_;
  actors::rate_limiter limiter_;
};

http_response too_many_reads(int64_t wait_s) {
  auto res =
    http_response::error(429, "too_many_requests",
                         "too many requests from your address; please wait");
  res.headers.emplace_back("Retry-After", std::to_string(wait_s));
  return res;
}

// An Idempotency-Key as clients send them (a UUID or similar): 1 to 255
// visible ASCII characters.
bool valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 255)
    return false;
  for (unsigned char c : key)
    if (c < 0x21 || c > 0x7e)
      return false;
  return true;
}

// Never throws: outside text that is not UTF-8 is replaced, not fatal.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

void ask_desk(const api_context& ctx, caf::event_based_actor* self,
              const std::string& account, caf::message msg, responder respond,
              std::function<void(std::string&)> next) {
  self
    ->request(ctx.directory, ctx.timeout, cluster::lookup_atom::value,
              "desk/" + account)
    .then(
      [=](caf::actor& desk) {
        self->request(desk, ctx.timeout, msg)
          .then([next](std::string& body) mutable { next(body); },
                [=](caf::error& err) {
                  respond(error_response(err));
                  self->quit();
                });
      },
      [=](caf::error& err) {
        if (err.category() == caf::atom("directory") &&
            err.code() ==
              static_cast<uint8_t>(cluster::directory_errc::spawn_failed))
          respond(http_response::error(404, "not_found", "no such portal"));
        else
          respond(http_response::error(503, "unavailable", "try again"));
        self->quit();
      });
}

namespace {

// Asks the session of request `id` for `msg`; `ok` answers its reply (of
// type T), refusals are answered in the error format; `self` quits.
template <class T>
void ask_session(const api_context& ctx, caf::event_based_actor* self,
                 const std::string& account, const std::string& id,
                 caf::message msg, responder respond,
                 std::function<http_response(T&)> ok) {
  self
    ->request(ctx.directory, ctx.timeout, cluster::lookup_atom::value,
              "session/" + account + "/" + id)
    .then(
      [=](caf::actor& s) {
        self->request(s, ctx.timeout, msg)
          .then(
            [=](T& reply) {
              respond(ok(reply));
              self->quit();
            },
            [=](caf::error& err) {
              respond(error_response(err));
              self->quit();
            });
      },
      [=](caf::error&) {
        respond(http_response::error(404, "not_found", "no such request"));
        self->quit();
      });
}

} // namespace

void send_transcript(const api_context& ctx, caf::event_based_actor* self,
                     const std::string& account, const std::string& id,
                     bool with_private, responder respond,
                     const std::string& lang) {
  ask_session<std::string>(
    ctx, self, account, id,
    caf::make_message(actors::session_transcript_atom::value, with_private,
                      lang),
    std::move(respond), [id](std::string& text) {
      http_response res;
      res.content_type = "text/plain; charset=utf-8";
      res.body = std::move(text);
      res.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"chat-" + id + ".txt\"");
      res.headers.emplace_back("Cache-Control", "no-store");
      return res;
    });
}

void send_diagnostics(const api_context& ctx, caf::event_based_actor* self,
                      const std::string& account, const std::string& id,
                      responder respond) {
  ask_session<std::string>(
    ctx, self, account, id,
    caf::make_message(actors::session_diag_get_atom::value), std::move(respond),
    [](std::string& body) {
      return http_response::raw_json(200, std::move(body));
    });
}

namespace {

// Common checks of /portals/:account/:slug routes; false when answered.
bool portal_params(const path_params& params, std::string& account,
                   std::string& slug, const responder& respond) {
  for (auto& [k, v] : params) {
    if (k == "account")
      account = v;
    else if (k == "slug")
      slug = v;
  }
  if (!valid_account_id(account) || !valid_slug(slug)) {
    respond(http_response::error(404, "not_found", "no such portal"));
    return false;
  }
  return true;
}

// The id and the customer's token of /portals/:account/:slug/requests/:id/...
// routes; false when the request was answered already.
bool customer_request_params(const http_request& req, const path_params& params,
                             const responder& respond, std::string& account,
                             std::string& slug, std::string& id,
                             std::string& token) {
  if (!portal_params(params, account, slug, respond))
    return false;
  if (auto i = params.find("id"); i != params.end())
    id = i->second;
  http_response err;
  auto body = json_object_body(req, err);
  if (!body) {
    respond(std::move(err));
    return false;
  }
  auto t = body->find("token");
  token = t != body->end() && t->is_string() ? t->get<std::string>() : "";
  return true;
}

// Runs `next(self, request_state)` in a bridge actor once the account's desk
// took `token` as the customer's of request `id`; a wrong id or token is
// answered as the desk said.
void with_customer_request(
  const api_context& ctx, const std::string& account, const std::string& id,
  const std::string& token, const responder& respond,
  std::function<void(caf::event_based_actor*, std::string&)> next) {
  spawn_bridge(ctx, respond, [=](caf::event_based_actor* self) {
    ask_desk(ctx, self, account,
             caf::make_message(actors::desk_attach_atom::value, id, token,
                               caf::actor{}),
             respond, [=](std::string& out) { next(self, out); });
  });
}

// This node as the client reached it (for links the customer copies): the
// Host header when it is a plain host name or address, else localhost.
std::string origin_of(const http_request& req, bool https) {
  std::string host{req.header("Host")};
  bool plain = !host.empty() && host.size() <= 255;
  for (unsigned char c : host)
    plain = plain && (std::isalnum(c) != 0 || c == '.' || c == '-' ||
                      c == ':' || c == '[' || c == ']');
  return std::string{https ? "https://" : "http://"} +
         (plain ? host : std::string{"localhost"});
}

} // namespace

void add_public_routes(router& r, api_context ctx,
                       std::shared_ptr<static_files> files,
                       size_t reads_per_address_per_min) {
  const std::string base = "/api/v1/public/portals/:account/:slug";
  auto throttle = std::make_shared<read_throttle>(reads_per_address_per_min);
  // The portal's own page: one HTML for all portals, it reads its URL.
  r.add(
    "GET", "/p/:account/:slug",
    [files](const http_request& req, const path_params&, responder respond) {
      respond(files->serve("/portal/index.html", req.header("If-None-Match")));
    });
  r.add("GET", base,
        [ctx, throttle](const http_request& req, const path_params& params,
                        responder respond) {
          if (auto wait = throttle->wait_s(req.remote_address))
            return respond(too_many_reads(wait));
          std::string account, slug;
          if (!portal_params(params, account, slug, respond))
            return;
          desk_call(ctx, account, respond,
                    caf::make_message(actors::desk_portal_atom::value, slug),
                    no_shape);
        });
  r.add("GET", base + "/status",
        [ctx, throttle](const http_request& req, const path_params& params,
                        responder respond) {
          if (auto wait = throttle->wait_s(req.remote_address))
            return respond(too_many_reads(wait));
          std::string account, slug;
          if (!portal_params(params, account, slug, respond))
            return;
          desk_call(
            ctx, account, respond,
            caf::make_message(actors::desk_status_atom::value, slug),
            [](http_response& res) {
              // For company web sites: any origin may read it, and every
              // visitor's poll within 5 s may be served from a cache.
              res.headers.emplace_back("Access-Control-Allow-Origin", "*");
              res.headers.emplace_back("Cache-Control", "public, max-age=5");
            });
        });
  r.add("POST", base + "/requests",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          std::string account, slug;
          if (!portal_params(params, account, slug, respond))
            return;
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          // A retry with the same Idempotency-Key gets the first request back.
          auto key = req.header("Idempotency-Key");
          if (!key.empty() && !valid_idempotency_key(key))
            return respond(http_response::error(
              400, "bad_header",
              "Idempotency-Key: 1 to 255 visible ASCII characters"));
          auto ua = parse_user_agent(req.header("User-Agent"));
          auto form = read_intake(
            *body, {req.remote_address, ua.device, ua.os, ua.browser},
            std::string{key});
          if (!form)
            return respond(error_response(form.error()));
          desk_call(
            ctx, account, respond,
            caf::make_message(actors::desk_intake_atom::value, slug,
                              std::move(*form)),
            // 429, and 409 `in_progress` (a retry while the first is being
            // stored), say when to try again: the error table's Retry-After.
            no_shape, 201);
        });
  r.add("POST", base + "/requests/:id/transcript",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          std::string account, slug, id, token;
          if (!customer_request_params(req, params, respond, account, slug, id,
                                       token))
            return;
          // The customer's language (their page's), for the system lines.
          std::string lang = "en";
          http_response unused;
          if (auto body = json_object_body(req, unused))
            if (auto l = body->find("lang"); l != body->end()) {
              if (!l->is_string() || (*l != "en" && *l != "de"))
                return respond(
                  http_response::error(400, "bad_field", "lang: en or de"));
              lang = l->get<std::string>();
            }
          // The customer's token opens their own request's chat, without
          // private notes.
          with_customer_request(
            ctx, account, id, token, respond,
            [=](caf::event_based_actor* self, std::string&) {
              send_transcript(ctx, self, account, id, false, respond, lang);
            });
        });
  // A one-time code for the customer's support app (docs/remote-control.md):
  // only for the request's own token, while a technician is in the session.
  r.add("POST", base + "/requests/:id/app-code",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          std::string account, slug, id, token;
          if (!customer_request_params(req, params, respond, account, slug, id,
                                       token))
            return;
          if (!ctx.join_codes)
            return respond(http_response::error(
              404, "not_found", "this node does not take the support app"));
          if (id.empty() || token.empty() || token.size() > 128)
            return respond(http_response::error(
              404, "not_found", "no such request, or a wrong token"));
          with_customer_request(
            ctx, account, id, token, respond,
            [=](caf::event_based_actor* self, std::string& out) {
              auto doc = json::parse(out, nullptr, false);
              auto request = doc.is_object()
                               ? doc.value("request", json::object())
                               : json::object();
              if (!request.is_object() ||
                  request.value("status", std::string{}) != "active") {
                respond(http_response::error(
                  409, "chat_not_open",
                  "the support app joins once a technician is in the "
                  "session"));
                return self->quit();
              }
              auto now = actors::wall_ms();
              auto code = ctx.join_codes->mint({account, id, token, slug}, now);
              respond(http_response::json(
                201, json{{"code", code},
                          {"link", origin_of(req, ctx.secure_cookies) +
                                     "/app/join/" + code},
                          {"expires_in_s", app_codes::lifetime_ms / 1000}}));
              self->quit();
            });
        });
  r.add("POST", base + "/requests/:id/cancel",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          std::string account, slug, id, token;
          if (!customer_request_params(req, params, respond, account, slug, id,
                                       token))
            return;
          desk_call(
            ctx, account, respond,
            caf::make_message(actors::desk_cancel_atom::value, id, token),
            [](http_response& res) {
              if (res.status != 200)
                return;
              auto doc = json::parse(res.body, nullptr, false);
              if (!doc.is_discarded() && doc.contains("request"))
                res.body = dump(doc["request"]);
            });
        });
}

} // namespace openassist::gateways
