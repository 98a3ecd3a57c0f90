#include "gateways/report_routes.hpp"

#include <functional>

#include <caf/event_based_actor.hpp>

#include "actors/intake/desk.hpp"
#include "gateways/public_api.hpp"

namespace openassist::gateways {

std::optional<uint64_t> query_number(const http_request& req,
                                     std::string_view name, uint64_t fallback) {
  auto v = query_param(req.query, name);
  if (v.empty())
    return fallback;
  if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(v);
}

std::optional<http_response> history_filter_from(const http_request& req,
                                                 actors::history_filter& out) {
  auto portal = query_number(req, "portal_id", 0);
  auto technician = query_number(req, "technician_id", 0);
  auto team = query_number(req, "team_id", 0);
  auto from = query_number(req, "from", 0);
  auto to = query_number(req, "to", 0);
  if (!portal || !technician || !team || !from || !to)
    return http_response::error(
      400, "bad_field",
      "portal_id, technician_id, team_id, from and to: whole numbers");
  if (*to != 0 && *from >= *to)
    return http_response::error(400, "bad_field", "from: must be before to");
  out = {*portal, *technician, *team, *from, *to};
  return std::nullopt;
}

namespace {

// Asks the account's desk `ask(user)` and answers its JSON, or its CSV as a
// download named `file`.
void report_answer(api_context ctx, const http_request& req, responder respond,
                   std::function<caf::message(uint64_t)> ask, bool csv,
                   std::string file) {
  with_login(
    ctx, req, respond,
    [ctx, respond, ask, csv, file](caf::event_based_actor* self,
                                   const std::string& account, uint64_t user) {
      ask_desk(ctx, self, account, ask(user), respond, [=](std::string& body) {
        if (!csv) {
          respond(http_response::raw_json(200, std::move(body)));
          return self->quit();
        }
        http_response res;
        res.content_type = "text/csv; charset=utf-8";
        res.body = std::move(body);
        res.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"" + file + ".csv\"");
        res.headers.emplace_back("Cache-Control", "no-store");
        respond(std::move(res));
        self->quit();
      });
    });
}

// GET /api/v1/reports/monthly: the months there are, or a monthly report
// (docs/reports.md, "Monthly reports").
void monthly_report(api_context ctx, const http_request& req, responder respond,
                    bool csv) {
  actors::monthly_options ask;
  ask.from_month = query_param(req.query, "from");
  ask.to_month = query_param(req.query, "to");
  if (ask.to_month.empty())
    ask.to_month = ask.from_month;
  if (auto kind = query_param(req.query, "kind"); !kind.empty())
    ask.kind = kind;
  auto portal = query_number(req, "portal_id", 0);
  auto technician = query_number(req, "technician_id", 0);
  auto team = query_number(req, "team_id", 0);
  auto target = query_number(req, "target_s", 60);
  if (!portal || !technician || !team || !target)
    return respond(http_response::error(
      400, "bad_field",
      "portal_id, technician_id, team_id and target_s: whole numbers"));
  if (*target > 3600)
    return respond(http_response::error(
      400, "bad_field", "target_s: 15, 30, 60, 120, 300 or 600 seconds"));
  ask.target_ms = static_cast<int64_t>(*target) * 1000;
  ask.csv = csv && !ask.from_month.empty();
  actors::history_filter filter{*portal, *technician, *team, 0, 0};
  auto file = "monthly-" + ask.kind + "-" + ask.from_month;
  auto csv_out = ask.csv;
  report_answer(
    ctx, req, std::move(respond),
    [ask, filter](uint64_t user) {
      return caf::make_message(actors::desk_monthly_atom::value, user, ask,
                               filter);
    },
    csv_out, file);
}

} // namespace

void add_report_routes(router& r, api_context ctx) {
  // Before the daily reports' route, which would take "monthly" as a kind.
  r.add("GET", "/api/v1/reports/monthly",
        [ctx](const http_request& req, const path_params&, responder respond) {
          auto format = query_param(req.query, "format");
          if (!format.empty() && format != "csv" && format != "json")
            return respond(
              http_response::error(400, "bad_field", "format: csv or json"));
          monthly_report(ctx, req, std::move(respond), format == "csv");
        });
  r.add("GET", "/api/v1/reports/:kind",
        [ctx](const http_request& req, const path_params& params,
              responder respond) {
          auto kind = params.count("kind") ? params.at("kind") : std::string{};
          auto format = query_param(req.query, "format");
          if (!format.empty() && format != "csv" && format != "json")
            return respond(
              http_response::error(400, "bad_field", "format: csv or json"));
          actors::history_filter filter;
          if (auto refused = history_filter_from(req, filter))
            return respond(std::move(*refused));
          if (filter.from_ms == 0 || filter.to_ms == 0)
            return respond(http_response::error(
              400, "bad_field", "from and to: the report's range is needed"));
          auto target = query_number(req, "target_s", 60);
          if (!target || *target < 1 || *target > 3600)
            return respond(http_response::error(
              400, "bad_field", "target_s: from 1 to 3600 seconds"));
          actors::report_options options{format == "csv",
                                         static_cast<int64_t>(*target) * 1000};
          report_answer(
            ctx, req, std::move(respond),
            [kind, filter, options](uint64_t user) {
              return caf::make_message(actors::desk_report_atom::value, user,
                                       kind, filter, options);
            },
            options.csv, kind + "-" + std::to_string(filter.from_ms));
        });
}

} // namespace openassist::gateways
