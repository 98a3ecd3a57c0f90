#include "actors/org/features.hpp"

namespace openassist::actors {

std::optional<feature> feature_from_name(std::string_view name) {
  for (size_t i = 0; i < feature_names.size(); ++i)
    if (feature_names[i] == name)
      return static_cast<feature>(i);
  return std::nullopt;
}

feature_values default_features() {
  feature_values v;
  // Chat, files, screen sharing and diagnostics are what a support session
  // is; remote control, recording, own reports and Management Center access
  // are granted deliberately.
  v.flags[static_cast<size_t>(feature::chat)] = true;
  v.flags[static_cast<size_t>(feature::file_transfer)] = true;
  v.flags[static_cast<size_t>(feature::screen_sharing)] = true;
  v.flags[static_cast<size_t>(feature::diagnostics)] = true;
  v.max_sessions = 5;
  return v;
}

feature_values resolve(const std::vector<const feature_overrides*>& chain) {
  auto v = default_features();
  for (const auto* level : chain) {
    if (level == nullptr)
      continue;
    for (auto [f, on] : level->flags)
      v.flags[static_cast<size_t>(f)] = on;
    if (level->max_sessions)
      v.max_sessions = *level->max_sessions;
  }
  return v;
}

feature_values effective_on_portal(const feature_values& technician,
                                   const feature_overrides& portal) {
  auto portal_values = resolve({&portal});
  feature_values v = technician;
  for (size_t i = 0; i < feature_count; ++i)
    v.flags[i] = technician.flags[i] && portal_values.flags[i];
  // Recording is the portal's policy: every session on a recording portal
  // is recorded, whoever takes it (the session asks the portal alone).
  auto rec = static_cast<size_t>(feature::recording);
  v.flags[rec] = portal_values.flags[rec];
  return v;
}

} // namespace openassist::actors
