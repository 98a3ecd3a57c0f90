#include "actors/identity/auth.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "actors/errc.hpp"
#include "actors/identity/credentials.hpp"
#include "actors/identity/login_sessions.hpp"
#include "actors/json_fields.hpp"
#include "actors/org/account.hpp"
#include "actors/org/account_service.hpp"

namespace openassist::actors {

const char* auth_state::name = "auth";

namespace {

using json = nlohmann::json;
using self_ptr = auth_actor::stateful_pointer<auth_state>;
caf::error login_error(errc kind, const std::string& code,
                       const std::string& message, int64_t retry_after_s = 0) {
  error_details d;
  d.code = code;
  d.retry_after_s = retry_after_s;
  return make_error(kind, message, std::move(d));
}

// Whether a login for `user_key` from `addr_key` may be tried now.
// A login from where its user id signed in lately is not held back by the
// user id's failures, so a flood against a user's id from elsewhere does
// not lock that user out of their usual place.
bool login_allowed(auth_state& st, const std::string& user_key,
                   const std::string& addr_key, bool trusted) {
  auto now_ms = st.cfg.now_s() * 1000;
  return (trusted || st.user_failures.allowed(user_key, now_ms)) &&
         st.address_failures.allowed(addr_key, now_ms);
}

void record_failure(auth_state& st, const std::string& user_key,
                    const std::string& addr_key) {
  // Bounded tables that expire by time and are never wiped (rate_limiter).
  auto now_ms = st.cfg.now_s() * 1000;
  st.user_failures.hit(user_key, now_ms);
  st.address_failures.hit(addr_key, now_ms);
}

// A stored hash for an unknown user, so that unknown and known user ids take
// the same time to refuse.
const std::string& decoy_hash() {
  static const std::string h = hash_password("decoy password").value_or("");
  return h;
}

// "<account>/<user id>" of a login index row; false when damaged.
bool parse_login(const std::string& where, std::string& account,
                 uint64_t& user) {
  auto slash = where.find('/');
  if (slash == std::string::npos || slash == 0)
    return false;
  auto id = std::string_view{where}.substr(slash + 1);
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), user);
  if (ec != std::errc{} || end != id.data() + id.size() || id.empty())
    return false;
  account = where.substr(0, slash);
  return true;
}

// `since`: when the credentials this login was checked against were read;
// a password reset or change after that ends the login (even one that is
// still on its way to storage).
void create_session(self_ptr self, std::string account, uint64_t user,
                    std::string kind, bool bearer, int64_t since,
                    caf::typed_response_promise<std::string, std::string> rp) {
  auto& st = self->state;
  auto token = random_token();
  auto csrf = random_token();
  auto expires =
    st.cfg.now_s() + (bearer ? st.cfg.bearer_ttl : st.cfg.session_ttl).count();
  json session = {
    {"account", account}, {"user", user},       {"kind", kind},  {"csrf", csrf},
    {"bearer", bearer},   {"expires", expires}, {"since", since}};
  auto digest = token_digest(token);
  storage::write_batch batch;
  batch.ops.push_back({storage::table::auth_sessions, digest,
                       dump_text(session), storage::op_kind::put});
  batch.ops.push_back({storage::table::user_sessions,
                       user_session_key(account, user, digest), "",
                       storage::op_kind::put});
  batch.events.push_back({0, 0, bearer ? "auth.token" : "auth.login", account,
                          kind + "/" + std::to_string(user), "{}"});
  self
    ->request(st.cfg.persistence, std::chrono::seconds(30),
              storage::write_atom::value, std::move(batch))
    .then(
      [self, rp, account, user, csrf, token, bearer,
       expires](const storage::write_receipt&) mutable {
        if (bearer) {
          rp.deliver(dump_text(json{{"token", token}, {"expires_at", expires}}),
                     token);
          return;
        }
        // The user document comes from the account (the one owner).
        self
          ->request(self->state.cfg.directory, std::chrono::seconds(10),
                    cluster::lookup_atom::value, "account/" + account)
          .then(
            [self, rp, user, csrf, token](caf::actor& a) mutable {
              self
                ->request(caf::actor_cast<account_actor>(a),
                          std::chrono::seconds(10), account_op_atom::value,
                          user, std::string{"me.get"}, std::string{"{}"})
                .then(
                  [rp, csrf, token](bool, std::string& body) mutable {
                    auto me = json::parse(body, nullptr, false);
                    if (me.is_discarded()) {
                      rp.deliver(login_error(errc::unavailable, "unavailable",
                                             "try again"));
                      return;
                    }
                    auto out =
                      json{{"user", std::move(me)}, {"csrf_token", csrf}};
                    rp.deliver(dump_text(out), token);
                  },
                  [rp](caf::error& err) mutable {
                    // The account's refusal (the login is gone) as it said.
                    if (code_of(err) != 0) {
                      rp.deliver(std::move(err));
                      return;
                    }
                    rp.deliver(login_error(errc::unavailable, "unavailable",
                                           "try again"));
                  });
            },
            [rp](caf::error&) mutable {
              rp.deliver(
                login_error(errc::unavailable, "unavailable", "try again"));
            });
      },
      [rp](caf::error&) mutable {
        rp.deliver(login_error(errc::storage_unavailable, "storage_unavailable",
                               "the session could not be stored"));
      });
}

struct login_attempt {
  std::string kind, email, password, user_key, addr_key;
  bool bearer = false;
  /// Trust is per user id and address: where this user signed in lately.
  std::string trust_key() const { return addr_key + ' ' + user_key; }
};

using login_promise = caf::typed_response_promise<std::string, std::string>;

// Wakes the actor when a login that waits for the gate's pace may start.
void schedule_gate(self_ptr self) {
  auto& st = self->state;
  auto wait = st.gate.wake_in_ms(st.cfg.now_s() * 1000);
  if (wait <= 0 || st.gate_tick_pending)
    return;
  st.gate_tick_pending = true;
  self->delayed_send(self, std::chrono::milliseconds(wait),
                     gate_tick_atom::value);
}

// Looks the user up and checks the password on the hasher. `gated`: the
// attempt holds a slot of the login gate, given back once the hasher has
// answered (or the attempt failed before it).
void check_password(self_ptr self, login_attempt a, login_promise rp,
                    bool gated) {
  auto& st = self->state;
  auto left = std::make_shared<bool>(false);
  auto done = [self, gated, left] {
    if (!gated || *left)
      return;
    *left = true;
    self->state.gate.leave(self->state.cfg.now_s() * 1000);
    schedule_gate(self);
  };
  auto refuse = [self, rp, a, done, gated]() mutable {
    record_failure(self->state, a.user_key, a.addr_key);
    if (gated)
      self->state.gate.failed(self->state.cfg.now_s() * 1000);
    done();
    rp.deliver(login_error(errc::unauthenticated, "invalid_credentials",
                           "user id or password is not correct"));
  };
  auto index =
    st.cfg.env->get(storage::table::logins, login_key(a.kind, a.email));
  std::string where = index && *index ? **index : std::string{};
  std::string account;
  uint64_t user = 0;
  if (!parse_login(where, account, user)) {
    // Same work as for a known user id.
    self
      ->request(st.cfg.hasher, std::chrono::seconds(30), verify_atom::value,
                decoy_hash(), a.password)
      .then([refuse](bool) mutable { refuse(); },
            [refuse](caf::error&) mutable { refuse(); });
    return;
  }
  auto unavailable = [rp, done](caf::error&) mutable {
    done();
    rp.deliver(login_error(errc::unavailable, "unavailable", "try again"));
  };
  self
    ->request(st.cfg.directory, std::chrono::seconds(10),
              cluster::lookup_atom::value, "account/" + account)
    .then(
      [=](caf::actor& acc) mutable {
        self
          ->request(caf::actor_cast<account_actor>(acc),
                    std::chrono::seconds(10), credentials_atom::value, user)
          .then(
            [=](std::string& hash, std::string& user_kind, std::string& role,
                std::string&) mutable {
              auto since = self->state.cfg.now_ms();
              if (hash.empty() || user_kind != a.kind)
                hash = decoy_hash();
              self
                ->request(self->state.cfg.hasher, std::chrono::seconds(30),
                          verify_atom::value, hash, a.password)
                .then(
                  [=](bool ok) mutable {
                    if (!ok || user_kind != a.kind)
                      return refuse();
                    done();
                    if (a.bearer && role != "api_manager") {
                      rp.deliver(
                        login_error(errc::forbidden, "forbidden",
                                    "only API managers get API tokens"));
                      return;
                    }
                    auto& st = self->state;
                    st.user_failures.forget(a.user_key);
                    st.gate.trust(a.trust_key(), st.cfg.now_s() * 1000);
                    create_session(self, account, user, a.kind, a.bearer, since,
                                   rp);
                  },
                  unavailable);
            },
            unavailable);
      },
      unavailable);
}

} // namespace

auth_actor::behavior_type auth(auth_actor::stateful_pointer<auth_state> self,
                               auth_config cfg) {
  self->state.cfg = std::move(cfg);
  auto window_ms = self->state.cfg.failure_window.count() * 1000;
  // At most 100,000 keys each; a ceiling of 50,000 events per window over
  // all keys keeps every live key in the table (see rate_limiter.hpp).
  self->state.user_failures = rate_limiter{
    {self->state.cfg.max_failures_per_user, window_ms, 100000, 50000}};
  self->state.address_failures = rate_limiter{
    {self->state.cfg.max_failures_per_address, window_ms, 100000, 50000}};
  self->state.reset_requests = rate_limiter{{3, window_ms, 100000, 50000}};
  self->state.gate = login_gate{self->state.cfg.gate};
  return {
    [self](login_atom, const std::string& kind, std::string email,
           const std::string& password, const std::string& remote,
           bool bearer) -> caf::result<std::string, std::string> {
      auto& st = self->state;
      auto reply = [](caf::error err) {
        return caf::result<std::string, std::string>(std::move(err));
      };
      if (kind != "manager" && kind != "technician")
        return reply(login_error(errc::bad_field, "bad_field",
                                 "kind: must be manager or technician"));
      if (email.empty() || email.size() > 254 || password.empty() ||
          password.size() > max_password_length)
        return reply(login_error(errc::unauthenticated, "invalid_credentials",
                                 "user id or password is not correct"));
      std::transform(email.begin(), email.end(), email.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      login_attempt a{kind,
                      email,
                      password,
                      "user:" + kind + ":" + email,
                      address_key(remote),
                      bearer};
      auto now_ms = st.cfg.now_s() * 1000;
      bool trusted = st.gate.trusted(a.trust_key(), now_ms);
      if (!login_allowed(st, a.user_key, a.addr_key, trusted))
        return reply(
          login_error(errc::limited, "too_many_attempts",
                      "too many failed logins; try again in 15 minutes", 900));
      auto rp = self->make_response_promise<std::string, std::string>();
      if (trusted) {
        check_password(self, std::move(a), rp, false);
        return rp;
      }
      auto start = [self, a, rp]() mutable {
        check_password(self, std::move(a), rp, true);
      };
      auto busy = [rp]() mutable {
        rp.deliver(
          login_error(errc::busy, "busy",
                      "many sign-ins at the moment; try again in a moment"));
      };
      if (st.gate.enter(start, busy, now_ms) == login_gate::admit::busy)
        busy();
      schedule_gate(self);
      return rp;
    },
    [self](gate_tick_atom) {
      auto& st = self->state;
      st.gate_tick_pending = false;
      st.gate.pump(st.cfg.now_s() * 1000);
      schedule_gate(self);
    },
    [self](authn_atom, const std::string& token)
      -> std::tuple<std::string, uint64_t, std::string, bool> {
      auto& st = self->state;
      if (token.empty() || token.size() > 128)
        return {"", 0, "", false};
      auto stored =
        st.cfg.env->get(storage::table::auth_sessions, token_digest(token));
      if (!stored || !*stored)
        return {"", 0, "", false};
      auto s = json::parse(**stored, nullptr, false);
      if (!s.is_object() || s.value("expires", int64_t{0}) <= st.cfg.now_s())
        return {"", 0, "", false};
      auto account = s.value("account", "");
      auto user = s.value("user", uint64_t{0});
      // Ended by a password reset or change (also while it was being made).
      if (s.value("since", int64_t{0}) <
          sessions_ended_ms(*st.cfg.env, account, user))
        return {"", 0, "", false};
      return {std::move(account), user, s.value("csrf", ""),
              s.value("bearer", false)};
    },
    [self](reset_request_atom, const std::string& kind,
           std::string email) -> bool {
      auto& st = self->state;
      std::transform(email.begin(), email.end(), email.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      auto key = "reset:" + kind + ":" + email;
      auto now = st.cfg.now_s();
      if (!st.reset_requests.try_hit(key, now * 1000))
        return true; // same answer: no hint, no mail flood
      auto index =
        st.cfg.env->get(storage::table::logins, login_key(kind, email));
      std::string where = index && *index ? **index : std::string{};
      std::string account;
      uint64_t user = 0;
      if (!parse_login(where, account, user))
        return true;
      auto token = random_token();
      json reset = {{"account", account},
                    {"user", user},
                    {"kind", kind},
                    {"expires", now + st.cfg.reset_ttl.count()}};
      storage::write_batch batch;
      batch.ops.push_back({storage::table::reset_tokens, token_digest(token),
                           dump_text(reset), storage::op_kind::put});
      auto link = st.cfg.public_url + "/manage/#/reset?token=" + token;
      self
        ->request(st.cfg.persistence, std::chrono::seconds(30),
                  storage::write_atom::value, std::move(batch))
        .then(
          [self, email, link](const storage::write_receipt&) {
            self
              ->request(
                self->state.cfg.mailer, std::chrono::seconds(30),
                mail_atom::value, email,
                std::string{"openassist: reset your password"},
                "Someone asked to reset the password of your openassist "
                "login " +
                  email +
                  ".\n\nTo choose a new password, open "
                  "this link within one hour (it works once):\n\n" +
                  link +
                  "\n\nIf it was not you, ignore this mail; your password "
                  "stays as it is.\n")
              .then([](uint64_t) {}, [](caf::error&) {});
          },
          [](caf::error&) {});
      return true;
    },
    [self](reset_confirm_atom, const std::string& token,
           const std::string& password) -> caf::result<std::string> {
      auto& st = self->state;
      auto invalid = [] {
        return caf::result<std::string>(
          login_error(errc::bad_field, "invalid_token",
                      "this reset link is invalid, used or expired"));
      };
      if (token.empty() || token.size() > 128)
        return invalid();
      auto digest = token_digest(token);
      if (st.consuming.count(digest))
        return invalid();
      auto stored = st.cfg.env->get(storage::table::reset_tokens, digest);
      if (!stored || !*stored)
        return invalid();
      auto reset = json::parse(**stored, nullptr, false);
      if (reset.is_discarded() ||
          reset.value("expires", int64_t{0}) <= st.cfg.now_s())
        return invalid();
      if (auto rule = check_password_rules(password); !rule.empty()) {
        error_details d;
        d.field = "password";
        return caf::result<std::string>(
          make_error(errc::bad_field, "password: " + rule, std::move(d)));
      }
      auto rp = self->make_response_promise<std::string>();
      auto account = reset.value("account", "");
      auto user = reset.value("user", uint64_t{0});
      storage::write_batch batch;
      batch.ops.push_back(
        {storage::table::reset_tokens, digest, "", storage::op_kind::erase});
      // Consumed first, then the password. Meanwhile the token counts as
      // used (no second use slips in) and auth goes on serving others.
      st.consuming.insert(digest);
      self
        ->request(st.cfg.persistence, std::chrono::seconds(30),
                  storage::write_atom::value, std::move(batch))
        .then(
          [=](const storage::write_receipt&) mutable {
            self->state.consuming.erase(digest);
            self
              ->request(self->state.cfg.directory, std::chrono::seconds(10),
                        cluster::lookup_atom::value, "account/" + account)
              .then(
                [=](caf::actor& a) mutable {
                  self
                    ->request(caf::actor_cast<account_actor>(a),
                              std::chrono::seconds(60), account_op_atom::value,
                              user, std::string{"password.reset"},
                              dump_text(json{{"password", password}}))
                    .then([rp](bool, std::string& b) mutable { rp.deliver(b); },
                          [rp](caf::error& err) mutable {
                            // The account's refusal as it said, else try again.
                            rp.deliver(code_of(err) != 0
                                         ? std::move(err)
                                         : login_error(errc::unavailable,
                                                       "unavailable",
                                                       "try again"));
                          });
                },
                [rp](caf::error&) mutable {
                  rp.deliver(
                    login_error(errc::unavailable, "unavailable", "try again"));
                });
          },
          [self, rp, digest](caf::error&) mutable {
            self->state.consuming.erase(digest);
            rp.deliver(
              login_error(errc::unavailable, "unavailable", "try again"));
          });
      return rp;
    },
    [self](public_url_atom, const std::string& url) {
      self->state.cfg.public_url = url;
    },
    [self](logout_atom, const std::string& token) -> caf::result<bool> {
      auto& st = self->state;
      if (token.empty() || token.size() > 128)
        return false;
      auto digest = token_digest(token);
      storage::write_batch batch;
      batch.ops.push_back(
        {storage::table::auth_sessions, digest, "", storage::op_kind::erase});
      // And its row in the user's index.
      if (auto stored = st.cfg.env->get(storage::table::auth_sessions, digest);
          stored && *stored) {
        auto s = json::parse(**stored, nullptr, false);
        if (s.is_object())
          batch.ops.push_back(
            {storage::table::user_sessions,
             user_session_key(s.value("account", ""),
                              s.value("user", uint64_t{0}), digest),
             "", storage::op_kind::erase});
      }
      auto rp = self->make_response_promise<bool>();
      self
        ->request(st.cfg.persistence, std::chrono::seconds(30),
                  storage::write_atom::value, std::move(batch))
        .then([rp](const storage::write_receipt&) mutable { rp.deliver(true); },
              [rp](caf::error&) mutable { rp.deliver(false); });
      return rp;
    },
  };
}

} // namespace openassist::actors
