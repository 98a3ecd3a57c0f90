#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/intake/business_hours.hpp"
#include "actors/org/features.hpp"

// The organisation of one account (spec 1-2): people, teams, portals. Owned by
// the account actor; stored as its entity body (JSON inside the Cap'n Proto
// Entity envelope, see docs/ARCHITECTURE.md).
namespace openassist::actors {

enum class role : uint8_t {
  company_manager,
  team_manager,
  api_manager,
  technician
};

const char* to_string(role r);
std::optional<role> role_from_string(const std::string& s);

struct skill {
  std::string name;
  int rank = 1; ///< 1 (best) .. 10
};

struct org_user {
  uint64_t id = 0;
  role r = role::technician;
  std::string email; ///< the user id, lower case
  std::string first_name;
  std::string last_name;
  std::string screen_name;
  std::string custom;
  std::string password_hash;
  std::string language = "en";
  std::string time_zone = "UTC";
  uint64_t team_id = 0;                   ///< technicians
  std::vector<uint64_t> managed_team_ids; ///< team managers
  std::vector<skill> skills;              ///< technicians
  feature_overrides features;             ///< technicians
  bool deleted = false; ///< deleted technicians stay for past sessions
  /// "manager" or "technician": the two login identities.
  const char* kind() const;
};

struct team {
  uint64_t id = 0;
  std::string name;
  uint64_t parent_id = 0; ///< 0: a root team
  feature_overrides features;
};

struct sub_portal {
  uint64_t id = 0;
  std::string name;
  std::vector<uint64_t> team_ids;
};

struct hours_set {
  uint64_t id = 0;
  business_hours hours; ///< hours.name is the set's name
};

/// A field the customer fills in on the portal's page.
struct portal_field {
  std::string key; ///< lower-case letters, digits, _
  std::string label;
  std::string type = "text"; ///< text, email, textarea, skill
  bool required = false;
  std::vector<std::string> choices; ///< skill: the skills to choose from
  /// skill: what the customer reads for each choice (parallel to choices;
  /// empty, or "" for one choice: the skill's name itself).
  std::vector<std::string> choice_labels = {};
  /// The label (and skill choice labels) in a language ("en", "de"): what a
  /// customer reading that language sees; "" (or a missing one) falls back
  /// to `label` / `choice_labels`.
  struct translation {
    std::string label;
    std::vector<std::string> choice_labels; ///< skill: parallel to choices
  };
  std::map<std::string, translation> translations = {};
  /// Every choice's label, the skill's name where none is set.
  std::vector<std::string> labels() const;
};

/// The languages a portal field's label may be given in.
inline constexpr const char* field_languages[] = {"en", "de"};

/// `{"de": {"label": …, "choice_labels": […]}}` of a field (empty object
/// without translations), as stored and as the portal page shows it.
nlohmann::json translations_json(const portal_field& f);

/// What a new portal asks for.
std::vector<portal_field> default_portal_fields();

struct portal {
  uint64_t id = 0;
  uint64_t hours_id = 0; ///< business hours set; 0: always open
  std::string name;
  std::string slug;
  std::string mode = "web"; ///< web, phone, queue
  std::string type =
    "smartbox"; ///< smartbox, smartmatch, smartbutton, smartpin, queue
  bool skills_routing = false;
  int alert_timeout_s = 120;  ///< web mode: how long technicians are alerted
  int code_ttl_min = 20;      ///< phone mode: lifetime of connection codes
  int recording_max_mb = 200; ///< a recording stops growing here
  int recording_retention_days = 90; ///< recordings are deleted after
  std::string time_zone = "UTC";
  std::string notification_email;
  feature_overrides features;
  std::string title;
  std::string welcome;
  std::vector<sub_portal> sub_portals;
  std::vector<portal_field> fields = default_portal_fields();
};

/// How long a monitor runs before it stops by itself, unless the node says
/// otherwise (`dashboards.monitor-run-s`).
inline constexpr int64_t monitor_run_ms = int64_t{12} * 3600 * 1000;

/// A live dashboard's configuration (docs/dashboards.md); the actor
/// `monitor/<account>/<id>` runs it for `run_ms` from `started_ms`.
struct dashboard_monitor {
  uint64_t id = 0;
  std::string name;
  std::string kind; ///< technicians, waiting, active, managers, service_level
  uint64_t created_by = 0;
  int64_t started_ms = 0; ///< added or last restarted (Unix ms)
  int target_s = 60;      ///< service_level: the target wait (1..3600 s)
  /// How long it runs from `started_ms`: the node's setting when it was
  /// added or last restarted.
  int64_t run_ms = monitor_run_ms;
  int64_t stops_ms() const { return started_ms + run_ms; }
};
/// At most this many monitors per account.
inline constexpr size_t max_monitors = 50;
/// Whether `kind` is a kind of monitor.
bool monitor_kind(const std::string& kind);

/// A report a manager saved to run again with the latest data ("my
/// reports", docs/reports.md): its kind, its period (relative to the day it
/// runs, in the manager's time zone, or fixed days) and its narrowing.
struct saved_report {
  uint64_t id = 0;
  uint64_t owner = 0; ///< the manager who saved it; only they see it
  std::string name;
  std::string kind;   ///< snapshot, sessions, technicians, feedback,
                      ///< service_level
  std::string period; ///< today, yesterday, last_7_days, last_30_days,
                      ///< this_month, last_month, days
  std::string from_day, to_day; ///< YYYY-MM-DD, for period "days"
  uint64_t portal_id = 0, team_id = 0, technician_id = 0; ///< 0: any
  int target_s = 60; ///< service_level: the target wait (1..3600 s)
  int64_t updated_ms = 0;
  /// E-mail delivery: "" (none), daily, weekly (Mondays), monthly (the
  /// 1st), at `send_at` minutes after midnight in the owner's time zone, to
  /// `email` ("" the owner's address). Delivered up to `delivered_ms`: a
  /// slot after it is due (set to the time the schedule was set).
  std::string schedule;
  int send_at = 360;
  std::string email;
  int64_t delivered_ms = 0;
};

/// At most this many saved reports per manager.
inline constexpr size_t max_saved_reports = 50;
/// Whether `period` is a period a saved report may have.
bool report_period(const std::string& period);

struct org_account {
  std::string id;
  std::string name;
  uint64_t next_id = 1;
  uint64_t next_audit = 1;
  int file_limit_mb = 25; ///< largest file a session takes (1..100 MB)
  /// Closed requests (chat, files, recordings), events and their traces
  /// are deleted this many days after (the sweeper; 1..3650).
  int retention_days = 365;
  /// How far back reports read the sessions' detail (1..retention_days).
  int report_days = 90;
  /// The zone the account's days are cut in for monthly reports' roll-ups
  /// (an IANA name).
  std::string time_zone = "UTC";
  std::map<uint64_t, org_user> users;
  std::map<uint64_t, team> teams;
  std::map<uint64_t, portal> portals;
  std::map<uint64_t, hours_set> hours_sets;
  std::map<uint64_t, dashboard_monitor> monitors;
  std::map<uint64_t, saved_report> saved_reports;
};

using json = nlohmann::json;

/// `teams` and all their sub-teams, however deep.
std::set<uint64_t> with_sub_teams(const org_account& a,
                                  std::set<uint64_t> teams);

/// The feature levels above a user of `team_id`: the root team first, then
/// each sub-team down to that team.
std::vector<const feature_overrides*> team_chain(const org_account& a,
                                                 uint64_t team_id);

/// A technician's resolved features (teams and own overrides, not a
/// portal's).
feature_values user_features(const org_account& a, const org_user& u);

/// Whether `u` may run reports: managers on what they manage, technicians
/// on their own sessions when both `management_center` and `reports_self`
/// are on for them (spec 1: limited Management Center access).
bool may_run_reports(const org_account& a, const org_user& u);

/// Who one is (`/auth/me`): the user's public fields and `may`, what they
/// may do in the Management Center.
json me_json(const org_account& a, const org_user& u);

/// Storage form, with password hashes.
json to_storage_json(const org_account& a);
/// nullopt when the stored document is damaged.
std::optional<org_account> from_storage_json(const json& j);

/// API forms: never carry password hashes.
json public_json(const org_user& u);
json public_json(const team& t, size_t technician_count);
json public_json(const portal& p);
json overrides_json(const feature_overrides& o);
json values_json(const feature_values& v);
json public_json(const hours_set& h);
/// `{"id","name","kind","created_by","started_at","stops_at","running"}`.
json public_json(const dashboard_monitor& m, int64_t now_ms);
/// Whether `u` (a manager) sees monitors of `kind`: who watches which
/// session (`managers`) is for company and API managers only.
bool may_see_monitor(const org_user& u, const std::string& kind);
/// `{"monitors":[Monitor]}` of the monitors `u` sees, oldest first.
json monitor_list_json(const org_account& a, const org_user& u, int64_t now_ms);
/// `{"id","name","kind","period","from","to","portal_id","team_id",
/// "technician_id","updated_at"}` (ids as strings, "" for any).
json public_json(const saved_report& r);
/// Parses the API form of a business hours set; "" or a message naming the
/// field and the rule.
std::string hours_from_json(const json& j, business_hours& out);
/// Parses the API form of a portal's fields; "" or a message naming the
/// field and the rule.
std::string fields_from_json(const json& j, std::vector<portal_field>& out);

} // namespace openassist::actors
