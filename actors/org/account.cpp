#include "actors/org/account.hpp"
#include "actors/clock.hpp"
#include "actors/org/account_audit.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "actors/entity_store.hpp"
#include "actors/identity/login_sessions.hpp"
#include "actors/intake/business_hours.hpp"
#include "actors/json_fields.hpp"
#include "monitoring/logging.hpp"
#include "schema/codec.hpp"

namespace openassist::actors {

const char* account_state::name = "account";

std::string audit_key(const std::string& account, uint64_t seq) {
  std::string key = account;
  key.push_back('\0');
  for (int shift = 56; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((seq >> shift) & 0xff));
  return key;
}

namespace {

using self_ptr = account_actor::stateful_pointer<account_state>;
caf::error error_reply(errc kind, const std::string& code,
                       const std::string& message) {
  error_details d;
  d.code = code;
  return make_error(kind, message, std::move(d));
}

std::string dump(const json& j) {
  return j.is_null() ? std::string{} : dump_text(j);
}

int64_t now_ms() {
  return wall_ms();
}

std::string entity_key(const account_state& st) {
  return "account/" + st.cfg.id;
}

// The durable form of one change: the account snapshot, the login index
// changes, one audit entry per change (table `audit`) and its event.
storage::write_batch make_batch(account_state& st, uint64_t caller_id,
                                const op_outcome& out) {
  std::string actor_email;
  if (auto i = st.org.users.find(caller_id); i != st.org.users.end())
    actor_email = i->second.email;
  storage::write_batch batch;
  auto time = now_ms();
  for (auto& a : out.audit) {
    auto seq = st.org.next_audit++;
    json entry = {{"seq", seq},           {"time", time},
                  {"actor", actor_email}, {"actor_id", caller_id},
                  {"action", a.action},   {"target", a.target},
                  {"before", a.before},   {"after", a.after}};
    batch.ops.push_back({storage::table::audit, audit_key(st.cfg.id, seq),
                         dump(entry), storage::op_kind::put});
    batch.events.push_back(
      {0, 0, "audit." + a.action, st.cfg.id, a.target, dump(entry)});
  }
  for (auto& op : out.index_ops)
    batch.ops.push_back(op);
  schema::entity_record rec{entity_key(st), st.org.next_audit, 0,
                            dump(to_storage_json(st.org))};
  batch.ops.push_back({storage::table::entities, rec.key, schema::encode(rec),
                       storage::op_kind::put});
  return batch;
}

enum class write_outcome { stored, not_stored, unknown };

/// The answer to a change that storage refused (with why, not_stored()).
constexpr const char* not_changed =
  "the change could not be stored; nothing changed";

caf::error unknown_reply() {
  return error_reply(errc::storage_unavailable, "storage_unknown",
                     "storage did not answer; the change may or may not be "
                     "stored, look before trying again");
}

// Makes `batch` durable under this incarnation's fence and tells `done` its
// fate. Any error is followed by a fence (a barrier behind the batch), whose
// answer says whether the batch committed: a timeout is never taken for
// "not stored". `unknown` only when the writer does not answer the fence.
void write(self_ptr self, storage::write_batch batch,
           std::function<void(write_outcome, const caf::error&)> done) {
  auto& st = self->state;
  auto seq = st.fence.stamp(batch, st.cfg.write_deadline);
  auto timeout = storage::write_timeout(st.cfg.write_deadline);
  self
    ->request(st.cfg.persistence, timeout, storage::write_atom::value,
              std::move(batch))
    .await(
      [done](const storage::write_receipt&) {
        done(write_outcome::stored, caf::error{});
      },
      [self, seq, timeout, done](caf::error& err) {
        auto& st = self->state;
        monitoring::component_logger("account")->warn(
          "[account {}] change {} not acknowledged: {}", st.cfg.id, seq,
          self->system().render(err));
        self
          ->request(st.cfg.persistence, timeout, storage::fence_atom::value,
                    st.fence.domain)
          .await(
            [self, seq, done, err](const storage::fence_receipt& r) {
              self->state.fence.reset(r);
              done(r.committed >= seq ? write_outcome::stored
                                      : write_outcome::not_stored,
                   err);
            },
            [self, done, err](caf::error& fence_err) {
              monitoring::component_logger("account")->error(
                "[account {}] storage does not answer a fence: {}",
                self->state.cfg.id, self->system().render(fence_err));
              done(write_outcome::unknown, err);
            });
      });
}

// Reads the account from storage (after a fence).
void load(account_state& st) {
  st.exists = false;
  st.damaged = false;
  st.org = org_account{};
  auto rec = load_entity(*st.cfg.env, entity_key(st));
  if (!rec) {
    st.damaged = true;
  } else if (*rec) {
    auto doc = json::parse((*rec)->body, nullptr, false);
    auto org = doc.is_discarded() ? std::nullopt : from_storage_json(doc);
    if (org) {
      st.org = std::move(*org);
      st.exists = true;
    } else {
      st.damaged = true;
    }
  }
  if (st.damaged)
    monitoring::component_logger("account")->error(
      "[account {}] stored record does not decode", st.cfg.id);
}

void org_stored(self_ptr self);

void run_op(self_ptr self, uint64_t caller, std::string op, json args,
            std::map<std::string, std::string> hashes,
            caf::typed_response_promise<bool, std::string> rp) {
  auto& st = self->state;
  auto snapshot = st.org;
  account_service svc{st.org};
  op_context ctx;
  ctx.caller_id = caller;
  ctx.hashes = std::move(hashes);
  ctx.valid_time_zone = st.cfg.valid_time_zone;
  ctx.now_unix = wall_s();
  ctx.monitor_run_ms = st.cfg.monitor_run.count();
  ctx.login_taken = [env = st.cfg.env](const std::string& kind,
                                       const std::string& email) {
    auto v = env->get(storage::table::logins, login_key(kind, email));
    return !v || v->has_value(); // a read error counts as taken
  };
  auto res = svc.apply(op, args, ctx);
  if (auto* e = std::get_if<op_error>(&res)) {
    st.org = std::move(snapshot);
    rp.deliver(to_error(*e));
    return;
  }
  auto out = std::get<op_outcome>(std::move(res));
  if (!out.changed) {
    rp.deliver(out.created, dump(out.body));
    return;
  }
  auto batch = make_batch(st, caller, out);
  write(self, std::move(batch),
        [self, rp, out, snapshot](write_outcome fate,
                                  const caf::error& err) mutable {
          if (fate == write_outcome::stored) {
            rp.deliver(out.created, dump(out.body));
            org_stored(self);
            return;
          }
          if (fate == write_outcome::unknown) {
            rp.deliver(unknown_reply());
            self->quit(err);
            return;
          }
          // Definitely not stored: memory goes back to what is stored.
          self->state.org = std::move(snapshot);
          if (err.category() == caf::atom("storage") &&
              err.code() ==
                static_cast<uint8_t>(storage::storage_errc::conflict)) {
            rp.deliver(error_reply(errc::bad_state, "duplicate_user",
                                   "a user id in this change was just taken"));
            return;
          }
          rp.deliver(not_stored(err, not_changed));
        });
}

std::tuple<std::string, std::string, std::string, std::string>
credentials_of(const account_state& st, uint64_t user_id) {
  auto i = st.org.users.find(user_id);
  if (i == st.org.users.end() || i->second.deleted)
    return {"", "", "", ""};
  return {i->second.password_hash, i->second.kind(), to_string(i->second.r),
          i->second.language};
}

std::tuple<uint64_t, std::string> snapshot_of(const account_state& st,
                                              uint64_t known) {
  if (!st.exists || st.damaged)
    return {0, ""};
  auto revision = st.org.next_audit;
  if (revision == known)
    return {revision, ""};
  auto copy = st.org;
  for (auto& [id, u] : copy.users)
    u.password_hash.clear();
  return {revision, dump(to_storage_json(copy))};
}

// Takes `who` as a subscriber of the organisation (once) and answers as a
// snapshot would.
std::tuple<uint64_t, std::string> subscribe(self_ptr self, caf::actor who,
                                            uint64_t known) {
  auto& subs = self->state.org_subscribers;
  if (who && std::find(subs.begin(), subs.end(), who) == subs.end()) {
    self->monitor(who);
    subs.push_back(std::move(who));
  }
  return snapshot_of(self->state, known);
}

// Tells the subscribers of a stored change (one body for all of them).
void org_stored(self_ptr self) {
  auto& st = self->state;
  if (st.org_subscribers.empty())
    return;
  auto [revision, body] = snapshot_of(st, 0);
  if (revision == 0)
    return;
  auto msg = caf::make_message(org_changed_atom::value, revision, body);
  for (auto& s : st.org_subscribers)
    caf::anon_send(s, msg);
}

// While passwords are hashed (in the hasher pool, which may take seconds for
// a bulk import) the account keeps answering logins and the desk; other
// changes wait in the mailbox, so that changes stay one after the other.
account_actor::behavior_type hashing_behavior(self_ptr self) {
  return {
    [self](account_op_atom, uint64_t caller, const std::string& op,
           const std::string&) -> caf::result<bool, std::string> {
      // Reading who one is (a login answers with it) changes nothing.
      if (op == "me.get") {
        auto& st = self->state;
        auto c = st.org.users.find(caller);
        if (c == st.org.users.end() || c->second.deleted)
          return error_reply(errc::unauthenticated, "unauthenticated",
                             "your login no longer exists");
        return caf::result<bool, std::string>(false,
                                              dump(me_json(st.org, c->second)));
      }
      return caf::skip;
    },
    [self](credentials_atom, uint64_t user_id) {
      return credentials_of(self->state, user_id);
    },
    [self](org_snapshot_atom, uint64_t known) {
      return snapshot_of(self->state, known);
    },
    [self](org_subscribe_atom, caf::actor& who, uint64_t known) {
      return subscribe(self, std::move(who), known);
    },
    [](account_create_atom, const std::string&, const std::string&,
       const std::string&) -> caf::result<std::string> { return caf::skip; },
  };
}

// Hashes `passwords`, then runs `next(hashes)` in the account's normal
// behaviour; answers errc::unavailable on `rp` when hashing fails.
template <class Promise, class Next>
void with_hashes(self_ptr self, std::vector<std::string> passwords, Promise rp,
                 Next next) {
  // One hash per distinct password (an import often gives everyone the
  // same first password).
  std::sort(passwords.begin(), passwords.end());
  passwords.erase(std::unique(passwords.begin(), passwords.end()),
                  passwords.end());
  auto timeout = std::chrono::seconds(60 + passwords.size());
  self->become(caf::keep_behavior, hashing_behavior(self));
  self
    ->request(self->state.cfg.hasher, timeout, hash_atom::value,
              std::move(passwords))
    .then(
      [self, next](std::map<std::string, std::string>& h) mutable {
        self->unbecome();
        next(std::move(h));
      },
      [self, rp](caf::error&) mutable {
        self->unbecome();
        rp.deliver(error_reply(errc::unavailable, "unavailable",
                               "password hashing failed"));
      });
}

// A password that is reset or changed ends every login and bearer token of
// its user. Which users that are is found by trying the change on a copy;
// the logins end in a write queued before the change's own, so that no
// request answered after the change still gets in with an old login.
void end_logins_of_changed(self_ptr self, uint64_t caller,
                           const std::string& op, const json& args,
                           const std::map<std::string, std::string>& hashes) {
  auto& st = self->state;
  auto copy = st.org;
  account_service svc{copy};
  op_context ctx;
  ctx.caller_id = caller;
  ctx.hashes = hashes;
  ctx.valid_time_zone = st.cfg.valid_time_zone;
  ctx.now_unix = now_ms() / 1000;
  ctx.monitor_run_ms = st.cfg.monitor_run.count();
  ctx.login_taken = [env = st.cfg.env](const std::string& kind,
                                       const std::string& email) {
    auto v = env->get(storage::table::logins, login_key(kind, email));
    return !v || v->has_value();
  };
  if (std::holds_alternative<op_error>(svc.apply(op, args, ctx)))
    return;
  storage::write_batch batch;
  // +1: a login that read the old password in this very millisecond ends too.
  auto now = now_ms() + 1;
  for (auto& [id, u] : copy.users)
    if (auto before = st.org.users.find(id);
        before != st.org.users.end() &&
        before->second.password_hash != u.password_hash)
      for (auto& o : end_sessions_ops(*st.cfg.env, st.cfg.id, id, now))
        batch.ops.push_back(std::move(o));
  if (batch.ops.empty())
    return;
  self
    ->request(st.cfg.persistence, std::chrono::seconds(30),
              storage::write_atom::value, std::move(batch))
    .then([](const storage::write_receipt&) {},
          [self](caf::error& err) {
            monitoring::component_logger("account")->error(
              "[account {}] logins of a changed password not ended: {}",
              self->state.cfg.id, self->system().render(err));
          });
}

} // namespace

account_actor::behavior_type
account(account_actor::stateful_pointer<account_state> self,
        account_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.fence.domain = entity_key(st);
  // Storage is read behind a fence: whatever an earlier incarnation left in
  // the writer's queue is decided (and its later batches refused) first.
  // Nothing is answered before (await).
  self
    ->request(st.cfg.persistence, storage::write_timeout(st.cfg.write_deadline),
              storage::fence_atom::value, st.fence.domain)
    .await(
      [self](const storage::fence_receipt& r) {
        self->state.fence.reset(r);
        load(self->state);
      },
      [self](caf::error& err) {
        monitoring::component_logger("account")->error(
          "[account {}] storage does not answer a fence: {}",
          self->state.cfg.id, self->system().render(err));
        self->quit(err);
      });
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& subs = self->state.org_subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(),
                              [&](const caf::actor& a) {
                                return a.address() == msg.source;
                              }),
               subs.end());
  });
  return {
    [self](account_op_atom, uint64_t caller, const std::string& op,
           const std::string& args_text) -> caf::result<bool, std::string> {
      auto& st = self->state;
      if (st.damaged)
        return error_reply(errc::damaged, "account_damaged",
                           "this account's stored data is damaged");
      if (!st.exists)
        return error_reply(errc::not_found, "not_found", "no such account");
      auto args = json::parse(args_text, nullptr, false);
      if (args.is_discarded() || !args.is_object())
        args = json::object();
      if (op == "audit.list") {
        auto c = st.org.users.find(caller);
        if (c == st.org.users.end() || c->second.deleted)
          return error_reply(errc::unauthenticated, "unauthenticated",
                             "your login no longer exists");
        auto listed = audit_list(st, c->second, args);
        if (auto* e = std::get_if<op_error>(&listed))
          return to_error(*e);
        return caf::result<bool, std::string>(false,
                                              dump(std::get<json>(listed)));
      }
      auto rp = self->make_response_promise<bool, std::string>();
      auto passwords = account_service::passwords_in(op, args);
      if (passwords.empty()) {
        run_op(self, caller, op, std::move(args), {}, rp);
      } else {
        with_hashes(self, std::move(passwords), rp,
                    [self, caller, op, args,
                     rp](std::map<std::string, std::string> h) mutable {
                      end_logins_of_changed(self, caller, op, args, h);
                      run_op(self, caller, op, std::move(args), std::move(h),
                             rp);
                    });
      }
      return rp;
    },
    [self](credentials_atom, uint64_t user_id) {
      return credentials_of(self->state, user_id);
    },
    [self](org_snapshot_atom, uint64_t known) {
      return snapshot_of(self->state, known);
    },
    [self](org_subscribe_atom, caf::actor& who, uint64_t known) {
      return subscribe(self, std::move(who), known);
    },
    [self](account_create_atom, const std::string& name,
           const std::string& email,
           const std::string& password) -> caf::result<std::string> {
      auto& st = self->state;
      if (st.exists || st.damaged)
        return error_reply(errc::bad_state, "account_exists",
                           "the account exists");
      auto rp = self->make_response_promise<std::string>();
      with_hashes(
        self, std::vector<std::string>{password}, rp,
        [self, rp, name, email,
         password](std::map<std::string, std::string> h) mutable {
          auto& st = self->state;
          st.org = org_account{};
          st.org.id = st.cfg.id;
          st.org.name = name;
          org_user cm;
          cm.id = st.org.next_id++;
          cm.r = role::company_manager;
          cm.email = email;
          cm.first_name = "Company";
          cm.last_name = "Manager";
          cm.screen_name = "Manager";
          cm.password_hash = h[password];
          op_outcome out;
          out.created = true;
          out.changed = true;
          out.body = {{"id", st.cfg.id}, {"name", name}, {"manager_id", cm.id}};
          out.audit.push_back(
            {"account.create", "account/" + st.cfg.id, nullptr, out.body});
          out.index_ops.push_back({storage::table::logins,
                                   login_key("manager", email),
                                   st.cfg.id + "/" + std::to_string(cm.id),
                                   storage::op_kind::insert});
          st.org.users.emplace(cm.id, cm);
          auto batch = make_batch(st, cm.id, out);
          write(
            self, std::move(batch),
            [self, rp, out](write_outcome fate, const caf::error& err) mutable {
              if (fate == write_outcome::stored) {
                self->state.exists = true;
                rp.deliver(dump(out.body));
                org_stored(self);
                return;
              }
              if (fate == write_outcome::unknown) {
                rp.deliver(unknown_reply());
                self->quit(err);
                return;
              }
              self->state.org = org_account{};
              rp.deliver(
                err.category() == caf::atom("storage") &&
                    err.code() ==
                      static_cast<uint8_t>(storage::storage_errc::conflict)
                  ? error_reply(errc::bad_state, "account_exists",
                                "the account or its manager login exists")
                  : not_stored(err, not_changed));
            });
        });
      return rp;
    },
  };
}

} // namespace openassist::actors
