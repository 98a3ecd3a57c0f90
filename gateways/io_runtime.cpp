#include "gateways/io_runtime.hpp"

#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace openassist::gateways {

struct io_runtime::impl {
  explicit impl(unsigned n) : ctx(static_cast<int>(n)), threads(n) {}
  boost::asio::io_context ctx;
  unsigned threads;
  std::optional<
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
    guard;
  std::vector<std::thread> workers;
};

io_runtime::io_runtime(unsigned threads)
  : impl_(std::make_unique<impl>(threads == 0 ? 1 : threads)) {}

io_runtime::~io_runtime() {
  stop();
}

boost::asio::io_context& io_runtime::context() {
  return impl_->ctx;
}

void io_runtime::start() {
  impl_->guard.emplace(impl_->ctx.get_executor());
  for (unsigned i = 0; i < impl_->threads; ++i)
    impl_->workers.emplace_back([this] { impl_->ctx.run(); });
}

void io_runtime::stop(std::chrono::milliseconds grace) {
  impl_->guard.reset();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!impl_->workers.empty() && !impl_->ctx.stopped() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  impl_->ctx.stop();
  for (auto& t : impl_->workers)
    if (t.joinable())
      t.join();
  impl_->workers.clear();
}

} // namespace openassist::gateways
