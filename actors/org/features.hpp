#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Feature switches (spec 1): set at portal level and at team level, inherited
// by sub-teams and technicians, overridable per technician. A feature is on
// for a technician on a portal only when it is on for both. This file is the
// one place that computes it.
namespace openassist::actors {

enum class feature : uint8_t {
  chat = 0,
  file_transfer,
  screen_sharing,
  remote_control,
  recording,
  diagnostics,
  reports_self,
  management_center,
};

inline constexpr size_t feature_count = 8;

inline constexpr std::array<std::string_view, feature_count> feature_names = {
  "chat",      "file_transfer", "screen_sharing", "remote_control",
  "recording", "diagnostics",   "reports_self",   "management_center"};

std::optional<feature> feature_from_name(std::string_view name);

/// Largest accepted maximum of concurrent sessions.
inline constexpr int max_sessions_limit = 50;

/// What one level (portal, team, technician) says; absent means "inherit".
struct feature_overrides {
  std::map<feature, bool> flags;
  std::optional<int> max_sessions;
  bool operator==(const feature_overrides&) const = default;
};

/// Fully resolved values.
struct feature_values {
  std::array<bool, feature_count> flags{};
  int max_sessions = 0;
  bool on(feature f) const { return flags[static_cast<size_t>(f)]; }
  bool operator==(const feature_values&) const = default;
};

/// The product's defaults, where no level says anything.
feature_values default_features();

/// Applies overrides from the outermost level to the innermost: for a
/// technician, the root team first, then each sub-team down to the
/// technician's team, then the technician. Null entries are skipped.
feature_values resolve(const std::vector<const feature_overrides*>& chain);

/// The value a technician works with on a portal: each flag on only when the
/// portal (defaults plus the portal's overrides) and the technician allow it;
/// except recording, which is the portal's policy alone.
feature_values effective_on_portal(const feature_values& technician,
                                   const feature_overrides& portal);

} // namespace openassist::actors
