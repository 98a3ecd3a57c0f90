#include "gateways/router.hpp"

#include <atomic>
#include <exception>
#include <memory>

namespace openassist::gateways {

namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto end = path.find('/');
    out.push_back(path.substr(0, end));
    if (end == std::string_view::npos)
      break;
    path.remove_prefix(end);
  }
  return out;
}

} // namespace

void router::add(std::string method, std::string pattern, handler h,
                 std::string name) {
  route r;
  r.method = std::move(method);
  for (auto seg : split_segments(pattern))
    r.segments.emplace_back(seg);
  if (!r.segments.empty() && r.segments.back() == "*") {
    r.wildcard = true;
    r.segments.pop_back();
  }
  r.fn = std::move(h);
  r.name = name.empty() ? std::move(pattern) : std::move(name);
  routes_.push_back(std::move(r));
}

bool router::match_path(const route& r, std::string_view path,
                        path_params& params) {
  auto segs = split_segments(path);
  if (segs.size() < r.segments.size() ||
      (!r.wildcard && segs.size() != r.segments.size()))
    return false;
  params.clear();
  for (size_t i = 0; i < r.segments.size(); ++i) {
    const auto& want = r.segments[i];
    if (!want.empty() && want.front() == ':')
      params.emplace(want.substr(1), std::string{segs[i]});
    else if (want != segs[i])
      return false;
  }
  if (r.wildcard) {
    std::string rest;
    for (size_t i = r.segments.size(); i < segs.size(); ++i) {
      if (!rest.empty())
        rest += '/';
      rest += segs[i];
    }
    params.emplace("*", std::move(rest));
  }
  return true;
}

router::match router::find(std::string_view method,
                           std::string_view path) const {
  match result;
  path_params params;
  for (const auto& r : routes_) {
    if (!match_path(r, path, params))
      continue;
    // HEAD is served by GET routes (the session drops the body).
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      result.target = &r.fn;
      result.params = std::move(params);
      result.route = r.name;
      return result;
    }
    if (result.allow.find(r.method) == std::string::npos)
      result.allow += result.allow.empty() ? r.method : ", " + r.method;
  }
  result.status = result.allow.empty() ? 404 : 405;
  result.route = result.allow.empty() ? "unmatched" : "method_not_allowed";
  return result;
}

responder answer_once(responder respond) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [answered, respond = std::move(respond)](http_response res) {
    if (!answered->exchange(true))
      respond(std::move(res));
  };
}

http_response internal_error() {
  return http_response::error(500, "internal",
                              "the server failed to handle this request");
}

std::string router::dispatch(const http_request& req, responder respond) const {
  auto once = answer_once(std::move(respond));
  // Outside bytes become JSON (nlohmann throws on invalid UTF-8), log lines
  // and actor messages: refuse them before any route sees them.
  if (auto problem = encoding_problem(req); !problem.empty()) {
    once(http_response::error(400, "bad_encoding", problem));
    return "bad_encoding";
  }
  auto m = find(req.method, req.path);
  if (m.target != nullptr) {
    try {
      (*m.target)(req, m.params, once);
    } catch (const std::exception& e) {
      if (on_exception_)
        on_exception_("http", e.what());
      once(internal_error());
    } catch (...) {
      if (on_exception_)
        on_exception_("http", "unknown exception");
      once(internal_error());
    }
    return m.route;
  }
  if (m.status == 405) {
    auto res = http_response::error(
      405, "method_not_allowed",
      "method " + req.method + " is not allowed here; allowed: " + m.allow);
    res.headers.emplace_back("Allow", m.allow);
    once(std::move(res));
  } else {
    once(http_response::error(404, "not_found", "no such resource"));
  }
  return m.route;
}

} // namespace openassist::gateways
