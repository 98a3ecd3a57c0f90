#pragma once

#include <memory>
#include <utility>

#include <boost/asio/post.hpp>

namespace openassist::gateways {

/// A connection object (HTTP or WebSocket session) owned by shared pointers
/// that may be dropped on any thread: CAF actors hold responders and
/// outboxes, and the CAF clock thread releases actors. The object itself
/// (its Beast stream, whose destructor closes the socket and cancels its
/// timer) must be destroyed on its I/O thread, never concurrently with a
/// handler there; so the last reference posts the destruction to `ex`.
/// Handlers not run at shutdown are destroyed with the io_context, and the
/// object with them.
template <class T, class Executor, class... Args>
std::shared_ptr<T> make_io_owned(const Executor& ex, Args&&... args) {
  return std::shared_ptr<T>(new T(std::forward<Args>(args)...), [ex](T* p) {
    boost::asio::post(ex, [owned = std::unique_ptr<T>(p)] {});
  });
}

} // namespace openassist::gateways
