// Who may see what at the desk: team managers' teams, customers' tokens,
// readers of a request's chat.

#include "actors/intake/desk_internal.hpp"

#include <sodium.h>

#include "actors/identity/credentials.hpp"

namespace openassist::actors::desk_detail {

// The teams a team manager manages, with all their sub-teams.
std::set<uint64_t> managed_teams(const org_account& org,
                                 const org_user& manager) {
  return with_sub_teams(
    org, {manager.managed_team_ids.begin(), manager.managed_team_ids.end()});
}

// Whether `technician` is in one of `teams`.
bool in_teams(const org_account& org, const std::set<uint64_t>& teams,
              uint64_t technician) {
  auto t = org.users.find(technician);
  return t != org.users.end() && teams.count(t->second.team_id) > 0;
}

std::optional<uint64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(s);
}

// The request a customer's token opens, or nullptr.
const desk::request* customer_request(desk_state& st, const std::string& id,
                                      const std::string& token) {
  auto n = parse_id(id);
  if (!n || token.empty() || token.size() > 128)
    return nullptr;
  auto* r = st.m.find(*n);
  auto digest = token_digest(token);
  if (r == nullptr || r->token_digest.size() != digest.size() ||
      sodium_memcmp(r->token_digest.data(), digest.data(), digest.size()) != 0)
    return nullptr;
  return r;
}

// Whether a user may read a request's chat (technicians who see it, or with
// `participants_only` only its technician; the account's managers).
reply may_read(desk_state& st, uint64_t user, const std::string& id,
               bool participants_only) {
  auto n = parse_id(id);
  auto& users = st.m.org().users;
  auto u = users.find(user);
  if (!n || u == users.end() || u->second.deleted)
    return error_reply(404, "not_found", "no such request");
  if (u->second.r == role::technician) {
    auto* r = st.m.find(*n);
    if (r == nullptr || !st.m.visible_to(*r, user) ||
        (participants_only && !st.m.participant(*r, user)))
      return error_reply(404, "not_found", "no such request for you");
    return reply(200u, "{}");
  }
  // Managers read the requests of their account; team managers those
  // their teams' technicians handled.
  auto v =
    st.cfg.env->get(storage::table::requests, request_key(st.cfg.account, *n));
  if (!v || !*v)
    return error_reply(404, "not_found", "no such request");
  if (u->second.r == role::team_manager) {
    auto doc = json::parse(**v, nullptr, false);
    auto r = doc.is_discarded() ? std::nullopt : desk::model::from_storage(doc);
    if (!r || !in_teams(st.m.org(), managed_teams(st.m.org(), u->second),
                        r->technician_id))
      return error_reply(404, "not_found", "no such request of your teams");
  }
  return reply(200u, "{}");
}

} // namespace openassist::actors::desk_detail
