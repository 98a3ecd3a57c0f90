#include "gateways/detail/connection_caps.hpp"

#include <cstdio>

namespace openassist::gateways {

std::string address_group(const boost::asio::ip::address& address) {
  if (address.is_v4())
    return address.to_string();
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6)
      .to_string();
  auto bytes = v6.to_bytes();
  // The /64 prefix as four hex groups; the interface half is left out.
  auto group = [&](size_t i) {
    return static_cast<unsigned>((bytes[i] << 8) | bytes[i + 1]);
  };
  char out[32];
  std::snprintf(out, sizeof(out), "%x:%x:%x:%x::/64", group(0), group(2),
                group(4), group(6));
  return out;
}

address_slot& address_slot::operator=(address_slot&& other) noexcept {
  if (this != &other) {
    release();
    caps_ = other.caps_;
    group_ = std::move(other.group_);
    other.caps_ = nullptr;
  }
  return *this;
}

void address_slot::release() {
  if (caps_ != nullptr) {
    caps_->release(group_);
    caps_ = nullptr;
  }
}

address_slot connection_caps::try_acquire(const std::string& group) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& n = open_[group];
  if (n >= per_address_) {
    if (n == 0)
      open_.erase(group);
    return {};
  }
  ++n;
  return address_slot{this, group};
}

size_t connection_caps::count(const std::string& group) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = open_.find(group);
  return i == open_.end() ? 0 : i->second;
}

size_t connection_caps::groups() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return open_.size();
}

void connection_caps::release(const std::string& group) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = open_.find(group);
  if (i != open_.end() && --i->second == 0)
    open_.erase(i);
}

} // namespace openassist::gateways
