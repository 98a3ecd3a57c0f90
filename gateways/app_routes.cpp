#include "gateways/app_routes.hpp"

#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "gateways/app_codes.hpp"
#include "gateways/json_body.hpp"

namespace openassist::gateways {

namespace {

using json = nlohmann::json;

// A code as people type it: digits, maybe grouped with spaces or dashes.
std::string digits_of(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c >= '0' && c <= '9')
      out.push_back(c);
    else if (c != ' ' && c != '-')
      return {};
  }
  return out;
}

} // namespace

void add_app_routes(router& r, api_context ctx,
                    std::shared_ptr<static_files> files) {
  // One page for all codes: it reads the code from its URL.
  r.add(
    "GET", "/app/join/:code",
    [files](const http_request& req, const path_params&, responder respond) {
      respond(files->serve("/join/index.html", req.header("If-None-Match")));
    });
  r.add("POST", "/api/v1/app/join",
        [ctx](const http_request& req, const path_params&, responder respond) {
          if (!ctx.join_codes)
            return respond(http_response::error(
              404, "not_found", "this node does not take the support app"));
          auto now = actors::wall_ms();
          if (auto wait = ctx.join_codes->wait_s(req.remote_address, now)) {
            auto res = http_response::error(
              429, "rate_limited", "too many tries from your address; wait");
            res.headers.emplace_back("Retry-After", std::to_string(wait));
            return respond(std::move(res));
          }
          http_response err;
          auto body = json_object_body(req, err);
          if (!body)
            return respond(std::move(err));
          auto c = body->find("code");
          if (c == body->end() || !c->is_string())
            return respond(http_response::error(400, "bad_field",
                                                "code: the code from the "
                                                "customer's page"));
          auto code = digits_of(c->get<std::string>());
          auto grant = code.size() == app_codes::digits
                         ? ctx.join_codes->redeem(code, now)
                         : std::nullopt;
          if (!grant)
            return respond(http_response::error(
              404, "not_found",
              "this code is unknown, used or expired; ask for a new one on "
              "the support page"));
          respond(
            http_response::json(200, json{{"account", grant->account},
                                          {"request_id", grant->request_id},
                                          {"token", grant->token},
                                          {"portal", grant->portal}}));
        });
}

} // namespace openassist::gateways
