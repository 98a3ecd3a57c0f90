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

/// Told of every exception caught at a handler boundary: where it was caught
/// ("http" for a route handler, "bridge" for a request's bridge actor) and
/// what it said. The node counts and logs it; may be empty.
using exception_hook =
  std::function<void(const char* where, std::string_view what)>;

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
    const handler* target = nullptr; ///< null when no route matched
    path_params params;
    std::string route;     ///< metrics label
    unsigned status = 200; ///< 404 or 405 when target is null
    std::string allow;     ///< methods allowed on the path (405)
  };

  match find(std::string_view method, std::string_view path) const;

  /// Routes a request; answers 404/405 itself in the error format, and 400
  /// bad_encoding when its path, query or headers are not valid UTF-8
  /// (encoding_problem), before any route sees it. The handler gets a
  /// responder that answers at most once; an exception escaping the handler
  /// is answered 500 and reported to the exception hook, never rethrown.
  /// Returns the metrics label of the route taken.
  std::string dispatch(const http_request& req, responder respond) const;

  /// Sets who is told of exceptions caught in dispatch.
  void on_exception(exception_hook hook) { on_exception_ = std::move(hook); }

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
  exception_hook on_exception_;
};

/// The responder a handler gets: forwards the first answer only, so a
/// handler that answers and then throws is not answered twice.
responder answer_once(responder respond);

/// The answer to a request whose handler failed unexpectedly.
http_response internal_error();

} // namespace openassist::gateways
