#include "gateways/app_routes.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

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

// A package's file name: letters, digits and ._+- only, ending in .deb (so
// it needs no escaping in the page and names no other directory).
bool package_name(const std::string& name) {
  if (name.size() < 5 || name.size() > 128 ||
      name.compare(name.size() - 4, 4, ".deb") != 0 || name[0] == '.')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' ||
           c == '_' || c == '+' || c == '-';
  });
}

std::vector<std::pair<std::string, uintmax_t>>
packages(const std::string& dir) {
  std::vector<std::pair<std::string, uintmax_t>> out;
  std::error_code ec;
  if (dir.empty())
    return out;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    auto name = e.path().filename().string();
    if (e.is_regular_file(ec) && package_name(name))
      out.emplace_back(name, e.file_size(ec));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The downloads page: plain HTML, no script (the strict CSP holds).
std::string downloads_page(const std::string& dir) {
  std::string list;
  for (auto& [name, size] : packages(dir))
    list += "<li><a href=\"/downloads/" + name + "\" download>" + name +
            "</a> (" + std::to_string((size + 1023) / 1024) + " KiB)</li>";
  if (list.empty())
    list = "<li>No package is published on this server yet. Ask your "
           "support team, or build it from the sources with <code>make "
           "package-agent</code>.</li>";
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width\">"
         "<title>openassist support app</title></head><body>"
         "<h1>The openassist support app</h1>"
         "<p>For Linux desktops (X11). It shares your whole screen with the "
         "technician and, only if you allow it, lets them use your mouse and "
         "keyboard. You can stop both at any time from its window.</p>"
         "<ul>" +
         list +
         "</ul><h2>Install and start</h2><ol>"
         "<li><code>sudo apt install ./openassist-agent_*.deb</code></li>"
         "<li>Get a code on the support page in your browser and start the "
         "app with the link shown there: <code>openassist-agent "
         "LINK</code></li></ol></body></html>";
}

} // namespace

void add_app_routes(router& r, api_context ctx,
                    std::shared_ptr<static_files> files,
                    const std::string& downloads_dir) {
  auto packages_dir = std::make_shared<static_files>(
    downloads_dir.empty() ? std::string{"/nonexistent"} : downloads_dir);
  r.add("GET", "/downloads/",
        [downloads_dir](const http_request&, const path_params&,
                        responder respond) {
          http_response res;
          res.status = 200;
          res.content_type = "text/html; charset=utf-8";
          res.body = downloads_page(downloads_dir);
          respond(std::move(res));
        });
  r.add("GET", "/downloads/:file",
        [packages_dir](const http_request& req, const path_params& params,
                       responder respond) {
          auto i = params.find("file");
          if (i == params.end() || !package_name(i->second))
            return respond(
              http_response::error(404, "not_found", "no such package"));
          auto res =
            packages_dir->serve("/" + i->second, req.header("If-None-Match"));
          if (res.status == 200)
            res.headers.emplace_back("Content-Disposition",
                                     "attachment; filename=\"" + i->second +
                                       "\"");
          respond(std::move(res));
        });
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
