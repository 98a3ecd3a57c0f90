#define CAF_SUITE actors.account

#include "actors/org/account.hpp"

#include <caf/test/dsl.hpp>

#include "client_answer.hpp"
#include "schema/codec.hpp"
#include "temp_environment.hpp"

using namespace caf;
using namespace openassist;
using namespace openassist::actors;
using json = nlohmann::json;

namespace {

// A writer that refuses every write: the storage failure path.
storage::persistence_actor::behavior_type
failing_writer(storage::persistence_actor::pointer) {
  return {
    [](storage::write_atom,
       storage::write_batch&) -> result<storage::write_receipt> {
      return storage::make_error(storage::storage_errc::io_error, "disk gone");
    },
    [](storage::flush_atom) {},
    [](storage::sync_atom) -> uint64_t { return 0; },
    [](storage::unfence_atom, const std::string&, uint64_t) {},
    [](storage::fence_atom, const std::string&) {
      return storage::fence_receipt{1, 0};
    },
  };
}

struct fixture : test_coordinator_fixture<> {
  temp_dir dir;
  std::shared_ptr<storage::environment> env;
  storage::persistence_actor writer;
  hasher_actor hash;
  // The writer's deadline clock runs `offset` µs ahead of the real one: a
  // test moves it to make batches wait "too long".
  int64_t offset = 0;
  std::function<void()> on_commit; // the writer's slow-disk hook

  fixture() {
    env = open_temp_environment(dir);
    storage::persistence_config pcfg;
    pcfg.env = env;
    pcfg.steady_now_us = [this] { return storage::steady_now_us() + offset; };
    pcfg.before_commit = [this] {
      if (auto hook = std::exchange(on_commit, nullptr))
        hook();
    };
    writer = sys.spawn(storage::persistence, pcfg);
    hash = sys.spawn(hasher);
    run();
  }

  account_actor spawn_account(storage::persistence_actor w) {
    account_config cfg;
    cfg.id = "acme";
    cfg.env = env;
    cfg.persistence = w;
    cfg.hasher = hash;
    auto a = sys.spawn(account, cfg);
    run();
    return a;
  }

  std::pair<unsigned, json> call(account_actor a, uint64_t caller,
                                 const std::string& op, const json& args) {
    std::pair<unsigned, json> out{0, nullptr};
    auto rh = self->request(a, infinite, account_op_atom::value, caller, op,
                            args.dump());
    run();
    rh.receive(
      [&](bool created, std::string& body) {
        out = answers::as_client(created, body);
      },
      [&](error& err) { out = answers::as_client(err); });
    return out;
  }

  uint64_t create(account_actor a) {
    uint64_t manager = 0;
    auto rh = self->request(
      a, infinite, account_create_atom::value, std::string{"Acme"},
      std::string{"boss@acme.example"}, std::string{"boss-password-1"});
    run();
    rh.receive(
      [&](std::string& body) {
        manager = json::parse(body)["manager_id"].get<uint64_t>();
      },
      [&](error& err) { CAF_FAIL(sys.render(err)); });
    return manager;
  }
};

} // namespace

using pushes = std::vector<std::pair<uint64_t, std::string>>;

// A subscriber of the organisation (the desk's stand-in): keeps the pushes.
behavior org_listener(event_based_actor*, std::shared_ptr<pushes> got) {
  return {
    [got](org_changed_atom, uint64_t revision, const std::string& body) {
      got->emplace_back(revision, body);
    },
  };
}

CAF_TEST_FIXTURE_SCOPE(account_actor_tests, fixture)

CAF_TEST(an unknown account answers 404) {
  auto a = spawn_account(writer);
  auto [status, body] = call(a, 1, "teams.list", json::object());
  CAF_CHECK_EQUAL(status, 404u);
}

CAF_TEST(changes are durable and the account rehydrates) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  auto [status, team] = call(a, boss, "teams.create", {{"name", "Support"}});
  CAF_CHECK_EQUAL(status, 201u);
  // The login index and the audit entry were written with the change.
  auto login = env->get(storage::table::logins, "manager:boss@acme.example");
  CAF_REQUIRE(login && *login);
  CAF_CHECK_EQUAL(**login, "acme/1");
  CAF_CHECK(env->get(storage::table::audit, audit_key("acme", 2))->has_value());
  anon_send_exit(a, exit_reason::user_shutdown);
  run();
  auto again = spawn_account(writer);
  auto [s2, teams] = call(again, boss, "teams.list", json::object());
  CAF_CHECK_EQUAL(s2, 200u);
  CAF_REQUIRE_EQUAL(teams["teams"].size(), 1u);
  CAF_CHECK_EQUAL(teams["teams"][0]["name"], "Support");
}

CAF_TEST(passwords are stored as argon2id hashes) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  auto [s1, team] = call(a, boss, "teams.create", {{"name", "Support"}});
  auto [s2, tech] = call(a, boss, "technicians.create",
                         {{"email", "ann@acme.example"},
                          {"first_name", "Ann"},
                          {"last_name", "Lee"},
                          {"team_id", team["id"]},
                          {"password", "ann-password-1"}});
  CAF_REQUIRE_EQUAL(s2, 201u);
  std::string stored_hash;
  self->send(a, credentials_atom::value, tech["id"].get<uint64_t>());
  run();
  self->receive(
    [&](std::string& hash, std::string& kind, std::string&, std::string&) {
      stored_hash = hash;
      CAF_CHECK_EQUAL(kind, "technician");
    });
  CAF_CHECK_EQUAL(stored_hash.rfind("$argon2id$", 0), 0u);
  auto entity = env->get(storage::table::entities, "account/acme");
  CAF_REQUIRE(entity && *entity);
  CAF_CHECK_EQUAL((**entity).find("ann-password-1"), std::string::npos);
}

CAF_TEST(a failed commit changes nothing) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  anon_send_exit(a, exit_reason::user_shutdown);
  run();
  auto broken = sys.spawn(failing_writer);
  auto b = spawn_account(broken);
  auto [status, body] = call(b, boss, "teams.create", {{"name", "Lost"}});
  CAF_CHECK_EQUAL(status, 503u);
  CAF_CHECK_EQUAL(body["error"]["code"], "storage_unavailable");
  auto [s2, teams] = call(b, boss, "teams.list", json::object());
  CAF_CHECK_EQUAL(teams["teams"].size(), 0u);
}

CAF_TEST(subscribers are told of stored changes only) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  auto got = std::make_shared<pushes>();
  auto listener = sys.spawn(org_listener, got);
  uint64_t revision = 0;
  auto rh = self->request(a, infinite, org_subscribe_atom::value,
                          actor_cast<actor>(listener), uint64_t{0});
  run();
  rh.receive(
    [&](uint64_t r, std::string& body) {
      revision = r;
      CAF_CHECK(!body.empty());
    },
    [&](error& err) { CAF_FAIL(sys.render(err)); });
  CAF_REQUIRE_NOT_EQUAL(revision, 0u);
  // A read changes nothing and pushes nothing.
  call(a, boss, "teams.list", json::object());
  CAF_CHECK_EQUAL(got->size(), 0u);
  // A stored change reaches the subscriber once, with a newer revision.
  auto [status, team] = call(a, boss, "teams.create", {{"name", "Support"}});
  CAF_CHECK_EQUAL(status, 201u);
  run();
  CAF_REQUIRE_EQUAL(got->size(), 1u);
  CAF_CHECK_GREATER(got->back().first, revision);
  CAF_CHECK(got->back().second.find("Support") != std::string::npos);
  CAF_CHECK(got->back().second.find("argon2id") == std::string::npos);
  // A refused change pushes nothing.
  auto [s409, dup] = call(a, boss, "teams.create", {{"name", ""}});
  CAF_CHECK_GREATER_OR_EQUAL(s409, 400u);
  run();
  CAF_CHECK_EQUAL(got->size(), 1u);
  // A subscriber that stops is forgotten; changes go on.
  anon_send_exit(listener, exit_reason::user_shutdown);
  run();
  auto [s2, t2] = call(a, boss, "teams.create", {{"name", "Second"}});
  CAF_CHECK_EQUAL(s2, 201u);
  CAF_CHECK_EQUAL(got->size(), 1u);
}

CAF_TEST(a change that is not stored is not pushed) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  anon_send_exit(a, exit_reason::user_shutdown);
  run();
  auto broken = sys.spawn(failing_writer);
  auto b = spawn_account(broken);
  auto got = std::make_shared<pushes>();
  auto listener = sys.spawn(org_listener, got);
  self->send(b, org_subscribe_atom::value, actor_cast<actor>(listener),
             uint64_t{0});
  run();
  auto [status, body] = call(b, boss, "teams.create", {{"name", "Lost"}});
  CAF_CHECK_EQUAL(status, 503u);
  run();
  CAF_CHECK_EQUAL(got->size(), 0u);
}

// Audit entries in storage, as (seq, action).
std::vector<std::pair<uint64_t, std::string>>
audit_of(storage::environment& env) {
  std::vector<std::pair<uint64_t, std::string>> out;
  auto err = env.scan(storage::table::audit, audit_key("acme", 0), 1000,
                      [&](std::string_view, std::string_view v) {
                        auto e = json::parse(v);
                        out.emplace_back(e["seq"].get<uint64_t>(),
                                         e["action"].get<std::string>());
                        return true;
                      });
  CAF_CHECK(!err);
  return out;
}

json technician(const std::string& email, const json& team) {
  return {{"email", email},
          {"first_name", "Ann"},
          {"last_name", "Lee"},
          {"team_id", team["id"]},
          {"password", "ann-password-1"}};
}

CAF_TEST(a write that outlives the request timeout is answered by its fate) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  auto [s1, team] = call(a, boss, "teams.create", {{"name", "Support"}});
  CAF_REQUIRE_EQUAL(s1, 201u);
  // The disk is slow: this commit takes 40 s, longer than the account waits
  // for an answer. The batch was checked before, so it commits.
  on_commit = [this] { sched.advance_time(std::chrono::seconds(40)); };
  auto [s2, tech] =
    call(a, boss, "technicians.create", technician("ann@acme.example", team));
  // Before: 503 "nothing changed" while the user and its login row were
  // stored, leaving the e-mail taken by nobody.
  CAF_CHECK_EQUAL(s2, 201u);
  auto login = env->get(storage::table::logins,
                        login_key("technician", "ann@acme.example"));
  CAF_REQUIRE(login && *login);
  CAF_CHECK_EQUAL(**login,
                  "acme/" + std::to_string(tech["id"].get<uint64_t>()));
  auto [s3, list] = call(a, boss, "technicians.list", json::object());
  CAF_CHECK_EQUAL(s3, 200u);
  CAF_CHECK_EQUAL(list.dump().find("ann@acme.example") != std::string::npos,
                  true);
  // The next change gets the next audit number: nothing is overwritten.
  auto [s4, team2] = call(a, boss, "teams.create", {{"name", "Sales"}});
  CAF_CHECK_EQUAL(s4, 201u);
  auto audit = audit_of(*env);
  CAF_REQUIRE_EQUAL(audit.size(), 4u);
  for (size_t i = 0; i < audit.size(); ++i)
    CAF_CHECK_EQUAL(audit[i].first, i + 1);
  CAF_CHECK_EQUAL(audit[2].second, "technician.create");
  CAF_CHECK_EQUAL(audit[3].second, "team.create");
}

CAF_TEST(a write that waited past its deadline changes nothing and the e -
         mail stays free) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  auto [s1, team] = call(a, boss, "teams.create", {{"name", "Support"}});
  CAF_REQUIRE_EQUAL(s1, 201u);
  // The writer's queue is "slow": the batch's deadline has passed when its
  // turn comes. It is refused before any commit, so "nothing changed" is
  // true.
  offset = 15'000'000;
  auto [s2, body] =
    call(a, boss, "technicians.create", technician("ann@acme.example", team));
  CAF_CHECK_EQUAL(s2, 503u);
  CAF_CHECK_EQUAL(body["error"]["code"], "storage_unavailable");
  auto login = env->get(storage::table::logins,
                        login_key("technician", "ann@acme.example"));
  CAF_REQUIRE(login);
  CAF_CHECK(!login->has_value());
  offset = 0;
  auto [s3, tech] =
    call(a, boss, "technicians.create", technician("ann@acme.example", team));
  CAF_CHECK_EQUAL(s3, 201u);
  auto audit = audit_of(*env);
  CAF_REQUIRE_EQUAL(audit.size(), 3u);
  for (size_t i = 0; i < audit.size(); ++i)
    CAF_CHECK_EQUAL(audit[i].first, i + 1);
}

CAF_TEST(a full storage is answered 507 and the account goes on) {
  auto a = spawn_account(writer);
  auto boss = create(a);
  anon_send_exit(a, exit_reason::user_shutdown);
  run();
  auto full = sys.spawn([](storage::persistence_actor::pointer)
                          -> storage::persistence_actor::behavior_type {
    return {
      [](storage::write_atom,
         storage::write_batch&) -> result<storage::write_receipt> {
        return storage::make_error(storage::storage_errc::map_full, "full");
      },
      [](storage::flush_atom) {},
      [](storage::sync_atom) -> uint64_t { return 0; },
      [](storage::unfence_atom, const std::string&, uint64_t) {},
      [](storage::fence_atom, const std::string&) {
        return storage::fence_receipt{1, 0};
      },
    };
  });
  auto b = spawn_account(full);
  auto [status, body] = call(b, boss, "teams.create", {{"name", "Lost"}});
  CAF_CHECK_EQUAL(status, 507u);
  CAF_CHECK_EQUAL(body["error"]["code"], "storage_full");
  auto [s2, teams] = call(b, boss, "teams.list", json::object());
  CAF_CHECK_EQUAL(s2, 200u);
  CAF_CHECK_EQUAL(teams["teams"].size(), 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
