#include "gateways/ws_batch.hpp"

namespace openassist::gateways {

bool batch_requested(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos)
    return false;
  auto query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    if (pair == "batch=1")
      return true;
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

bool batch_builder::add(std::string_view message) {
  if (count_ > 0 &&
      (count_ >= max_messages || text_.size() + message.size() + 2 > max_bytes))
    return false;
  text_ += count_ == 0 ? '[' : ',';
  text_ += message;
  ++count_;
  return true;
}

std::string batch_builder::take() {
  std::string out = std::move(text_);
  if (count_ > 0)
    out += ']';
  text_.clear();
  count_ = 0;
  return out;
}

} // namespace openassist::gateways
