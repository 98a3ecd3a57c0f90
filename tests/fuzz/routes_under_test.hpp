#pragma once

// The routing table shapes the product uses: literal, captured and wildcard
// routes, answering with what they matched.
#include <nlohmann/json.hpp>

#include "gateways/router.hpp"

inline openassist::gateways::router fuzz_router_table() {
  using namespace openassist::gateways;
  router r;
  auto echo = [](const http_request& req, const path_params& p, responder respond) {
    nlohmann::json out = {{"path", req.path}};
    for (auto& [k, v] : p)
      out[k] = v;
    respond(http_response::json(200, out));
  };
  r.add("GET", "/api/v1/status", echo);
  r.add("GET", "/api/v1/portals/:id", echo);
  r.add("PUT", "/api/v1/portals/:id/settings/:name", echo);
  r.add("DELETE", "/api/v1/portals/:id", echo);
  r.add("GET", "/*", echo, "static");
  return r;
}
