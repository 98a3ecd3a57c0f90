#include "storage/environment.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include <lmdb.h>

#include "schema/codec.hpp"

namespace openassist::storage {

namespace {

constexpr std::string_view schema_key = "schema";

MDB_val as_val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}

std::string_view as_view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

caf::error lmdb_error(int rc, const std::string& what) {
  return make_error(from_lmdb(rc), what + ": " + mdb_strerror(rc));
}

std::string random_node_id() {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 12; ++i)
    id += hex[rd() % 16];
  return id;
}

// Read transaction that always ends, also on early return.
struct read_txn {
  MDB_txn* txn = nullptr;
  int rc = 0;
  explicit read_txn(MDB_env* env) {
    rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn);
  }
  ~read_txn() {
    if (txn != nullptr)
      mdb_txn_abort(txn);
  }
};

void put_be64(std::string& out, uint64_t x) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((x >> shift) & 0xff));
}

uint64_t get_be64(std::string_view in) {
  uint64_t x = 0;
  for (size_t i = 0; i < 8 && i < in.size(); ++i)
    x = (x << 8) | static_cast<uint8_t>(in[i]);
  return x;
}

} // namespace

std::string event_key(int64_t time_us, uint64_t seq) {
  std::string key;
  key.reserve(16);
  put_be64(key, static_cast<uint64_t>(time_us));
  put_be64(key, seq);
  return key;
}

caf::expected<std::shared_ptr<environment>>
environment::open(const environment_options& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec)
    return make_error(storage_errc::io_error, "cannot create data directory " +
                                                options.path + ": " +
                                                ec.message());
  std::shared_ptr<environment> self{new environment};
  self->path_ = options.path;
  if (int rc = mdb_env_create(&self->env_); rc != 0)
    return lmdb_error(rc, "mdb_env_create");
  mdb_env_set_maxdbs(self->env_, static_cast<MDB_dbi>(table_names.size() + 4));
  mdb_env_set_maxreaders(self->env_, options.max_readers);
  if (int rc = mdb_env_set_mapsize(self->env_, options.map_size); rc != 0)
    return lmdb_error(rc, "storage.map-size");
  // NOTLS: read transactions are not tied to a thread (actors migrate).
  if (int rc = mdb_env_open(self->env_, options.path.c_str(), MDB_NOTLS, 0640);
      rc != 0)
    return lmdb_error(rc, "cannot open data directory " + options.path);
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(self->env_, nullptr, 0, &txn); rc != 0)
    return lmdb_error(rc, "mdb_txn_begin");
  for (size_t i = 0; i < table_names.size(); ++i) {
    std::string name{table_names[i]};
    if (int rc = mdb_dbi_open(txn, name.c_str(), MDB_CREATE, &self->dbis_[i]);
        rc != 0) {
      mdb_txn_abort(txn);
      return lmdb_error(rc, "open table " + name);
    }
  }
  if (int rc = mdb_txn_commit(txn); rc != 0)
    return lmdb_error(rc, "commit table creation");
  if (auto err = self->init_schema())
    return err;
  return self;
}

caf::error environment::init_schema() {
  auto stored = get(table::meta, schema_key);
  if (!stored)
    return std::move(stored.error());
  if (!*stored) {
    info_ =
      schema::schema_info{schema::current_schema_version,
                          std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count(),
                          random_node_id()};
    MDB_txn* txn = nullptr;
    if (int rc = mdb_txn_begin(env_, nullptr, 0, &txn); rc != 0)
      return lmdb_error(rc, "mdb_txn_begin");
    auto bytes = schema::encode(info_);
    MDB_val k = as_val(schema_key);
    MDB_val v = as_val(bytes);
    if (int rc = mdb_put(txn, dbis_[0], &k, &v, 0); rc != 0) {
      mdb_txn_abort(txn);
      return lmdb_error(rc, "write schema info");
    }
    if (int rc = mdb_txn_commit(txn); rc != 0)
      return lmdb_error(rc, "commit schema info");
  } else {
    auto decoded = schema::decode_schema_info(**stored);
    if (!decoded)
      return make_error(storage_errc::corrupt_record,
                        "schema info in " + path_ + " does not decode");
    info_ = *decoded;
    if (info_.version > schema::current_schema_version)
      return make_error(storage_errc::schema_too_new,
                        "data directory " + path_ + " has schema version " +
                          std::to_string(info_.version) +
                          "; this binary understands up to " +
                          std::to_string(schema::current_schema_version));
    // Migrations from older versions go here, one step per version; version
    // 1 is the first layout, so there is nothing older to migrate from.
    if (info_.version < 1)
      return make_error(storage_errc::schema_unsupported,
                        "data directory " + path_ + " has schema version " +
                          std::to_string(info_.version) +
                          " with no migration path");
  }
  // The next event sequence continues after the last stored event.
  read_txn r(env_);
  if (r.rc != 0)
    return lmdb_error(r.rc, "mdb_txn_begin");
  MDB_cursor* cursor = nullptr;
  if (int rc = mdb_cursor_open(r.txn, dbis_[1], &cursor); rc != 0)
    return lmdb_error(rc, "mdb_cursor_open");
  MDB_val k, v;
  next_event_seq_ = 1;
  if (mdb_cursor_get(cursor, &k, &v, MDB_LAST) == 0 && k.mv_size == 16)
    next_event_seq_ = get_be64(as_view(k).substr(8)) + 1;
  mdb_cursor_close(cursor);
  return caf::none;
}

environment::~environment() {
  if (env_ != nullptr)
    mdb_env_close(env_);
}

caf::error environment::commit(std::vector<write_batch*>& batches,
                               std::vector<write_receipt>& receipts,
                               int64_t now_us) {
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env_, nullptr, 0, &txn); rc != 0)
    return lmdb_error(rc, "mdb_txn_begin");
  auto seq = next_event_seq_;
  receipts.clear();
  receipts.reserve(batches.size());
  auto fail = [&](int rc, const std::string& what) {
    mdb_txn_abort(txn);
    receipts.clear();
    return lmdb_error(rc, what);
  };
  for (auto* batch : batches) {
    write_receipt receipt;
    receipt.commit = commits_ + 1;
    for (auto& op : batch->ops) {
      MDB_val k = as_val(op.key);
      auto dbi = dbis_[static_cast<uint8_t>(op.tbl)];
      if (op.kind == op_kind::erase) {
        int rc = mdb_del(txn, dbi, &k, nullptr);
        if (rc != 0 && rc != MDB_NOTFOUND)
          return fail(rc, "erase from " + std::string{name_of(op.tbl)});
      } else {
        MDB_val v = as_val(op.value);
        unsigned flags = op.kind == op_kind::insert ? MDB_NOOVERWRITE : 0;
        if (int rc = mdb_put(txn, dbi, &k, &v, flags); rc != 0)
          return fail(rc, "write to " + std::string{name_of(op.tbl)} + " key " +
                            op.key);
      }
    }
    for (auto& ev : batch->events) {
      ev.seq = seq++;
      ev.time_us = now_us;
      auto key = event_key(ev.time_us, ev.seq);
      auto bytes = schema::encode(ev);
      MDB_val k = as_val(key);
      MDB_val v = as_val(bytes);
      if (int rc = mdb_put(txn, dbis_[1], &k, &v, MDB_APPEND); rc != 0) {
        // Clock stepped back: keys are no longer appended in order.
        if (rc == MDB_KEYEXIST)
          rc = mdb_put(txn, dbis_[1], &k, &v, 0);
        if (rc != 0)
          return fail(rc, "append event");
      }
      receipt.event_seqs.push_back(ev.seq);
    }
    receipts.push_back(std::move(receipt));
  }
  if (int rc = mdb_txn_commit(txn); rc != 0) {
    receipts.clear();
    return lmdb_error(rc, "commit");
  }
  next_event_seq_ = seq;
  ++commits_;
  return caf::none;
}

caf::expected<std::optional<std::string>>
environment::get(table t, std::string_view key) const {
  read_txn r(env_);
  if (r.rc != 0)
    return lmdb_error(r.rc, "mdb_txn_begin");
  MDB_val k = as_val(key);
  MDB_val v;
  int rc = mdb_get(r.txn, dbis_[static_cast<uint8_t>(t)], &k, &v);
  if (rc == MDB_NOTFOUND)
    return std::optional<std::string>{};
  if (rc != 0)
    return lmdb_error(rc, "read " + std::string{name_of(t)});
  return std::optional<std::string>{std::string{as_view(v)}};
}

caf::error environment::scan(
  table t, std::string_view from, size_t limit,
  const std::function<bool(std::string_view, std::string_view)>& fn) const {
  read_txn r(env_);
  if (r.rc != 0)
    return lmdb_error(r.rc, "mdb_txn_begin");
  MDB_cursor* cursor = nullptr;
  if (int rc = mdb_cursor_open(r.txn, dbis_[static_cast<uint8_t>(t)], &cursor);
      rc != 0)
    return lmdb_error(rc, "mdb_cursor_open");
  MDB_val k = as_val(from);
  MDB_val v;
  int rc = from.empty() ? mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
                        : mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
  size_t visited = 0;
  while (rc == 0 && visited < limit) {
    ++visited;
    if (!fn(as_view(k), as_view(v)))
      break;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  mdb_cursor_close(cursor);
  if (rc != 0 && rc != MDB_NOTFOUND)
    return lmdb_error(rc, "scan " + std::string{name_of(t)});
  return caf::none;
}

caf::error environment::scan_range(
  table t, std::string from, std::string_view end, size_t page,
  const std::function<bool(std::string_view, std::string_view)>& fn) const {
  page = std::max<size_t>(page, 1);
  for (;;) {
    size_t seen = 0;
    bool stop = false;
    std::string last;
    auto err = scan(t, from, page, [&](std::string_view k, std::string_view v) {
      ++seen;
      if (k >= end || !fn(k, v)) {
        stop = true;
        return false;
      }
      last.assign(k);
      return true;
    });
    if (err || stop || seen < page)
      return err;
    from = last + '\0'; // the first key after the last one read
  }
}

caf::expected<uint64_t> environment::count(table t) const {
  read_txn r(env_);
  if (r.rc != 0)
    return lmdb_error(r.rc, "mdb_txn_begin");
  MDB_stat st;
  if (int rc = mdb_stat(r.txn, dbis_[static_cast<uint8_t>(t)], &st); rc != 0)
    return lmdb_error(rc, "mdb_stat");
  return static_cast<uint64_t>(st.ms_entries);
}

caf::expected<environment::map_usage> environment::usage() const {
  MDB_envinfo info;
  if (int rc = mdb_env_info(env_, &info); rc != 0)
    return lmdb_error(rc, "mdb_env_info");
  MDB_stat st;
  if (int rc = mdb_env_stat(env_, &st); rc != 0)
    return lmdb_error(rc, "mdb_env_stat");
  read_txn r(env_);
  if (r.rc != 0)
    return lmdb_error(r.rc, "mdb_txn_begin");
  // The free list (DBI 0): each value is a page list whose first word is
  // its length (what mdb_stat -f counts).
  uint64_t free_pages = 0;
  MDB_cursor* cursor = nullptr;
  if (int rc = mdb_cursor_open(r.txn, 0, &cursor); rc != 0)
    return lmdb_error(rc, "mdb_cursor_open");
  MDB_val k, v;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
  while (rc == 0) {
    if (v.mv_size >= sizeof(size_t)) {
      size_t n = 0;
      std::memcpy(&n, v.mv_data, sizeof n);
      free_pages += n;
    }
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  mdb_cursor_close(cursor);
  uint64_t pages = static_cast<uint64_t>(info.me_last_pgno) + 1;
  map_usage u;
  u.map_bytes = static_cast<uint64_t>(info.me_mapsize);
  u.used_bytes = (pages > free_pages ? pages - free_pages : 0) * st.ms_psize;
  return u;
}

caf::error environment::backup_to(const std::string& directory) const {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec)
    return make_error(storage_errc::io_error,
                      "cannot create " + directory + ": " + ec.message());
  if (int rc = mdb_env_copy2(env_, directory.c_str(), MDB_CP_COMPACT); rc != 0)
    return lmdb_error(rc, "backup to " + directory);
  return caf::none;
}

} // namespace openassist::storage
