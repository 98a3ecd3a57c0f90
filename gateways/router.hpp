#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateways/http_types.hpp"

namespace openassist::gateways {

/// Values of the `:name` segments of a matched route.
using path_params = std::unordered_map<std::string, std::string>;

using handler =
  std::function<void(const http_request&, const path_params&, responder)>;

/// Maps method and path to a handler. Patterns are literal segments and
/// `:name` captures ("/api/v1/portals/:id"); a trailing "/*" captures the
/// rest of the path as `*`. Routes are matched in the order they were added.
/// Pure and Beast-free, so it is fuzzed directly.
class router {
public:
  /// `name` labels metrics (the pattern itself if empty).
  void add(std::string method, std::string pattern, handler h,
           std::string name = {});

  struct match {
    const handler* target = nullptr;  ///< null when no route matched
    path_params params;
    std::string route;                ///< metrics label
    unsigned status = 200;            ///< 404 or 405 when target is null
    std::string allow;                ///< methods allowed on the path (405)
  };

  match find(std::string_view method, std::string_view path) const;

  /// Routes a request; answers 404/405 itself in the error format.
  /// Returns the metrics label of the route taken.
  std::string dispatch(const http_request& req, responder respond) const;

private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    bool wildcard = false;
    handler fn;
    std::string name;
  };
  static bool match_path(const route& r, std::string_view path,
                         path_params& params);
  std::vector<route> routes_;
};

} // namespace openassist::gateways
