#include "gateways/error_table.hpp"

#include <nlohmann/json.hpp>

#include "actors/errc.hpp"
#include "storage/errc.hpp"

namespace openassist::gateways {

namespace {

unsigned status_of(actors::errc x) {
  using actors::errc;
  switch (x) {
    case errc::bad_field:
      return 400;
    case errc::not_found:
      return 404;
    case errc::forbidden:
    case errc::not_member:
    case errc::not_yours:
    case errc::feature_off:
    case errc::not_controlling:
      return 403;
    case errc::taken:
    case errc::not_open:
    case errc::chat_not_open:
    case errc::bad_state:
    case errc::sharing:
    case errc::not_requested:
    case errc::full:
    case errc::no_app:
      return 409;
    case errc::limited:
      return 429;
    case errc::unavailable:
    case errc::storage_unavailable:
    case errc::busy:
      return 503;
    case errc::storage_full:
      return 507;
    case errc::reused:
      return 422;
    case errc::unauthenticated:
      return 401;
    case errc::too_large:
      return 413;
    case errc::damaged:
      return 500;
  }
  return 500;
}

} // namespace

error_answer describe(const caf::error& err) {
  if (actors::code_of(err) != 0) {
    auto x = static_cast<actors::errc>(err.code());
    auto message = actors::message_of(err);
    auto details = actors::details_of(err);
    std::string code =
      details.code.empty() ? actors::to_string(x) : details.code;
    return {status_of(x), std::move(code),
            message.empty() ? std::string{"try again"} : message,
            std::move(details)};
  }
  if (storage::definite_refusal(err)) {
    // Passed on as the writer said it (its context is for logs).
    auto f =
      storage::describe_write_failure(err, "nothing was changed; try again");
    return {f.status, f.code, f.message, {}};
  }
  return {};
}

nlohmann::json error_object(const error_answer& a) {
  nlohmann::json out = {{"code", a.code}, {"message", a.message}};
  auto& d = a.details;
  if (!d.field.empty())
    out["field"] = d.field;
  if (!d.rule.empty())
    out["rule"] = d.rule;
  if (d.min >= 0)
    out["min"] = d.min;
  if (d.max >= 0)
    out["max"] = d.max;
  if (d.retry_after_s > 0)
    out["retry_after_s"] = d.retry_after_s;
  if (d.next_open >= 0)
    out["next_open"] = d.next_open;
  return out;
}

http_response error_response(const caf::error& err) {
  auto a = describe(err);
  auto res = http_response::json(a.status, {{"error", error_object(a)}});
  if (a.details.retry_after_s > 0)
    res.headers.emplace_back("Retry-After",
                             std::to_string(a.details.retry_after_s));
  return res;
}

} // namespace openassist::gateways
