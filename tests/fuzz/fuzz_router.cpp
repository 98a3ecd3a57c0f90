// Requests from outside against the node's real route table: split, decode,
// check the encoding, route, authenticate, forward to (stub) actors, answer.
//
// Input: the method on the first line, the target on the second, then
// "Name: value" header lines up to an empty line, then the body. The
// dictionary (fuzz_router.dict) holds the routes, the query parameters, the
// credentials the stubs accept and invalid UTF-8 in every form.
//
// Fails when an exception reaches a handler boundary (the router's or a
// bridge actor's) or escapes dispatch, when a request is not answered
// exactly once, when a JSON answer is not JSON with an error code, when
// invalid UTF-8 is not answered 400 bad_encoding, or when a string that is
// not UTF-8 (or forwarded JSON that is not JSON) reaches a stub actor.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateways/http_types.hpp"
#include "routes_under_test.hpp"

using namespace openassist::gateways;

// session.cpp (and with it storage) is not linked into this target; the
// upload route only needs a unique path for the stub blob store.
namespace openassist::actors {
std::string file_blob_path(const std::string& account, uint64_t request,
                           const std::string& id) {
  return "files/" + account + "/" + std::to_string(request) + "/" + id;
}
} // namespace openassist::actors

namespace {

[[noreturn]] void caught(const char* where, std::string_view what) {
  std::fprintf(stderr, "exception reached the %s boundary: %.*s\n", where,
               static_cast<int>(what.size()), what.data());
  __builtin_trap();
}

// Splits the input into request line, headers and body; false when the
// input has no target line.
bool parse_input(std::string_view input, http_request& req) {
  auto take_line = [&input](std::string_view& line) {
    auto nl = input.find('\n');
    if (nl == std::string_view::npos)
      return false;
    line = input.substr(0, nl);
    input.remove_prefix(nl + 1);
    return true;
  };
  std::string_view method;
  std::string_view target;
  if (!take_line(method))
    return false;
  if (!take_line(target)) {
    target = input;
    input = {};
  }
  req.method = std::string{method};
  req.target = std::string{target};
  std::string_view line;
  while (take_line(line) && !line.empty()) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    req.headers.emplace_back(std::string{line.substr(0, colon)},
                             std::string{value});
  }
  req.body = std::string{input};
  req.remote_address = "192.0.2.1";
  req.request_id = "fuzz";
  return true;
}

struct answer_box {
  std::mutex mtx;
  std::condition_variable cv;
  int answers = 0;
  http_response res;
};

void check_answer(const http_response& res) {
  if (res.status == 500)
    __builtin_trap(); // only an exception answers 500 here
  if (res.content_type.rfind("application/json", 0) != 0)
    return;
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_discarded())
    __builtin_trap(); // a JSON answer is JSON
  if (res.status >= 400 && !body["error"]["code"].is_string())
    __builtin_trap(); // every error has a code
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto* node = new fuzz::node_under_test(caught);
  http_request req;
  if (!parse_input({reinterpret_cast<const char*>(data), size}, req))
    return 0;
  if (!split_target(req.target, req.path, req.query))
    return 0; // the session answers 400 bad_target itself
  (void)query_param(req.query, "name");
  auto box = std::make_shared<answer_box>();
  try {
    node->routes.dispatch(req, [box](http_response res) {
      std::lock_guard<std::mutex> guard{box->mtx};
      if (++box->answers == 1)
        box->res = std::move(res);
      box->cv.notify_all();
    });
  } catch (...) {
    __builtin_trap(); // nothing escapes dispatch
  }
  std::unique_lock<std::mutex> lock{box->mtx};
  // The stubs answer at once; a bridge answers within its actor timeout.
  if (!box->cv.wait_for(lock, std::chrono::seconds(30),
                        [&] { return box->answers > 0; }))
    __builtin_trap(); // never answered
  if (box->answers != 1)
    __builtin_trap(); // answered twice
  check_answer(box->res);
  // Outside text that is not UTF-8 is refused before any route sees it.
  if (!encoding_problem(req).empty() &&
      (box->res.status != 400 ||
       box->res.body.find("bad_encoding") == std::string::npos))
    __builtin_trap();
  static const bool verbose = std::getenv("OA_FUZZ_VERBOSE") != nullptr;
  if (verbose) // for writing seeds: what did this input reach?
    std::fprintf(stderr, "%s %s -> %u %s\n", req.method.c_str(),
                 req.target.c_str(), box->res.status, box->res.body.c_str());
  return 0;
}
