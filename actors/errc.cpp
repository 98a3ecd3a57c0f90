#include "actors/errc.hpp"

#include "storage/errc.hpp"

namespace openassist::actors {

const char* to_string(errc x) {
  switch (x) {
    case errc::bad_field:
      return "bad_field";
    case errc::not_found:
      return "not_found";
    case errc::forbidden:
      return "forbidden";
    case errc::not_member:
      return "not_member";
    case errc::not_yours:
      return "not_yours";
    case errc::taken:
      return "taken";
    case errc::not_open:
      return "not_open";
    case errc::chat_not_open:
      return "chat_not_open";
    case errc::bad_state:
      return "bad_state";
    case errc::sharing:
      return "sharing";
    case errc::not_requested:
      return "not_requested";
    case errc::full:
      return "full";
    case errc::limited:
      return "limited";
    case errc::unavailable:
      return "unavailable";
    case errc::storage_unavailable:
      return "storage_unavailable";
    case errc::busy:
      return "busy";
    case errc::storage_full:
      return "storage_full";
    case errc::damaged:
      return "damaged";
    case errc::feature_off:
      return "feature_off";
    case errc::no_app:
      return "no_app";
    case errc::not_controlling:
      return "not_controlling";
    case errc::reused:
      return "reused";
    case errc::unauthenticated:
      return "unauthenticated";
    case errc::too_large:
      return "too_large";
  }
  return "unknown";
}

std::string message_of(const caf::error& err) {
  auto& ctx = err.context();
  if (ctx.size() >= 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return {};
}

caf::error make_error(errc x, std::string message, error_details d) {
  return {static_cast<uint8_t>(x), errc_category,
          caf::make_message(std::move(message), std::move(d.code),
                            std::move(d.field), std::move(d.rule), d.min, d.max,
                            d.retry_after_s, d.next_open)};
}

error_details details_of(const caf::error& err) {
  error_details d;
  auto& ctx = err.context();
  if (code_of(err) == 0 ||
      !ctx.match_elements<std::string, std::string, std::string, std::string,
                          int, int, int64_t, int64_t>())
    return d;
  d.code = ctx.get_as<std::string>(1);
  d.field = ctx.get_as<std::string>(2);
  d.rule = ctx.get_as<std::string>(3);
  d.min = ctx.get_as<int>(4);
  d.max = ctx.get_as<int>(5);
  d.retry_after_s = ctx.get_as<int64_t>(6);
  d.next_open = ctx.get_as<int64_t>(7);
  return d;
}

caf::error not_stored(const caf::error& cause, std::string message) {
  if (storage::definite_refusal(cause)) {
    auto why = static_cast<storage::storage_errc>(cause.code());
    if (why == storage::storage_errc::map_full)
      return make_error(errc::storage_full,
                        "storage is full; nothing was changed");
    if (why == storage::storage_errc::busy)
      return make_error(errc::busy, "storage is busy; " + message);
  }
  return make_error(errc::storage_unavailable, std::move(message));
}

caf::error write_failed(const caf::error& cause, std::string message) {
  if (storage::definite_refusal(cause))
    return not_stored(cause, std::move(message));
  return make_error(
    errc::storage_unavailable,
    "storage did not answer; the change may or may not be stored");
}

std::string render_errc(uint8_t code, caf::atom_value,
                        const caf::message& context) {
  std::string out = "oa:";
  out += to_string(static_cast<errc>(code));
  if (context.size() >= 1 && context.match_element<std::string>(0)) {
    out += ": ";
    out += context.get_as<std::string>(0);
  }
  return out;
}

} // namespace openassist::actors
