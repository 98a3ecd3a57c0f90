#pragma once

// Per-address connection caps of a server (besides its global cap), so one
// client cannot hold every slot. Beast-free; unit tested directly.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

namespace openassist::gateways {

/// The group an address's connections are counted under: IPv4 as it is,
/// IPv6 by its /64 (one subscriber gets a whole /64), IPv4-mapped IPv6 as
/// the IPv4 address.
std::string address_group(const boost::asio::ip::address& address);

class connection_caps;

/// One open connection counted against its address group; released when
/// destroyed. Moves with the connection (HTTP session -> WebSocket session).
class address_slot {
public:
  address_slot() = default;
  address_slot(connection_caps* caps, std::string group)
    : caps_(caps), group_(std::move(group)) {}
  address_slot(address_slot&& other) noexcept
    : caps_(other.caps_), group_(std::move(other.group_)) {
    other.caps_ = nullptr;
  }
  address_slot& operator=(address_slot&& other) noexcept;
  address_slot(const address_slot&) = delete;
  address_slot& operator=(const address_slot&) = delete;
  ~address_slot() { release(); }

  /// Whether a connection is counted (an uncapped one is not).
  explicit operator bool() const { return caps_ != nullptr; }
  void release();

private:
  connection_caps* caps_ = nullptr;
  std::string group_;
};

/// Open connections per address group, at most `per_address` each.
/// Thread-safe (accepts and closes happen on any I/O thread). Must outlive
/// its slots.
class connection_caps {
public:
  explicit connection_caps(size_t per_address) : per_address_(per_address) {}

  /// A slot for `group`, or an empty slot when the group is at its cap.
  address_slot try_acquire(const std::string& group);

  /// Open connections of `group`.
  size_t count(const std::string& group) const;
  /// Groups with at least one open connection.
  size_t groups() const;

private:
  friend class address_slot;
  void release(const std::string& group);

  size_t per_address_;
  mutable std::mutex mtx_;
  std::unordered_map<std::string, size_t> open_; ///< only groups above 0
};

} // namespace openassist::gateways
