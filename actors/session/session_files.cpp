// Files in a session's chat: sent, refused, read back.
#include "actors/json_fields.hpp"
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

result add_file(self_ptr self, bool technician, uint64_t technician_id,
                const std::string& file_text) {
  auto& st = self->state;
  auto file = json::parse(file_text, nullptr, false);
  auto id = value_or<std::string>(file, "id", "");
  if (id.size() != 32 ||
      id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return answer(error_reply(400, "bad_field", "file: bad id"));
  if (st.status != "active")
    return answer(
      error_reply(409, "chat_not_open", "the session is not active"));
  session_member who{technician, technician_id, false, technician_id};
  json meta = {
    {"id", id},
    {"name", value_or<std::string>(file, "name", "")},
    {"size", value_or<uint64_t>(file, "size", 0)},
    {"mime", value_or<std::string>(file, "mime", "application/octet-stream")},
    {"from", technician ? "technician" : "customer"},
    {"technician_id", technician ? technician_id : 0},
    {"private", hidden(st, who)}};
  json line = {
    {"from", technician ? "technician" : "customer"},
    {"name", sender_name(st, who)},
    {"technician_id", technician ? technician_id : 0},
    {"text", meta["name"]},
    {"file",
     {{"id", id},
      {"name", meta["name"]},
      {"size", meta["size"]},
      {"mime", meta["mime"]}}},
    {"private",
     hidden(st, who)}}; // a hidden colleague's file: technicians only
  storage::write_batch batch;
  batch.ops.push_back({storage::table::files,
                       file_key(st.cfg.account, st.cfg.request, id),
                       dump_text(meta), storage::op_kind::put});
  auto rp = self->make_response_promise<unsigned, std::string>();
  session_store::append(
    self, std::move(line),
    [self, rp, meta](bool stored, uint64_t seq) mutable {
      if (!stored) {
        auto f = storage::describe_write_failure(
          self->state.last_write_error, "the file could not be stored", true);
        auto [s, b] = error_reply(f.status, f.code, f.message);
        rp.deliver(s, b);
        return;
      }
      monitoring::inc(self->state.cfg.metrics.uploads_accepted);
      monitoring::inc(self->state.cfg.metrics.upload_bytes,
                      static_cast<double>(value_or<uint64_t>(meta, "size", 0)));
      rp.deliver(200u, dump_text(json{{"type", "file.sent"},
                                      {"request_id", request_id(self->state)},
                                      {"seq", seq},
                                      {"file", meta}}));
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

reply get_file(self_ptr self, const std::string& id) {
  auto& st = self->state;
  maybe_idle(self);
  if (id.size() != 32 ||
      id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return error_reply(404, "not_found", "no such file");
  auto v = st.cfg.env->get(storage::table::files,
                           file_key(st.cfg.account, st.cfg.request, id));
  if (!v)
    return error_reply(503, "storage_unavailable", "try again");
  if (!*v)
    return error_reply(404, "not_found", "no such file");
  return {200, std::string{**v}};
}

} // namespace openassist::actors::session_detail
