#include "actors/session/file_record.hpp"

#include "actors/json_fields.hpp"

namespace openassist::actors {

nlohmann::json file_record(const session_file& f) {
  return {{"id", f.id},
          {"name", f.name},
          {"size", f.size},
          {"mime", f.mime},
          {"from", f.from_technician ? "technician" : "customer"},
          {"technician_id", f.technician_id},
          {"private", f.hidden}};
}

std::optional<session_file> file_from_record(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  session_file f;
  f.id = value_or<std::string>(j, "id", "");
  f.name = value_or<std::string>(j, "name", "");
  f.size = value_or<uint64_t>(j, "size", 0);
  f.mime = value_or<std::string>(j, "mime", "application/octet-stream");
  f.from_technician = value_or<std::string>(j, "from", "") == "technician";
  f.technician_id = value_or<uint64_t>(j, "technician_id", 0);
  f.hidden = value_or<bool>(j, "private", false);
  return f;
}

} // namespace openassist::actors
