#include "actors/intake/portal_model.hpp"

#include <algorithm>
#include <utility>

#include "actors/intake/business_hours.hpp"
#include "actors/intake/desk_input.hpp"
#include "actors/org/email_address.hpp"

namespace openassist::actors::desk {

using json = nlohmann::json;

portal_model::portal_model(size_t keys, int64_t key_ttl_ms)
  : max_keys_(keys), key_ttl_ms_(key_ttl_ms) {}

json portal_model::open_state(const portal& p, const org_account& org,
                              int64_t now_ms) {
  auto h = org.hours_sets.find(p.hours_id);
  if (p.hours_id == 0 || h == org.hours_sets.end())
    return {{"open", true}, {"next_open", nullptr}, {"reason", ""}};
  auto st = compute_open_state(h->second.hours, p.time_zone, now_ms / 1000);
  return {{"open", st.open},
          {"next_open", !st.open && st.next_change_unix
                          ? json(*st.next_change_unix)
                          : json()},
          {"reason", st.reason}};
}

std::optional<failure>
portal_model::check_fields(const portal& p, json& fields,
                           std::vector<std::string>& skills) {
  json clean = json::object();
  std::vector<std::string> chosen;
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
    if (f.type == "email" && !valid_email(v))
      return bad(f.key, "email", f.key + ": must be an e-mail address");
    if (f.type == "skill") {
      if (std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end())
        return bad(f.key, "choice", f.key + ": not one of the choices");
      chosen.push_back(v);
    }
    clean[f.key] = v;
  }
  fields = std::move(clean);
  skills.insert(skills.end(), chosen.begin(), chosen.end());
  return std::nullopt;
}

void portal_model::remember(const std::string& key, kept_intake intake) {
  if (max_keys_ == 0)
    return;
  if (!by_key_.count(key))
    order_.push_back(key);
  by_key_[key] = std::move(intake);
  while (order_.size() > max_keys_) {
    by_key_.erase(order_.front());
    order_.pop_front();
  }
}

const portal_model::kept_intake* portal_model::find(const std::string& key,
                                                    int64_t now_ms) {
  // Keys leave in the order they came once their time is up.
  while (!order_.empty()) {
    auto i = by_key_.find(order_.front());
    if (i != by_key_.end() && i->second.created_ms > now_ms - key_ttl_ms_)
      break;
    if (i != by_key_.end())
      by_key_.erase(i);
    order_.pop_front();
  }
  auto i = by_key_.find(key);
  return i == by_key_.end() ? nullptr : &i->second;
}

void portal_model::stored(const std::string& key) {
  if (auto i = by_key_.find(key); i != by_key_.end())
    i->second.stored = true;
}

} // namespace openassist::actors::desk
