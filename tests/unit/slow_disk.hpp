#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "storage/persistence.hpp"

/// The real writer with its slow-disk test hooks, for fixtures that show
/// writes are never half-known: `offset` moves the writer's deadline clock
/// ahead (queued batches expire), `on_commit` runs once just before the next
/// commit (a commit that takes long, e.g. by advancing the test clock).
struct slow_disk {
  int64_t offset = 0;
  std::function<void()> on_commit;

  openassist::storage::persistence_config
  writer_config(std::shared_ptr<openassist::storage::environment> e) {
    openassist::storage::persistence_config pcfg;
    pcfg.env = std::move(e);
    pcfg.steady_now_us = [this] {
      return openassist::storage::steady_now_us() + offset;
    };
    pcfg.before_commit = [this] {
      if (auto hook = std::exchange(on_commit, nullptr))
        hook();
    };
    return pcfg;
  }
};
