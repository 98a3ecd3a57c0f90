// desk model: customers (open hours, intake, idempotency keys, cancel).

#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"

#include <algorithm>

#include "actors/intake/business_hours.hpp"
#include "actors/intake/routing.hpp"
#include "actors/org/features.hpp"

namespace openassist::actors::desk {

// -- customers
// -----------------------------------------------------------------

json model::open_state(const portal& p, int64_t now_ms) const {
  auto h = org_.hours_sets.find(p.hours_id);
  if (p.hours_id == 0 || h == org_.hours_sets.end())
    return {{"open", true}, {"next_open", nullptr}, {"reason", ""}};
  auto st = compute_open_state(h->second.hours, p.time_zone, now_ms / 1000);
  return {{"open", st.open},
          {"next_open", !st.open && st.next_change_unix
                          ? json(*st.next_change_unix)
                          : json()},
          {"reason", st.reason}};
}

std::optional<failure>
model::check_fields(const portal& p, json& fields,
                    std::vector<std::string>& skills) const {
  json clean = json::object();
  for (auto& f : p.fields) {
    auto i = fields.find(f.key);
    std::string v;
    if (i != fields.end()) {
      if (!i->is_string())
        return bad(f.key, "type", f.key + ": must be text");
      v = i->get<std::string>();
    }
    v.erase(0, v.find_first_not_of(" \t\r\n"));
    v.erase(v.find_last_not_of(" \t\r\n") + 1);
    if (v.empty()) {
      if (f.required)
        return bad(f.key, "required", f.key + ": is required");
      continue;
    }
    size_t limit = f.type == "textarea" ? 4000 : 200;
    if (chars(v) > limit) {
      auto e =
        bad(f.key, "length",
            f.key + ": at most " + std::to_string(limit) + " characters");
      e.max = static_cast<int>(limit);
      return e;
    }
    for (unsigned char c : v)
      if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
        return bad(f.key, "format", f.key + ": contains control characters");
    if (f.type == "email") {
      auto at = v.find('@');
      if (at == std::string::npos || at == 0 ||
          v.find('.', at) == std::string::npos ||
          v.find(' ') != std::string::npos)
        return bad(f.key, "email", f.key + ": must be an e-mail address");
    }
    if (f.type == "skill") {
      if (std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end())
        return bad(f.key, "choice", f.key + ": not one of the choices");
      skills.push_back(v);
    }
    clean[f.key] = v;
  }
  fields = std::move(clean);
  return std::nullopt;
}

std::variant<uint64_t, failure> model::create(const portal& p, intake in,
                                              int64_t now_ms, effects& fx) {
  auto state = open_state(p, now_ms);
  if (!state["open"].get<bool>()) {
    failure f{403, "closed", "this portal is closed now", ""};
    if (state["next_open"].is_number())
      f.next_open = state["next_open"].get<int64_t>();
    return f;
  }
  if (open_.size() >= cfg_.max_open_requests)
    return failure{503, "busy",
                   "too many open requests; please try again later", ""};
  std::vector<std::string> skills;
  if (auto bad = check_fields(p, in.fields, skills))
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
      return failure{400, "bad_field", "technician_id: choose a technician",
                     "technician_id"};
    if (!serves(p, in.technician_id) || !available(in.technician_id) ||
        !has_capacity(in.technician_id))
      return failure{
        409, "technician_unavailable",
        "this technician is not available any more; please choose another",
        "technician_id"};
    r.pinned_id = in.technician_id;
  } else if (p.type == "smartpin") {
    auto ip = r.source.ip;
    auto now_s = now_ms / 1000;
    if (!guesses_.allowed(ip, now_s)) {
      failure f{429, "too_many_guesses",
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
        400, "invalid_code",
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
  r.queue_order = next_back_++;
  auto& x = add(std::move(r));
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

void model::remember_intake(const request& r, bool stored) {
  if (r.retry_key.empty() || cfg_.idempotency_keys == 0)
    return;
  intake_key key{r.portal_id, r.retry_key};
  if (!intakes_by_key_.count(key))
    intake_keys_.push_back(key);
  intakes_by_key_[key] = {r.id, r.retry_token, r.retry_fingerprint,
                          r.created_ms, stored};
  while (intake_keys_.size() > cfg_.idempotency_keys) {
    intakes_by_key_.erase(intake_keys_.front());
    intake_keys_.pop_front();
  }
}

std::optional<std::variant<intake_replay, failure>>
model::replay_intake(const portal& p, const std::string& key,
                     uint64_t fingerprint, int64_t now_ms) {
  // Keys leave in the order they came once their time is up.
  while (!intake_keys_.empty()) {
    auto i = intakes_by_key_.find(intake_keys_.front());
    if (i != intakes_by_key_.end() &&
        i->second.created_ms > now_ms - cfg_.idempotency_ttl_ms)
      break;
    if (i != intakes_by_key_.end())
      intakes_by_key_.erase(i);
    intake_keys_.pop_front();
  }
  if (key.empty())
    return std::nullopt;
  auto i = intakes_by_key_.find({p.id, key});
  if (i == intakes_by_key_.end() || find(i->second.request_id) == nullptr)
    return std::nullopt;
  if (i->second.fingerprint != fingerprint)
    return failure{422, "idempotency_key_reused",
                   "this Idempotency-Key came with another request body", ""};
  if (!i->second.stored) {
    failure f{409, "in_progress",
              "the first request with this Idempotency-Key is still being "
              "stored; try again in a moment",
              ""};
    f.retry_after_s = 1;
    return f;
  }
  return intake_replay{i->second.request_id, i->second.token};
}

void model::intake_stored(uint64_t portal, const std::string& key) {
  if (auto i = intakes_by_key_.find({portal, key}); i != intakes_by_key_.end())
    i->second.stored = true;
}

std::optional<failure> model::cancel(uint64_t id, int64_t now_ms, effects& fx) {
  auto i = open_.find(id);
  if (i == open_.end())
    return failure{409, "not_open", "this request is over", ""};
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
