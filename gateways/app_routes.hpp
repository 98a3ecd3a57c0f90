#pragma once

#include <memory>

#include "gateways/api_v1.hpp"
#include "gateways/static_files.hpp"

namespace openassist::gateways {

/// The customer's support app (docs/remote-control.md, "Joining"): the page a
/// join link opens, `GET /app/join/:code`, and the app's join,
/// `POST /api/v1/app/join` `{"code"}` -> the request it joins (no login; a
/// code works once, tries are limited per address). The codes are
/// `ctx.join_codes`, minted by the customer's page
/// (`.../requests/:id/app-code`, public_api.hpp). The app's packages (.deb
/// files in `downloads_dir`, "" for none) are listed at `GET /downloads/`
/// and served at `GET /downloads/:file`.
void add_app_routes(router& r, api_context ctx,
                    std::shared_ptr<static_files> files,
                    const std::string& downloads_dir = "");

} // namespace openassist::gateways
