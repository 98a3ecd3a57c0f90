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

namespace {

// The stored request `id`, nullopt when there is none (or it cannot be read).
std::optional<desk::request> stored_request(desk_state& st, uint64_t id) {
  auto v =
    st.cfg.env->get(storage::table::requests, request_key(st.cfg.account, id));
  if (!v || !*v)
    return std::nullopt;
  auto doc = json::parse(**v, nullptr, false);
  return doc.is_discarded() ? std::nullopt : desk::model::from_storage(doc);
}

} // namespace

// Whether a user may read a request's chat (technicians who see it, or with
// `participants_only` only its technician; technicians allowed own reports
// their own sessions, also ended ones; the account's managers).
reply may_read(desk_state& st, uint64_t user, const std::string& id,
               bool participants_only) {
  auto n = parse_id(id);
  auto& org = st.m.org();
  auto u = org.users.find(user);
  if (!n || u == org.users.end() || u->second.deleted)
    return error_reply(errc::not_found, "not_found", "no such request");
  if (u->second.r == role::technician) {
    auto* r = st.m.find(*n);
    if (r != nullptr && st.m.visible_to(*r, user) &&
        (!participants_only || st.m.participant(*r, user)))
      return reply("{}");
    // The limited Management Center: their own sessions, as they were
    // stored (its technician at the end, or a colleague who joined).
    if (may_run_reports(org, u->second))
      if (auto own = stored_request(st, *n);
          own && (own->technician_id == user || own->colleague(user)))
        return reply("{}");
    return error_reply(errc::not_found, "not_found", "no such request for you");
  }
  // Managers read the requests of their account; team managers those
  // their teams' technicians handled.
  auto r = stored_request(st, *n);
  if (!r)
    return error_reply(errc::not_found, "not_found", "no such request");
  if (u->second.r == role::team_manager &&
      !in_teams(org, managed_teams(org, u->second), r->technician_id))
    return error_reply(errc::not_found, "not_found",
                       "no such request of your teams");
  return reply("{}");
}

reply may_replay(desk_state& st, uint64_t user, const std::string& id) {
  auto& users = st.m.org().users;
  auto u = users.find(user);
  if (u == users.end() || u->second.deleted)
    return error_reply(errc::not_found, "not_found", "no such request");
  if (u->second.r != role::technician)
    return may_read(st, user, id, false);
  // Technicians allowed their own reports replay and export the sessions
  // they handled themselves (not those they joined as colleagues).
  if (!may_run_reports(st.m.org(), u->second))
    return error_reply(errc::forbidden, "forbidden",
                       "recordings are replayed by managers, and by "
                       "technicians allowed own reports for their sessions");
  auto n = parse_id(id);
  auto own = n ? stored_request(st, *n) : std::nullopt;
  if (!own || own->technician_id != user)
    return error_reply(errc::not_found, "not_found",
                       "no such session of yours");
  return reply("{}");
}

} // namespace openassist::actors::desk_detail
