// Text that many actors read and none changes.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

namespace openassist::actors {

/// One allocation shared by every receiver of a broadcast: a chat line sent
/// to a thousand members is made once, and each member's socket writes it
/// from the same buffer instead of a copy of its own
/// (docs/ARCHITECTURE.md, "The per-line path").
struct shared_text {
  std::shared_ptr<const std::string> text;

  shared_text() = default;
  explicit shared_text(std::string s)
    : text(std::make_shared<const std::string>(std::move(s))) {}

  const std::string& str() const {
    static const std::string empty;
    return text ? *text : empty;
  }
};

/// Serialised as its characters (only off the node or for printing; on one
/// node the message that carries it is shared, never copied).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shared_text& x) {
  std::string tmp = x.str();
  auto load = [&]() -> caf::error {
    x.text = std::make_shared<const std::string>(std::move(tmp));
    return caf::none;
  };
  return f(caf::meta::type_name("shared_text"), tmp,
           caf::meta::load_callback(load));
}

} // namespace openassist::actors
