#include "gateways/error_table.hpp"

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
    return {status_of(x), actors::to_string(x),
            message.empty() ? std::string{"try again"} : message};
  }
  if (storage::definite_refusal(err)) {
    // Passed on as the writer said it (its context is for logs).
    auto f =
      storage::describe_write_failure(err, "nothing was changed; try again");
    return {f.status, f.code, f.message};
  }
  return {};
}

http_response error_response(const caf::error& err) {
  auto a = describe(err);
  return http_response::error(a.status, a.code, a.message);
}

} // namespace openassist::gateways
