// The rules of one portal's front door: whether it is open now (its business
// hours), the customer's form, and the Idempotency-Keys of its recent
// intakes, so that a retried intake gets the first request. Pure and
// deterministic (issue 11: the model of the portal actor; the desk keeps one
// per portal until that actor exists).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/intake/failure.hpp"
#include "actors/org/org_model.hpp"

namespace openassist::actors::desk {

class portal_model {
public:
  /// The intake an Idempotency-Key names, while the key is kept.
  struct kept_intake {
    uint64_t request_id = 0;
    std::string token;
    uint64_t fingerprint = 0;
    int64_t created_ms = 0;
    bool stored = false; ///< durable: a retry may be answered with it
  };

  /// `keys`: how many keys are kept at most; `key_ttl_ms`: for how long.
  portal_model(size_t keys, int64_t key_ttl_ms);

  /// Open now? {"open", "next_open" (unix s, or null), "reason"}: always
  /// open without business hours (or with a set that no longer exists).
  static nlohmann::json open_state(const portal& p, const org_account& org,
                                   int64_t now_ms);

  /// The customer's fields checked against the portal's form and cleaned:
  /// the trimmed text of each field the form has (others are dropped),
  /// required ones present, at most 200 characters (4,000 for a text area),
  /// no control characters but line breaks and tabs, an address for an
  /// e-mail field (valid_email), a
  /// skill among its choices (collected into `skills`). The first field that
  /// fails, as `bad_field` with its rule; `fields` is then unchanged.
  static std::optional<failure> check_fields(const portal& p,
                                             nlohmann::json& fields,
                                             std::vector<std::string>& skills);

  // -- Idempotency-Keys ------------------------------------------------------
  /// Keeps `key` for the intake (replacing what it named); the oldest key
  /// goes beyond the limit.
  void remember(const std::string& key, kept_intake intake);
  /// The intake `key` names, after the keys whose time is up (oldest first)
  /// were let go; nullptr for a key not kept.
  const kept_intake* find(const std::string& key, int64_t now_ms);
  /// The intake with `key` is durable: retries get it from now on.
  void stored(const std::string& key);
  size_t keys() const { return by_key_.size(); }

private:
  size_t max_keys_;
  int64_t key_ttl_ms_;
  std::map<std::string, kept_intake> by_key_;
  std::deque<std::string> order_; ///< oldest first
};

} // namespace openassist::actors::desk
