#pragma once

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "actors/org/account_service.hpp"
#include "actors/org/email_address.hpp"

// Validation helpers shared by the parts of account_service: each reads one
// kind of input and answers with an op_error that names the field and the
// rule it broke. Internal to actors/.
namespace openassist::actors::rules {

/// The rule a message states; messages are written "<field>: <rule text>".
std::string rule_of(const std::string& code, const std::string& message);

op_error fail(errc kind, std::string code, std::string message,
              std::string field = {});
op_error fail_length(const std::string& field, size_t min, size_t max);
op_error forbidden();
op_error not_found(const std::string& what);

std::string lower(std::string s);
std::string trim(const std::string& s);
using actors::valid_email;
bool printable(const std::string& s);

/// An optional string field: absent -> nullopt; wrong type or length -> error.
std::variant<std::optional<std::string>, op_error>
text_field(const json& args, const char* name, size_t min, size_t max);

/// An optional id (number or digit string).
std::variant<std::optional<uint64_t>, op_error> id_field(const json& args,
                                                         const char* name);

/// Feature overrides from the API, merged into `current`; null removes.
std::variant<feature_overrides, op_error>
merge_overrides(const feature_overrides& current, const json& j);

std::variant<std::vector<skill>, op_error> read_skills(const json& j);

/// Person fields of a user; `creating` makes the required ones required.
std::optional<op_error> read_person(org_user& u, const json& args,
                                    bool creating, const op_context& ctx);

/// Role and managed teams of a manager.
std::optional<op_error> read_manager_role(org_user& u, const org_user& caller,
                                          const json& args, bool creating,
                                          const std::set<uint64_t>& teams);

size_t company_managers(const org_account& a);

} // namespace openassist::actors::rules

/// Unwraps a variant<T, op_error> into `var`, or returns the error.
#define OA_TRY(var, expr)                                                      \
  auto var##_result = (expr);                                                  \
  if (auto* e = std::get_if<op_error>(&var##_result))                          \
    return *e;                                                                 \
  auto var = std::move(std::get<0>(var##_result))
