// What a client gets for an actor's answer, as the gateways make it: 200
// (201 for a new request or a created thing, 204 for no body) and the body,
// or a refusal through the error table (gateways/error_table.hpp) as its
// status and {"error": {...}}.
#pragma once

#include <string>
#include <utility>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/intake/desk.hpp"
#include "gateways/error_table.hpp"

namespace openassist::answers {

inline bool is_intake(const caf::message& msg) {
  return msg.size() > 0 && msg.match_element<caf::atom_value>(0) &&
         msg.get_as<caf::atom_value>(0) == actors::desk_intake_atom::value;
}

inline std::pair<unsigned, nlohmann::json> as_client(const caf::error& err) {
  auto a = gateways::describe(err);
  return {a.status, nlohmann::json{{"error", gateways::error_object(a)}}};
}

inline std::pair<unsigned, nlohmann::json> as_client(const std::string& body,
                                                     unsigned ok = 200) {
  return {ok, nlohmann::json::parse(body)};
}

/// An account operation's answer (created, body).
inline std::pair<unsigned, nlohmann::json> as_client(bool created,
                                                     const std::string& body) {
  if (body.empty())
    return {204, nullptr};
  return {created ? 201u : 200u, nlohmann::json::parse(body)};
}

} // namespace openassist::answers
