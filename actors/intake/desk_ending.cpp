// desk model: the end of a session (ratings, summary mails) and the timers.

#include "actors/intake/desk_input.hpp"
#include "actors/intake/desk_model.hpp"

#include <algorithm>

#include "actors/intake/business_hours.hpp"
#include "actors/intake/routing.hpp"
#include "actors/org/features.hpp"

namespace openassist::actors::desk {

// -- end of a session
// ----------------------------------------------------------

std::optional<failure> model::rate(uint64_t id, const customer_rating& input,
                                   int64_t, effects& fx) {
  request* r = find_closed(id);
  if (r == nullptr || !r->session || r->st != status::closed)
    return failure{errc::bad_state, "not_rateable",
                   "only a finished session can be rated", ""};
  if (r->rating != 0)
    return failure{errc::bad_state, "already_rated",
                   "this session has been rated", ""};
  if (!input.has_rating || input.rating < 1 || input.rating > 5)
    return bad("rating", "range", "rating: 1 to 5");
  auto& comment = input.comment;
  if (chars(comment) > 2000)
    return bad("comment", "length", "comment: at most 2000 characters");
  r->rating = static_cast<int>(input.rating);
  r->comment = comment;
  fx.requests.insert(id);
  fx.event("request.rated", {{"request", id},
                             {"portal", r->portal_id},
                             {"technician", r->technician_id},
                             {"rating", r->rating}});
  summary(*r, fx);
  if (summaries_due_.erase(id) > 0)
    fx.desk = true;
  return std::nullopt;
}

void model::keep_closed(request r, bool newest) {
  if (newest)
    closed_.push_front(std::move(r));
  else
    closed_.push_back(std::move(r));
  while (closed_.size() > cfg_.closed_kept) {
    auto& old = closed_.back();
    if (summaries_due_.count(old.id))
      awaiting_summary_.insert_or_assign(old.id, std::move(old));
    closed_.pop_back();
  }
}

request* model::find_closed(uint64_t id) {
  for (auto& c : closed_)
    if (c.id == id)
      return &c;
  auto i = awaiting_summary_.find(id);
  return i == awaiting_summary_.end() ? nullptr : &i->second;
}

void model::summary(request& r, effects& fx) {
  auto* p = portal_by_id(r.portal_id);
  if (r.summary_sent || p == nullptr || p->notification_email.empty())
    return;
  r.summary_sent = true;
  fx.requests.insert(r.id);
  auto minutes = r.joined_ms != 0 ? (r.closed_ms - r.joined_ms) / 60000 : 0;
  auto line = [](const char* k, const std::string& v) {
    return std::string{k} + ": " + (v.empty() ? "-" : v) + "\n";
  };
  std::string body = "Support session #" + std::to_string(r.id) +
                     " on the portal " + p->name + " has ended.\n\n";
  body += line("Customer", text_of(r.customer, "name") + " <" +
                             text_of(r.customer, "email") + ">");
  body += line("Problem", text_of(r.customer, "problem"));
  body += line("Technician", technician_name(r.technician_id));
  body += line("Duration", std::to_string(minutes) + " min");
  body += line("Resolution", r.resolution);
  body += line("Technician's notes", r.notes);
  body +=
    line("Customer rating", r.rating == 0 ? std::string{"none given"}
                                          : std::to_string(r.rating) + " of 5");
  body += line("Customer comment", r.comment);
  fx.mails.push_back(
    {p->notification_email,
     "Support session #" + std::to_string(r.id) + " (" +
       (r.rating == 0 ? std::string{"not rated"}
                      : "rated " + std::to_string(r.rating) + "/5") +
       ")",
     body});
  fx.event("request.summary_mailed",
           {{"request", r.id}, {"portal", r.portal_id}});
}

// -- timers
// --------------------------------------------------------------------

void model::tick(int64_t now_ms, effects& fx) {
  // Presence: consoles that did not come back within the grace.
  for (auto& [tech, pr] : presence_)
    if (pr.grace_over(now_ms)) {
      fx.me.insert(tech);
      technician_gone(tech, now_ms, fx);
    }
  // Web-mode alerts nobody accepted in time.
  std::vector<uint64_t> expired;
  for (auto& [id, r] : open_)
    if (r.st == status::waiting && r.alert_deadline_ms != 0 &&
        r.alert_deadline_ms <= now_ms)
      expired.push_back(id);
  for (auto id : expired)
    alert_timed_out(open_.at(id), now_ms, fx);
  // Sessions whose summary went out (stored by the change that sent it, an
  // earlier tick or rating) no longer wait here.
  std::erase_if(awaiting_summary_, [this](const auto& kv) {
    return !summaries_due_.count(kv.first);
  });
  for (auto d = summaries_due_.begin(); d != summaries_due_.end();) {
    if (d->second > now_ms) {
      ++d;
      continue;
    }
    if (auto* r = find_closed(d->first))
      summary(*r, fx);
    d = summaries_due_.erase(d);
    fx.desk = true;
  }
  for (auto c = codes_.begin(); c != codes_.end();) {
    if (c->second.expires_ms <= now_ms) {
      fx.codes.insert(c->second.technician_id);
      fx.desk = true;
      c = codes_.erase(c);
    } else {
      ++c;
    }
  }
}

} // namespace openassist::actors::desk
