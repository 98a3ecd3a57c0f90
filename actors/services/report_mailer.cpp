#include "actors/services/report_mailer.hpp"

#include <cctype>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/clock.hpp"
#include "actors/entity_store.hpp"
#include "actors/errc.hpp"
#include "actors/intake/desk.hpp"
#include "actors/intake/desk_history.hpp"
#include "actors/org/account.hpp"
#include "actors/org/org_model.hpp"
#include "actors/reports/schedule.hpp"
#include "monitoring/logging.hpp"
#include "schema/codec.hpp"

namespace openassist::actors {

const char* report_mailer_state::name = "report_mailer";

namespace {

using json = nlohmann::json;
using self_ptr = caf::stateful_actor<report_mailer_state>*;
constexpr auto ask_timeout = std::chrono::seconds(60);

// One delivery that is due.
struct due {
  std::string account;
  saved_report report;
  org_user owner;
  int64_t slot = 0;
  reports::period_range range;
};

const char* kind_title(const std::string& kind, bool de) {
  if (kind == "snapshot")
    return de ? "Übersicht" : "Snapshot summary";
  if (kind == "sessions")
    return de ? "Sitzungsdetails" : "Session detail";
  if (kind == "technicians")
    return de ? "Technikerleistung" : "Technician performance";
  if (kind == "service_level")
    return de ? "Servicelevel" : "Service level";
  if (kind == "activity")
    return de ? "Technikeraktivität" : "Technician activity";
  return de ? "Kundenfeedback" : "Customer feedback";
}

std::string mail_body(const due& d, const std::string& file_name) {
  bool de = d.owner.language == "de";
  auto& r = d.report;
  std::string text =
    r.name + "\n" + kind_title(r.kind, de) + ", " + d.range.first_day +
    (d.range.first_day == d.range.last_day ? "" : " – " + d.range.last_day) +
    " (" + d.owner.time_zone + ")\n\n";
  text += de ? "Der Bericht ist als CSV-Datei angehängt (" + file_name +
                 "; jede Tabellenkalkulation öffnet sie).\n"
             : "The report is attached as a CSV file (" + file_name +
                 "; any spreadsheet opens it).\n";
  text += de ? "\n-- \nopenassist: „Meine Berichte“ im Management Center "
               "ändert oder beendet diese Zustellung.\n"
             : "\n-- \nopenassist: \"My reports\" in the Management Center "
               "changes or ends this delivery.\n";
  return text;
}

// The attachment's name: the report's name in letters, digits, '-' and '_'
// (others become '-'), its first day, ".csv".
std::string file_name(const due& d) {
  std::string name;
  for (unsigned char c : d.report.name) {
    if (name.size() >= 60)
      break;
    bool plain = std::isalnum(c) != 0 || c == '-' || c == '_';
    if (c < 0x80 && plain)
      name += static_cast<char>(c);
    else if (!name.empty() && name.back() != '-')
      name += '-';
  }
  while (!name.empty() && name.back() == '-')
    name.pop_back();
  if (name.empty())
    name = "report";
  return name + "-" + d.range.first_day + ".csv";
}

// Records at the account that `d` was delivered (or is given up).
void record(self_ptr self, const due& d, std::string key) {
  auto& st = self->state;
  json args = {{"id", std::to_string(d.report.id)}, {"slot_ms", d.slot}};
  self
    ->request(st.cfg.directory, ask_timeout, cluster::lookup_atom::value,
              "account/" + d.account)
    .then(
      [self, d, key, args](caf::actor& account) {
        self
          ->request(account, ask_timeout, account_op_atom::value, d.owner.id,
                    std::string{"reports.delivered"}, args.dump())
          .then(
            [self, key](bool, std::string&) { self->state.busy.erase(key); },
            [self, key](caf::error&) { self->state.busy.erase(key); });
      },
      [self, key](caf::error&) { self->state.busy.erase(key); });
}

// Whether the desk refused the report for a reason that another pass does
// not change (its owner may not read it any more, a bad filter): anything
// but a passing failure (busy, storage, no answer).
bool refused_for_good(const caf::error& err) {
  return code_of(err) != 0 && !is(err, errc::unavailable) &&
         !is(err, errc::busy) && !is(err, errc::storage_unavailable);
}

// Runs `d`'s report as its owner, mails it, then records it.
void deliver(self_ptr self, due d) {
  auto& st = self->state;
  auto key = d.account + "/" + std::to_string(d.report.id);
  if (!st.busy.insert(key).second)
    return;
  auto release = [self, key](caf::error&) { self->state.busy.erase(key); };
  history_filter filter{d.report.portal_id, d.report.technician_id,
                        d.report.team_id,
                        static_cast<uint64_t>(d.range.from_ms),
                        static_cast<uint64_t>(d.range.to_ms)};
  self
    ->request(st.cfg.directory, ask_timeout, cluster::lookup_atom::value,
              "desk/" + d.account)
    .then(
      [self, d, key, filter, release](caf::actor& desk) {
        self
          ->request(desk, ask_timeout, desk_report_atom::value, d.owner.id,
                    d.report.kind, filter,
                    report_options{true, int64_t{d.report.target_s} * 1000})
          .then(
            [self, d, key](std::string& body) {
              auto to = d.report.email.empty() ? d.owner.email : d.report.email;
              auto subject =
                "openassist: " + d.report.name + " (" + d.range.first_day + ")";
              auto file = file_name(d);
              self
                ->request(self->state.cfg.mailer, ask_timeout, mail_atom::value,
                          to, subject, mail_body(d, file), file, body)
                .then(
                  [self, d, key](uint64_t) { record(self, d, key); },
                  [self, key](caf::error&) { self->state.busy.erase(key); });
            },
            [self, d, key](caf::error& err) {
              // Busy, storage, or no answer: the next pass tries again.
              if (!refused_for_good(err)) {
                self->state.busy.erase(key);
                return;
              }
              monitoring::component_logger("report_mailer")
                ->warn("saved report {} cannot run: {}; this delivery is "
                       "skipped",
                       key, message_of(err));
              record(self, d, key);
            });
      },
      release);
}

// Reads every account's saved reports and delivers those that are due.
void pass(self_ptr self) {
  auto& st = self->state;
  auto now = st.cfg.now_ms();
  std::vector<due> found;
  const std::string prefix = "account/";
  auto err = st.cfg.env->scan(
    storage::table::entities, prefix, 100000,
    [&](std::string_view key, std::string_view value) {
      if (key.substr(0, prefix.size()) != prefix)
        return false;
      auto rec = schema::decode_entity(value);
      if (!rec)
        return true;
      auto doc = json::parse(rec->body, nullptr, false);
      auto org = doc.is_discarded() ? std::nullopt : from_storage_json(doc);
      if (!org)
        return true;
      for (auto& [id, r] : org->saved_reports) {
        if (r.schedule.empty())
          continue;
        auto u = org->users.find(r.owner);
        if (u == org->users.end() || u->second.deleted ||
            u->second.r == role::technician)
          continue;
        reports::schedule_spec spec{r.schedule, r.send_at, r.period, r.from_day,
                                    r.to_day};
        auto slot = reports::latest_slot(spec, u->second.time_zone, now);
        if (!slot || *slot <= r.delivered_ms)
          continue;
        auto range = reports::range_of(spec, u->second.time_zone, *slot);
        if (!range)
          continue;
        found.push_back({org->id, r, u->second, *slot, *range});
      }
      return true;
    });
  if (err)
    monitoring::component_logger("report_mailer")
      ->warn("cannot read the accounts: {}", caf::to_string(err));
  for (auto& d : found)
    deliver(self, std::move(d));
}

} // namespace

caf::behavior report_mailer(caf::stateful_actor<report_mailer_state>* self,
                            report_mailer_config cfg) {
  self->state.cfg = std::move(cfg);
  if (!self->state.cfg.now_ms)
    self->state.cfg.now_ms = wall_ms;
  self->send(self, report_mail_tick_atom::value);
  return {
    [self](report_mail_tick_atom) {
      pass(self);
      self->delayed_send(self, self->state.cfg.check_every,
                         report_mail_tick_atom::value);
    },
  };
}

} // namespace openassist::actors
