#define CAF_SUITE actors.accept_actors

// The accept protocol between real presence and queue actors
// (actors/intake/presence.hpp, queue.hpp) on CAF's deterministic scheduler,
// with real storage: the message orders of docs/design/entity-actors.md,
// "Accept and assign", and actors stopped in the middle.

#include <caf/test/dsl.hpp>

#include "actors/entity_store.hpp"
#include "actors/intake/presence.hpp"
#include "actors/intake/queue.hpp"
#include "schema/codec.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using namespace openassist::actors::intake;

namespace {

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  cluster::directory_actor directory;
  int64_t clock = 1'000'000;
  int32_t max_sessions = 1;

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    writer = sys.spawn(storage::persistence, pcfg);
    cluster::directory_config dcfg;
    // presence/acme/<technician> and queue/acme/<portal>.
    auto id_of = [](const std::string& key) {
      return std::stoull(key.substr(key.rfind('/') + 1));
    };
    dcfg.factories.emplace(
      "presence", [this, id_of](actor_system& s, const std::string& key) {
        presence_config cfg;
        cfg.account = "acme";
        cfg.technician = id_of(key);
        cfg.env = env;
        cfg.persistence = writer;
        cfg.directory = directory;
        cfg.max_sessions = max_sessions;
        cfg.now_ms = [this] { return clock; };
        cfg.tick_interval = std::chrono::hours(1); // the tests tick by hand
        return actor_cast<actor>(s.spawn(presence_entity, cfg));
      });
    dcfg.factories.emplace(
      "queue", [this, id_of](actor_system& s, const std::string& key) {
        queue_config cfg;
        cfg.account = "acme";
        cfg.portal = id_of(key);
        cfg.env = env;
        cfg.persistence = writer;
        cfg.directory = directory;
        return actor_cast<actor>(s.spawn(queue_entity, cfg));
      });
    directory = sys.spawn(cluster::directory, dcfg);
    sched.run();
  }

  ~fixture() {
    anon_send_exit(directory, exit_reason::user_shutdown);
    sched.run();
  }

  actor lookup(const std::string& key) {
    actor out;
    auto rh =
      self->request(directory, infinite, cluster::lookup_atom::value, key);
    sched.run();
    rh.receive([&](actor& a) { out = a; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }
  presence_actor tech(uint64_t id) {
    return actor_cast<presence_actor>(lookup(presence_key("acme", id)));
  }
  queue_actor portal(uint64_t id) {
    return actor_cast<queue_actor>(lookup(queue_key("acme", id)));
  }

  /// Stops an entity actor as a crash would; the next lookup respawns it.
  void kill(const actor& a) {
    anon_send_exit(a, exit_reason::kill);
    sched.run();
  }

  void open(uint64_t portal_id, uint64_t request) {
    auto rh = self->request(portal(portal_id), infinite, queue_open_atom::value,
                            request);
    sched.run();
    rh.receive([](bool) {}, [&](error& err) { CAF_FAIL(sys.render(err)); });
  }

  holder_info holder(uint64_t portal_id, uint64_t request) {
    holder_info out;
    auto rh = self->request(portal(portal_id), infinite,
                            queue_holder_atom::value, request);
    sched.run();
    rh.receive([&](holder_info& h) { out = h; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  std::vector<slot> slots(uint64_t technician) {
    std::vector<slot> out;
    auto rh =
      self->request(tech(technician), infinite, presence_slots_atom::value);
    sched.run();
    rh.receive([&](std::vector<slot>& v) { out = v; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return out;
  }

  /// The accept's answer: the slot, or the errc of the refusal.
  using outcome = std::variant<slot, errc>;
  static outcome read(expected<slot> x) {
    if (x)
      return *x;
    return static_cast<errc>(code_of(x.error()));
  }

  /// Stores records as an earlier incarnation left them.
  void store(const std::string& key, const std::string& body) {
    schema::entity_record rec{key, 1, 0, body};
    auto batch = entity_put(rec);
    std::vector<storage::write_batch*> batches{&batch};
    std::vector<storage::write_receipt> receipts;
    CAF_REQUIRE(!env->commit(batches, receipts, clock * 1000));
  }
};

bool is(const fixture::outcome& o, errc e) {
  return std::holds_alternative<errc>(o) && std::get<errc>(o) == e;
}

bool held(const fixture::outcome& o) {
  return std::holds_alternative<slot>(o) &&
         std::get<slot>(o).state == slot_state::held;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(accept_actors_tests, fixture)

CAF_TEST(two technicians accept one request at once) {
  open(20, 1);
  auto t1 = tech(1);
  auto t2 = tech(2);
  auto q = queue_key("acme", 20);
  // Both accepts are on their way before either presence runs.
  auto a1 =
    self->request(t1, infinite, presence_accept_atom::value, uint64_t{1}, q);
  auto a2 =
    self->request(t2, infinite, presence_accept_atom::value, uint64_t{1}, q);
  sched.run();
  fixture::outcome o1, o2;
  a1.receive([&](slot& s) { o1 = s; },
             [&](error& e) { o1 = read(std::move(e)); });
  a2.receive([&](slot& s) { o2 = s; },
             [&](error& e) { o2 = read(std::move(e)); });
  CAF_CHECK(held(o1) != held(o2)); // exactly one has it
  auto winner = held(o1) ? uint64_t{1} : uint64_t{2};
  CAF_CHECK(is(held(o1) ? o2 : o1, errc::taken));
  auto h = holder(20, 1);
  CAF_CHECK(h.technician == winner);
  CAF_CHECK(slots(winner).size() == 1u);
  CAF_CHECK(slots(3 - winner).empty()); // the loser's slot is free again
}

CAF_TEST(one technician with one free slot accepts on two portals) {
  open(20, 1);
  open(21, 2);
  auto t1 = tech(1);
  auto a1 = self->request(t1, infinite, presence_accept_atom::value,
                          uint64_t{1}, queue_key("acme", 20));
  auto a2 = self->request(t1, infinite, presence_accept_atom::value,
                          uint64_t{2}, queue_key("acme", 21));
  sched.run();
  fixture::outcome o1, o2;
  a1.receive([&](slot& s) { o1 = s; },
             [&](error& e) { o1 = read(std::move(e)); });
  a2.receive([&](slot& s) { o2 = s; },
             [&](error& e) { o2 = read(std::move(e)); });
  CAF_CHECK(held(o1));
  CAF_CHECK(is(o2, errc::full)); // refused before portal 21 was asked
  CAF_CHECK(holder(21, 2).technician == 0u);
  CAF_CHECK(holder(20, 1).technician == 1u);
}

CAF_TEST(slots and holders survive a restart of both actors) {
  open(20, 1);
  auto t1 = tech(1);
  auto a = self->request(t1, infinite, presence_accept_atom::value, uint64_t{1},
                         queue_key("acme", 20));
  sched.run();
  a.receive([](slot& s) { CAF_CHECK(s.state == slot_state::held); },
            [&](error& e) { CAF_FAIL(sys.render(e)); });
  kill(actor_cast<actor>(t1));
  kill(actor_cast<actor>(portal(20)));
  auto back = slots(1); // respawned: rehydrated and asked the queue
  CAF_REQUIRE(back.size() == 1u);
  CAF_CHECK(back[0].state == slot_state::held);
  CAF_CHECK(holder(20, 1).technician == 1u);
  // Still at the maximum after the restart.
  open(20, 2);
  auto b = self->request(tech(1), infinite, presence_accept_atom::value,
                         uint64_t{2}, queue_key("acme", 20));
  sched.run();
  b.receive([](slot&) { CAF_FAIL("over the maximum"); },
            [](error& e) { CAF_CHECK(code_of(e) == uint8_t(errc::full)); });
}

CAF_TEST(a presence stopped after reserving learns the outcome from the queue) {
  // The previous incarnation stored reservation #4 for request 1 and died;
  // the queue got the claim (holder t1 #4), or it did not.
  for (bool claim_landed : {true, false}) {
    store(presence_key("acme", 1),
          R"({"last_no":4,"slots":[{"request":1,"queue":"queue/acme/20",)"
          R"("no":4,"state":"reserved","since":0,"front":true}]})");
    if (claim_landed)
      store(queue_key("acme", 20), R"({"open":[[1,1,4]],"fences":[]})");
    else
      store(queue_key("acme", 20), R"({"open":[[1,0,0]],"fences":[]})");
    auto back = slots(1);
    if (claim_landed) {
      CAF_REQUIRE(back.size() == 1u);
      CAF_CHECK(back[0].state == slot_state::held);
    } else {
      CAF_CHECK(back.empty()); // freed; and #4 is fenced at the queue
      auto late = self->request(portal(20), infinite, queue_claim_atom::value,
                                claim_msg{1, 1, 4});
      sched.run();
      late.receive(
        [](claim_answer& a) { CAF_CHECK(a.outcome == claim_outcome::stale); },
        [&](error& e) { CAF_FAIL(sys.render(e)); });
      CAF_CHECK(holder(20, 1).technician == 0u);
      // A new accept gets a new number and the request.
      auto a = self->request(tech(1), infinite, presence_accept_atom::value,
                             uint64_t{1}, queue_key("acme", 20));
      sched.run();
      a.receive([](slot& s) { CAF_CHECK(s.no == 5u); },
                [&](error& e) { CAF_FAIL(sys.render(e)); });
    }
    kill(actor_cast<actor>(tech(1)));
    kill(actor_cast<actor>(portal(20)));
  }
}

CAF_TEST(a request given back goes to the next technician) {
  open(20, 1);
  auto q = queue_key("acme", 20);
  auto a = self->request(tech(1), infinite, presence_accept_atom::value,
                         uint64_t{1}, q);
  sched.run();
  a.receive([](slot&) {}, [&](error& e) { CAF_FAIL(sys.render(e)); });
  auto r = self->request(tech(1), infinite, presence_release_atom::value,
                         uint64_t{1}, true);
  sched.run();
  r.receive([](bool ok) { CAF_CHECK(ok); },
            [&](error& e) { CAF_FAIL(sys.render(e)); });
  CAF_CHECK(slots(1).empty());
  CAF_CHECK(holder(20, 1).open);
  CAF_CHECK(holder(20, 1).technician == 0u);
  auto b = self->request(tech(2), infinite, presence_accept_atom::value,
                         uint64_t{1}, q);
  sched.run();
  b.receive([](slot& s) { CAF_CHECK(s.state == slot_state::held); },
            [&](error& e) { CAF_FAIL(sys.render(e)); });
  CAF_CHECK(holder(20, 1).technician == 2u);
}

CAF_TEST(a request that ends frees the slot of its technician) {
  open(20, 1);
  auto a = self->request(tech(1), infinite, presence_accept_atom::value,
                         uint64_t{1}, queue_key("acme", 20));
  sched.run();
  a.receive([](slot&) {}, [&](error& e) { CAF_FAIL(sys.render(e)); });
  auto c =
    self->request(portal(20), infinite, queue_close_atom::value, uint64_t{1});
  sched.run();
  c.receive([](bool closed) { CAF_CHECK(closed); },
            [&](error& e) { CAF_FAIL(sys.render(e)); });
  CAF_CHECK(slots(1).empty());
  CAF_CHECK(!holder(20, 1).open);
}

CAF_TEST(a presence whose writes fail answers an error and restarts clean) {
  open(20, 1);
  auto t1 = tech(1);
  // The writer refuses everything from now on: the reservation is not
  // stored, the accept is refused, and no claim reaches the queue.
  anon_send_exit(writer, exit_reason::kill);
  sched.run();
  auto a = self->request(t1, infinite, presence_accept_atom::value, uint64_t{1},
                         queue_key("acme", 20));
  sched.run();
  a.receive([](slot&) { CAF_FAIL("accepted without storage"); }, [](error&) {});
  // The queue no longer answers either (its writer is gone), but what it
  // stored says nobody has the request.
  auto rec = load_entity(*env, queue_key("acme", 20));
  CAF_REQUIRE(rec && *rec);
  CAF_CHECK((*rec)->body.find("[1,0,0]") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
