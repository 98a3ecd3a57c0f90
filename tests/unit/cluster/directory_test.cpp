#define CAF_SUITE cluster.directory

#include "cluster/directory.hpp"

#include <caf/test/dsl.hpp>

#include "actors/entity_store.hpp"
#include "schema/codec.hpp"
#include "storage/persistence.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::cluster;

namespace {

// A minimal entity kind for the test: it rehydrates its body from storage and
// answers get_atom with it.
behavior note_entity(event_based_actor*,
                     std::shared_ptr<storage::environment> env,
                     std::string key) {
  std::string body = "<new>";
  if (auto rec = actors::load_entity(*env, key); rec && *rec)
    body = (*rec)->body;
  return {
    [body](get_atom) { return body; },
  };
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  directory_actor aut;
  int spawned = 0;

  fixture() {
    env = open_temp_environment(dir);
    directory_config cfg;
    cfg.factories.emplace("note",
                          [this](actor_system& s, const std::string& key) {
                            ++spawned;
                            return s.spawn(note_entity, env, key);
                          });
    aut = sys.spawn(directory, std::move(cfg));
    run();
  }

  actor lookup(const std::string& key) {
    actor result;
    auto rh = self->request(aut, infinite, lookup_atom::value, key);
    run();
    rh.receive([&](actor& a) { result = a; },
               [&](error& err) { CAF_FAIL(sys.render(err)); });
    return result;
  }

  error lookup_error(const std::string& key) {
    error result;
    auto rh = self->request(aut, infinite, lookup_atom::value, key);
    run();
    rh.receive([&](actor&) { CAF_FAIL("lookup of " << key << " succeeded"); },
               [&](error& err) { result = err; });
    return result;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(directory_tests, fixture)

CAF_TEST(one key is one actor) {
  auto a = lookup("note/1");
  auto b = lookup("note/1");
  auto c = lookup("note/2");
  CAF_CHECK_EQUAL(a, b);
  CAF_CHECK_NOT_EQUAL(a, c);
  CAF_CHECK_EQUAL(spawned, 2);
}

CAF_TEST(entities rehydrate from storage) {
  storage::write_batch batch = actors::entity_write(
    schema::entity_record{"note/7", 1, 0, "stored body"},
    schema::event_record{0, 0, "note.saved", "acme", "", "{}"});
  std::vector<storage::write_batch*> batches{&batch};
  std::vector<storage::write_receipt> receipts;
  CAF_REQUIRE(!env->commit(batches, receipts, 1));
  auto note = lookup("note/7");
  self->send(note, get_atom::value);
  expect((get_atom), from(self).to(note));
  expect((std::string), from(note).to(self).with("stored body"));
}

CAF_TEST(a stopped entity is spawned again on the next lookup) {
  auto a = lookup("note/1");
  anon_send_exit(a, exit_reason::user_shutdown);
  run();
  self->send(aut, count_atom::value);
  expect((count_atom), from(self).to(aut));
  expect((uint64_t), from(aut).to(self).with(0u));
  auto b = lookup("note/1");
  CAF_CHECK_NOT_EQUAL(a, b);
  CAF_CHECK_EQUAL(spawned, 2);
}

CAF_TEST(bad keys and unknown kinds are refused) {
  std::vector<std::string> bad_keys{
    "", "note", "note/", "/1", "no te/1", std::string(300, 'n') + "/1"};
  for (const auto& key : bad_keys)
    CAF_CHECK_EQUAL(lookup_error(key).code(),
                    static_cast<uint8_t>(directory_errc::bad_key));
  CAF_CHECK_EQUAL(lookup_error("portal/1").code(),
                  static_cast<uint8_t>(directory_errc::unknown_kind));
  CAF_CHECK_EQUAL(spawned, 0);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(directory_shutdown_tests, fixture)

CAF_TEST(stopping the directory stops its entities) {
  auto a = lookup("note/1");
  self->monitor(a);
  anon_send_exit(aut, exit_reason::user_shutdown);
  run();
  bool stopped = false;
  self->receive([&](down_msg& msg) { stopped = msg.source == a.address(); });
  CAF_CHECK(stopped);
}

CAF_TEST_FIXTURE_SCOPE_END()
