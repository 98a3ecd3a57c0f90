#include "storage/blob_store.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace openassist::storage {

namespace {

std::string why(const char* what, const std::string& path) {
  return std::string{what} + " " + path + ": " + std::strerror(errno);
}

// mkdir -p of the directories of `path` below `root`.
std::string make_parents(const std::string& root, const std::string& rel) {
  std::string dir = root;
  ::mkdir(dir.c_str(), 0700);
  size_t start = 0;
  for (auto slash = rel.find('/'); slash != std::string::npos;
       slash = rel.find('/', start)) {
    dir += "/" + rel.substr(start, slash - start);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return why("mkdir", dir);
    start = slash + 1;
  }
  return {};
}

std::string write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return why("write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string sync_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  auto dir =
    slash == std::string::npos ? std::string{"."} : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return why("open", dir);
  std::string err;
  if (::fsync(fd) != 0)
    err = why("fsync", dir);
  ::close(fd);
  return err;
}

} // namespace

bool blob_store::valid_path(std::string_view rel) {
  if (rel.empty() || rel.size() > 400 || rel.front() == '/' ||
      rel.back() == '/')
    return false;
  size_t start = 0;
  while (start <= rel.size()) {
    auto slash = rel.find('/', start);
    auto seg =
      rel.substr(start, slash == std::string_view::npos ? rel.size() - start
                                                        : slash - start);
    if (seg.empty() || seg == "." || seg == ".." ||
        seg.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") !=
          std::string_view::npos)
      return false;
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return true;
}

std::string blob_store::put(const std::string& rel,
                            std::string_view bytes) const {
  if (!valid_path(rel))
    return "bad blob path";
  if (auto e = make_parents(root_, rel); !e.empty())
    return e;
  auto path = root_ + "/" + rel;
  auto tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return why("open", tmp);
  auto err = write_all(fd, bytes, tmp);
  if (err.empty() && ::fsync(fd) != 0)
    err = why("fsync", tmp);
  ::close(fd);
  if (err.empty() && ::rename(tmp.c_str(), path.c_str()) != 0)
    err = why("rename", tmp);
  if (!err.empty()) {
    ::unlink(tmp.c_str());
    return err;
  }
  return sync_dir(path);
}

std::string blob_store::append(const std::string& rel,
                               std::string_view bytes) const {
  if (!valid_path(rel))
    return "bad blob path";
  if (auto e = make_parents(root_, rel); !e.empty())
    return e;
  auto path = root_ + "/" + rel;
  int fd =
    ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return why("open", path);
  auto err = write_all(fd, bytes, path);
  ::close(fd);
  return err;
}

std::string blob_store::sync(const std::string& rel) const {
  if (!valid_path(rel))
    return "bad blob path";
  auto path = root_ + "/" + rel;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return why("open", path);
  std::string err;
  if (::fsync(fd) != 0)
    err = why("fsync", path);
  ::close(fd);
  return err.empty() ? sync_dir(path) : err;
}

std::optional<std::string> blob_store::read(const std::string& rel) const {
  if (!valid_path(rel))
    return std::nullopt;
  auto path = root_ + "/" + rel;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  std::string out;
  char buf[1 << 16];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0)
      break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::optional<std::string>
blob_store::read_at(const std::string& rel, uint64_t offset, size_t max) const {
  if (!valid_path(rel))
    return std::nullopt;
  auto path = root_ + "/" + rel;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  std::string out(max, '\0');
  size_t got = 0;
  while (got < max) {
    auto n = ::pread(fd, out.data() + got, max - got,
                     static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0)
      break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

std::optional<uint64_t> blob_store::size(const std::string& rel) const {
  if (!valid_path(rel))
    return std::nullopt;
  struct stat sb {};
  if (::stat((root_ + "/" + rel).c_str(), &sb) != 0)
    return std::nullopt;
  return static_cast<uint64_t>(sb.st_size);
}

bool blob_store::remove(const std::string& rel) const {
  if (!valid_path(rel))
    return false;
  return ::unlink((root_ + "/" + rel).c_str()) == 0 || errno == ENOENT;
}

} // namespace openassist::storage
