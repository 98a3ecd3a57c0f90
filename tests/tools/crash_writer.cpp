// Crash-test helper for storage (tests/integration/storage_crash.test.mjs).
//
//   oa_crash_writer write DIR COUNT   writes COUNT records through the
//       persistence actor, 64 in flight, and prints "ack N" for each one
//       only after its durable acknowledgement arrived;
//   oa_crash_writer verify DIR        reads "ack N" lines on stdin and checks
//       that every acknowledged record is stored whole; prints "verified N".

#include <cstdio>
#include <deque>
#include <iostream>
#include <string>

#include <caf/all.hpp>

#include "schema/codec.hpp"
#include "storage/persistence.hpp"

using namespace openassist;

namespace {

std::string key_of(uint64_t n) {
  return "crash/" + std::to_string(n);
}

// A body that proves the record is whole: its length and bytes depend on n.
std::string body_of(uint64_t n) {
  std::string body(100 + n % 900, '\0');
  for (size_t i = 0; i < body.size(); ++i)
    body[i] = static_cast<char>((n * 31 + i * 7) & 0xff);
  return body;
}

storage::write_batch batch_of(uint64_t n) {
  storage::write_batch b;
  schema::entity_record rec{key_of(n), n, 0, body_of(n)};
  b.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                   storage::op_kind::put});
  b.events.push_back({0, 0, "crash.write", "test", rec.key,
                      "{\"n\":" + std::to_string(n) + "}"});
  return b;
}

int write_mode(const std::string& dir, uint64_t count) {
  auto env = storage::environment::open({dir, 1ull << 30, 126});
  if (!env) {
    std::cerr << "open failed\n";
    return 1;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  storage::persistence_config pcfg;
  pcfg.env = *env;
  auto writer = sys.spawn<caf::detached>(storage::persistence, pcfg);
  caf::scoped_actor self{sys};
  // 64 writes in flight; one writer's replies arrive in the order it
  // answers, which is the order the writes were sent.
  std::deque<uint64_t> inflight;
  uint64_t next = 0;
  auto send_next = [&] {
    self->send(writer, storage::write_atom::value, batch_of(next));
    inflight.push_back(next++);
  };
  while (next < count && inflight.size() < 64)
    send_next();
  int rc = 0;
  while (!inflight.empty() && rc == 0) {
    self->receive(
      [&](const storage::write_receipt&) {
        std::printf("ack %llu\n",
                    static_cast<unsigned long long>(inflight.front()));
        std::fflush(stdout);
        inflight.pop_front();
        if (next < count)
          send_next();
      },
      [&](caf::error& err) {
        std::fprintf(stderr, "write failed: %s\n", sys.render(err).c_str());
        rc = 1;
      });
  }
  self->send_exit(writer, caf::exit_reason::user_shutdown);
  return rc;
}

int verify_mode(const std::string& dir) {
  auto env = storage::environment::open({dir, 1ull << 30, 126});
  if (!env) {
    std::cerr << "reopen failed\n";
    return 1;
  }
  std::string word;
  uint64_t n = 0, verified = 0, bad = 0;
  while (std::cin >> word >> n) {
    auto bytes = (*env)->get(storage::table::entities, key_of(n));
    std::optional<schema::entity_record> rec;
    if (bytes && *bytes)
      rec = schema::decode_entity(**bytes);
    if (!rec || rec->key != key_of(n) || rec->revision != n ||
        rec->body != body_of(n)) {
      std::cerr << "acknowledged record " << n << " is missing or damaged\n";
      ++bad;
    } else {
      ++verified;
    }
  }
  std::cout << "verified " << verified << " lost " << bad << " events "
            << (*env)->last_event_seq() << '\n';
  return bad == 0 ? 0 : 3;
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string{argv[1]} == "write")
    return write_mode(argv[2], std::stoull(argv[3]));
  if (argc == 3 && std::string{argv[1]} == "verify")
    return verify_mode(argv[2]);
  std::cerr << "usage: oa_crash_writer write DIR COUNT | verify DIR\n";
  return 2;
}
