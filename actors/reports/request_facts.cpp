#include "actors/reports/request_facts.hpp"

#include <algorithm>

#include "actors/json_fields.hpp"
#include "actors/reports/service_level.hpp"

namespace openassist::actors::reports {

using json = nlohmann::json;

// One definition of the waits: the service level's (level_facts).
std::optional<int64_t> request_facts::wait() const {
  return level_facts_of(*this).wait();
}

std::optional<int64_t> request_facts::handle() const {
  return level_facts_of(*this).handle();
}

std::optional<request_facts> facts_of(const json& doc) {
  if (!doc.is_object())
    return std::nullopt;
  request_facts f;
  f.id = value_or<uint64_t>(doc, "id", 0);
  if (f.id == 0)
    return std::nullopt;
  f.portal = value_or<uint64_t>(doc, "portal_id", 0);
  f.technician = value_or<uint64_t>(doc, "technician_id", 0);
  f.created = value_or<int64_t>(doc, "created_ms", 0);
  f.closed = value_or<int64_t>(doc, "closed_ms", 0);
  bool session = value_or<bool>(doc, "session", false);
  // Documents stored before reports knew the first join: the last one.
  f.answered = value_or<int64_t>(doc, "answered_ms", 0);
  if (f.answered == 0 && session)
    f.answered = value_or<int64_t>(doc, "joined_ms", 0);
  auto status = value_or<std::string>(doc, "status", "");
  f.ended = status == "closed" || status == "abandoned";
  f.outcome = f.ended ? value_or<std::string>(doc, "outcome", "") : "open";
  f.abandoned = f.ended && !session && f.outcome == "cancelled";
  f.no_response = value_or<int>(doc, "alert_rounds", 0) > 0;
  auto decl = doc.find("decliners");
  if (decl == doc.end())
    decl = doc.find("declined");
  if (decl != doc.end() && decl->is_array())
    for (auto& t : *decl)
      if (t.is_number_integer() && t.get<int64_t>() > 0)
        f.decliners.insert(t.get<uint64_t>());
  f.rating = std::clamp(value_or<int>(doc, "rating", 0), 0, 5);
  f.resolution = value_or<std::string>(doc, "resolution", "");
  f.comment = value_or<std::string>(doc, "comment", "");
  f.transfers = value_or<int>(doc, "transfers", 0);
  if (auto c = doc.find("customer"); c != doc.end() && c->is_object())
    f.customer = value_or<std::string>(*c, "name", "");
  return f;
}

} // namespace openassist::actors::reports
