// desk model: customers (intake, idempotency keys, cancel); the portal's
// own rules are portal_model's.

#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"

#include <algorithm>

#include "actors/intake/routing.hpp"
#include "actors/org/features.hpp"

namespace openassist::actors::desk {

// -- customers
// -----------------------------------------------------------------

json model::open_state(const portal& p, int64_t now_ms) const {
  return portal_model::open_state(p, org_, now_ms);
}

std::variant<uint64_t, failure> model::create(const portal& p, intake in,
                                              int64_t now_ms, effects& fx) {
  auto state = open_state(p, now_ms);
  if (!state["open"].get<bool>()) {
    failure f{errc::forbidden, "closed", "this portal is closed now", ""};
    if (state["next_open"].is_number())
      f.next_open = state["next_open"].get<int64_t>();
    return f;
  }
  if (open_.size() >= cfg_.max_open_requests)
    return failure{errc::busy, "busy",
                   "too many open requests; please try again later", ""};
  std::vector<std::string> skills;
  if (auto bad = portal_model::check_fields(p, in.fields, skills))
    return *bad;
  request r;
  r.id = next_id_;
  r.portal_id = p.id;
  r.created_ms = r.updated_ms = now_ms;
  r.source = std::move(in.source);
  r.token_digest = std::move(in.token_digest);
  r.skills = std::move(skills);
  json customer = {{"name", text_of(in.fields, "name")},
                   {"email", text_of(in.fields, "email")},
                   {"company", text_of(in.fields, "company")},
                   {"problem", text_of(in.fields, "problem")},
                   {"fields", in.fields}};
  r.customer = std::move(customer);
  uint64_t direct = 0;
  if (p.type == "smartmatch") {
    if (in.technician_id == 0)
      return failure{errc::bad_field, "bad_field",
                     "technician_id: choose a technician", "technician_id"};
    if (!serves(p, in.technician_id) || !available(in.technician_id) ||
        !has_capacity(in.technician_id))
      return failure{
        errc::bad_state, "technician_unavailable",
        "this technician is not available any more; please choose another",
        "technician_id"};
    r.pinned_id = in.technician_id;
  } else if (p.type == "smartpin") {
    auto ip = r.source.ip;
    auto now_s = now_ms / 1000;
    if (!guesses_.allowed(ip, now_s)) {
      failure f{errc::limited, "too_many_guesses",
                "too many wrong codes; please wait before trying again",
                "code"};
      f.retry_after_s = std::max<int64_t>(1, guesses_.retry_after(ip, now_s));
      return f;
    }
    std::string digits;
    for (char c : in.code)
      if (c != ' ' && c != '-')
        digits.push_back(c);
    auto c = codes_.find(digits);
    if (!well_formed_connection_code(digits) || c == codes_.end() ||
        c->second.expires_ms <= now_ms || c->second.portal_id != p.id ||
        !is_technician(c->second.technician_id)) {
      guesses_.wrong(ip, now_s);
      return failure{
        errc::bad_field, "invalid_code",
        "this code is not valid: check the digits, or ask your technician "
        "for a new one",
        "code"};
    }
    direct = c->second.technician_id;
    fx.codes.insert(direct);
    fx.event("code.used",
             {{"technician", direct}, {"portal", p.id}, {"request", r.id}});
    codes_.erase(c);
    r.pinned_id = direct;
    r.by_code = true;
  }
  ++next_id_;
  fx.desk = true;
  auto& x = add(std::move(r), false);
  fx.requests.insert(x.id);
  fx.event("request.created", {{"request", x.id},
                               {"portal", x.portal_id},
                               {"type", p.type},
                               {"pinned", x.pinned_id},
                               {"source",
                                {{"device", x.source.device},
                                 {"os", x.source.os},
                                 {"browser", x.source.browser}}}});
  if (!in.idempotency_key.empty()) {
    x.retry_key = in.idempotency_key;
    x.retry_fingerprint = in.fingerprint;
    x.retry_token = in.token;
    remember_intake(x, false);
  }
  route(x, now_ms, fx);
  if (x.st == status::waiting && x.by_code)
    fx.event(
      "request.waiting_for_technician",
      {{"request", x.id}, {"portal", x.portal_id}, {"technician", direct}});
  return x.id;
}

// -- idempotent intakes: bounded by count and time; the key of an open
// request is also stored with it, so a restart keeps it --------------------

portal_model& model::front_door(uint64_t portal) {
  return front_doors_
    .try_emplace(portal, cfg_.idempotency_keys, cfg_.idempotency_ttl_ms)
    .first->second;
}

void model::remember_intake(const request& r, bool stored) {
  if (r.retry_key.empty())
    return;
  front_door(r.portal_id)
    .remember(r.retry_key,
              {r.id, r.retry_token, r.retry_fingerprint, r.created_ms, stored});
}

std::optional<std::variant<intake_replay, failure>>
model::replay_intake(const portal& p, const std::string& key,
                     uint64_t fingerprint, int64_t now_ms) {
  auto* first = front_door(p.id).find(key, now_ms);
  if (key.empty() || first == nullptr || find(first->request_id) == nullptr)
    return std::nullopt;
  if (first->fingerprint != fingerprint)
    return failure{errc::reused, "idempotency_key_reused",
                   "this Idempotency-Key came with another request body", ""};
  if (!first->stored) {
    failure f{errc::bad_state, "in_progress",
              "the first request with this Idempotency-Key is still being "
              "stored; try again in a moment",
              ""};
    f.retry_after_s = 1;
    return f;
  }
  return intake_replay{first->request_id, first->token};
}

void model::intake_stored(uint64_t portal, const std::string& key) {
  front_door(portal).stored(key);
}

std::optional<failure> model::cancel(uint64_t id, int64_t now_ms, effects& fx) {
  auto i = open_.find(id);
  if (i == open_.end())
    return failure{errc::bad_state, "not_open", "this request is over", ""};
  auto pid = i->second.portal_id;
  // A customer who leaves a session a technician has joined ends it as a
  // finished session, which they may rate; before that the request is
  // abandoned.
  if (i->second.st == status::active)
    finish(i->second, status::closed, "customer_left", now_ms, fx);
  else
    finish(i->second, status::abandoned, "cancelled", now_ms, fx);
  // A queue has a new front to route. In web mode a request that leaves
  // frees no technician (finish routes the one it had), so the portal's
  // other waiting requests stay as they are: routing them all again on
  // every cancellation cost O(waiting) and, under load, fed a backlog.
  if (auto* p = portal_by_id(pid); p != nullptr && p->mode == "queue")
    route_portal(pid, now_ms, fx);
  return std::nullopt;
}

} // namespace openassist::actors::desk
