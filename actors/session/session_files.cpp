// Files in a session's chat: sent, refused, read back.
#include "actors/json_fields.hpp"
#include "actors/session/file_record.hpp"
#include "actors/session/session_internal.hpp"
#include "actors/session/session_store.hpp"
#include "storage/big_endian.hpp"

namespace openassist::actors {

using storage::put_be;

std::string file_key(const std::string& account, uint64_t request,
                     const std::string& id) {
  std::string key = account;
  key.push_back('\0');
  put_be(key, request);
  key += id;
  return key;
}

std::string file_blob_path(const std::string& account, uint64_t request,
                           const std::string& id) {
  return "files/" + account + "/" + std::to_string(request) + "/" + id;
}

} // namespace openassist::actors

namespace openassist::actors::session_detail {

caf::result<file_sent> add_file(self_ptr self, bool technician,
                                uint64_t technician_id, session_file file) {
  auto& st = self->state;
  if (file.id.size() != 32 ||
      file.id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return make_error(errc::bad_field, "file: bad id");
  if (st.status != "active")
    return make_error(errc::chat_not_open, "the session is not active");
  session_member who{technician, technician_id, false, technician_id};
  if (file.mime.empty())
    file.mime = "application/octet-stream";
  file.from_technician = technician;
  file.technician_id = technician ? technician_id : 0;
  file.hidden = hidden(st, who);
  json line = {
    {"from", technician ? "technician" : "customer"},
    {"name", sender_name(st, who)},
    {"technician_id", file.technician_id},
    {"text", file.name},
    {"file",
     {{"id", file.id},
      {"name", file.name},
      {"size", file.size},
      {"mime", file.mime}}},
    {"private", file.hidden}}; // a hidden colleague's file: technicians only
  storage::write_batch batch;
  batch.ops.push_back({storage::table::files,
                       file_key(st.cfg.account, st.cfg.request, file.id),
                       dump_text(file_record(file)), storage::op_kind::put});
  auto rp = self->make_response_promise<file_sent>();
  session_store::append(
    self, std::move(line),
    [self, rp, file](bool stored, uint64_t seq) mutable {
      if (!stored) {
        rp.deliver(not_stored(self->state.last_write_error,
                              "the file could not be stored"));
        return;
      }
      monitoring::inc(self->state.cfg.metrics.uploads_accepted);
      monitoring::inc(self->state.cfg.metrics.upload_bytes,
                      static_cast<double>(file.size));
      rp.deliver(file_sent{seq, file});
    },
    std::move(batch));
  return rp;
}

void file_refused(self_ptr self, bool technician, uint64_t technician_id,
                  const std::string& name, const std::string& reason) {
  auto& st = self->state;
  monitoring::inc(st.cfg.metrics.uploads_refused);
  if (st.status != "active")
    return;
  session_member who{technician, technician_id, false, technician_id};
  say(self, "file_refused",
      {{"file", name}, {"name", sender_name(st, who)}, {"reason", reason}},
      hidden(st, who));
}

caf::result<session_file> get_file(self_ptr self, const std::string& id) {
  auto& st = self->state;
  maybe_idle(self);
  if (id.size() != 32 ||
      id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return make_error(errc::not_found, "no such file");
  auto v = st.cfg.env->get(storage::table::files,
                           file_key(st.cfg.account, st.cfg.request, id));
  if (!v)
    return make_error(errc::storage_unavailable, "try again");
  if (!*v)
    return make_error(errc::not_found, "no such file");
  auto file = file_from_record(**v);
  if (!file)
    return make_error(errc::damaged, "the file's record is damaged");
  return std::move(*file);
}

} // namespace openassist::actors::session_detail
