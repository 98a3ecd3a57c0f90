#include "actors/hasher.hpp"

#include "actors/credentials.hpp"

namespace openassist::actors {

hasher_actor::behavior_type hasher(hasher_actor::pointer) {
  return {
    [](hash_atom, const std::vector<std::string>& passwords)
      -> std::map<std::string, std::string> {
      std::map<std::string, std::string> out;
      for (auto& p : passwords)
        if (!out.count(p))
          if (auto h = hash_password(p))
            out.emplace(p, std::move(*h));
      return out;
    },
    [](verify_atom, const std::string& stored, const std::string& password) {
      return verify_password(stored, password);
    },
  };
}

} // namespace openassist::actors
