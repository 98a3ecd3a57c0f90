#pragma once

#include <vector>

#include <caf/all.hpp>

#include "storage/persistence.hpp"

// A writer whose disk is stuck: it takes batches and never answers them, but
// answers fences (nothing of the stuck epoch committed).
struct stuck_writer_state {
  std::vector<caf::typed_response_promise<openassist::storage::write_receipt>>
    held;
  uint64_t epoch = 100;
};

inline openassist::storage::persistence_actor::behavior_type stuck_writer(
  openassist::storage::persistence_actor::stateful_pointer<stuck_writer_state>
    self) {
  using namespace openassist::storage;
  return {
    [self](write_atom, write_batch&) -> caf::result<write_receipt> {
      auto rp = self->make_response_promise<write_receipt>();
      self->state.held.push_back(rp);
      return rp;
    },
    [](flush_atom) {},
    [](sync_atom) -> uint64_t { return 0; },
    [](unfence_atom, const std::string&, uint64_t) {},
    [self](fence_atom, const std::string&) {
      return fence_receipt{++self->state.epoch, 0};
    },
  };
}
