#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Large payloads kept outside the LMDB environment (uploaded files, session
// recordings): plain files under one root directory, addressed by relative
// paths the callers build from ids (never from outside input).
namespace openassist::storage {

class blob_store {
public:
  explicit blob_store(std::string root) : root_(std::move(root)) {}

  /// Writes a whole blob durably: a temporary file, fsync, rename, fsync of
  /// the directory. "" or what went wrong.
  std::string put(const std::string& rel, std::string_view bytes) const;
  /// Appends to a blob (created if missing); durable only after sync().
  std::string append(const std::string& rel, std::string_view bytes) const;
  std::string sync(const std::string& rel) const;
  /// The whole blob, or nullopt when it does not exist or cannot be read.
  std::optional<std::string> read(const std::string& rel) const;
  /// Up to `max` bytes from `offset` ("" at the end), or nullopt when the
  /// blob does not exist or cannot be read: for reading in pieces.
  std::optional<std::string> read_at(const std::string& rel, uint64_t offset,
                                     size_t max) const;
  std::optional<uint64_t> size(const std::string& rel) const;
  /// Removes a blob; true when it is gone (also when it never existed).
  bool remove(const std::string& rel) const;

  const std::string& root() const { return root_; }
  /// Whether `rel` is a safe relative path: segments of [a-z0-9._-], no "..".
  static bool valid_path(std::string_view rel);

private:
  std::string root_;
};

} // namespace openassist::storage
