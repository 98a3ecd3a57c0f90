#pragma once

#include <optional>
#include <string>

#include "actors/intake/desk_model.hpp"

namespace openassist::actors {

/// The mail a customer gets when their request is taken in, where the
/// portal asked for an e-mail address (the first `email` field they filled
/// in): the request's number and a link that reattaches this request in a
/// browser, `<public_url>/p/<account>/<slug>#request=<id>&token=<token>`.
/// The id and token ride in the URL fragment, which browsers never send to a
/// server (nor to its logs). `lang` is "de" for German, anything else is
/// English. None without an address or a public URL.
std::optional<desk::mail>
confirmation_mail(const std::string& public_url, const std::string& account,
                  const portal& p, uint64_t request_id,
                  const nlohmann::json& customer_fields,
                  const std::string& token, const std::string& lang);

/// The link of a confirmation mail (see above).
std::string resume_link(const std::string& public_url,
                        const std::string& account, const std::string& slug,
                        uint64_t request_id, const std::string& token);

} // namespace openassist::actors
