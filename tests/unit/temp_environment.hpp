#pragma once

#include <cstddef>
#include <memory>

#include "storage/environment.hpp"
#include "temp_dir.hpp"

// An LMDB environment in a test's temporary directory (64 MiB map unless
// said otherwise); a test that cannot open it stops at once.
inline std::shared_ptr<openassist::storage::environment>
open_temp_environment(const temp_dir& dir, size_t map_size = size_t{64} << 20) {
  openassist::storage::environment_options opts;
  opts.path = dir.path;
  opts.map_size = map_size;
  return *openassist::storage::environment::open(opts);
}
