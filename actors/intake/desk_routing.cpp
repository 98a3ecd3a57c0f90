#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"
#include "actors/org/email_address.hpp"

// desk_routing: what happens to a web-mode request nobody answers (spec 2:
// "an alert nobody accepts in time is counted as no technician response and
// the customer is told"; docs/intake.md, "Nobody answers").
//
// A request is never thrown away for want of an answer. Each alert round
// lasts the portal's alert timeout. When it runs out unanswered it counts
// as a no-response (`request.no_response`), and the request is alerted again
// to every available technician of the portal (a SmartMatch request is
// widened to the portal's others first, as is one whose chosen technician
// declines or steps away). After the last round (settings.alert_rounds) the
// customer chooses: keep waiting (alerted again, new rounds) or leave an
// e-mail address, which keeps the request in every console's list marked
// "contact by e-mail" and tells the portal's notification address. Until the
// customer chooses, technicians who become free are still alerted.
namespace openassist::actors::desk {

bool model::may_alert(const request& r, uint64_t tech) const {
  if (!available(tech) || !has_capacity(tech) || r.declined.count(tech) ||
      r.alerted.count(tech))
    return false;
  // After the last round only technicians who did not let it run out.
  return !r.choice || !r.unanswered.count(tech);
}

void model::widen(request& r, int64_t now_ms, effects& fx) {
  if (r.pinned_id == 0 || r.by_code)
    return;
  auto chosen = r.pinned_id;
  r.alerted.erase(chosen);
  r.chosen_id = chosen;
  r.pinned_id = 0;
  // A new round for the colleagues.
  r.alert_deadline_ms = 0;
  fx.requests.insert(r.id);
  fx.event("request.widened",
           {{"request", r.id}, {"portal", r.portal_id}, {"from", chosen}});
  route(r, now_ms, fx);
}

void model::alert_timed_out(request& r, int64_t now_ms, effects& fx) {
  json missed = json::array();
  for (auto tech : r.alerted) {
    missed.push_back(tech);
    r.unanswered.insert(tech);
  }
  withdraw_alerts(r, 0, "timeout", fx);
  r.alert_deadline_ms = 0;
  ++r.alert_rounds;
  r.updated_ms = now_ms;
  fx.requests.insert(r.id);
  fx.event("request.no_response", {{"request", r.id},
                                   {"portal", r.portal_id},
                                   {"round", r.alert_rounds},
                                   {"technicians", missed}});
  if (!r.choice && r.alert_rounds >= cfg_.alert_rounds) {
    r.choice = true;
    fx.event("request.choice_offered",
             {{"request", r.id}, {"portal", r.portal_id}});
  }
  if (r.pinned_id != 0 && !r.by_code)
    widen(r, now_ms, fx); // routes it
  else
    route(r, now_ms, fx);
}

std::optional<failure>
model::customer_choice(uint64_t id, const actors::customer_choice& input,
                       int64_t now_ms, effects& fx) {
  auto i = open_.find(id);
  if (i == open_.end())
    return failure{errc::bad_state, "not_open", "this request is over", ""};
  auto& r = i->second;
  if (r.st != status::waiting || !r.choice)
    return failure{errc::bad_state, "no_choice",
                   "this request is not waiting for your choice", ""};
  auto& type = input.type;
  json ev = {{"request", r.id}, {"portal", r.portal_id}};
  if (type == "customer.wait") {
    // Alerted again to everyone available, with new rounds.
    r.choice = false;
    r.alert_rounds = 0;
    r.unanswered.clear();
    r.contact_email.clear();
    r.alert_deadline_ms = 0;
    r.updated_ms = now_ms;
    fx.requests.insert(r.id);
    fx.event("request.customer_waits", ev);
    route(r, now_ms, fx);
    return std::nullopt;
  }
  if (type != "customer.contact")
    return failure{errc::bad_field, "unknown_type",
                   "customer.wait or customer.contact, with email", ""};
  auto email = input.email;
  email.erase(0, email.find_first_not_of(" \t\r\n"));
  email.erase(email.find_last_not_of(" \t\r\n") + 1);
  if (chars(email) > 200 || !valid_email(email))
    return bad("email", "email", "email: must be an e-mail address");
  if (r.contact_email == email)
    return std::nullopt;
  r.contact_email = email;
  withdraw_alerts(r, 0, "contact", fx);
  r.alert_deadline_ms = 0;
  r.updated_ms = now_ms;
  fx.requests.insert(r.id);
  ev["email"] = email;
  fx.event("request.contact_requested", ev);
  // The portal's notification address hears of it too.
  auto* p = portal_by_id(r.portal_id);
  if (p != nullptr && !p->notification_email.empty()) {
    std::string body = "Nobody could answer support request #" +
                       std::to_string(r.id) + " on the portal " + p->name +
                       " in time.\nThe customer asks to be contacted by "
                       "e-mail.\n\n";
    body += "Customer: " + text_of(r.customer, "name") + "\n";
    body += "Contact e-mail: " + email + "\n";
    body += "Problem: " + text_of(r.customer, "problem") + "\n\n";
    body += "The request stays in the technician console (New), marked "
            "\"contact by e-mail\"; take it there and close it when done.\n";
    fx.mails.push_back({p->notification_email,
                        "Support request #" + std::to_string(r.id) +
                          ": please contact the customer by e-mail",
                        body});
  }
  return std::nullopt;
}

} // namespace openassist::actors::desk
