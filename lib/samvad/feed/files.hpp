// The feed channel's file I/O, kept thin: files a web server reads while samvad writes them are
// replaced atomically (a reader sees the old or the new file, never half of one), a file whose
// bytes would not change is left alone (a rerun changes nothing, modification time included),
// and read-modify-write of a feed is serialized between threads and processes by a lock file.
// Failures throw Error naming the path: 77 when permission is denied, 73 otherwise.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace samvad::feed {

// The folder and its parents, when missing.
void create_folders(const std::filesystem::path& dir);

// The file's bytes, or nullopt when it does not exist.
std::optional<std::string> read_file_if_present(const std::filesystem::path& path);

// Writes `bytes` to `path` through a temporary file in the same folder (mkostemp), fsync,
// rename over the old file, fsync of the folder. A new file is readable by everyone (0644: the
// web server serves it); a replaced one keeps its permission bits. Returns false, writing
// nothing, when the file already holds exactly `bytes`.
bool write_atomically(const std::filesystem::path& path, std::string_view bytes);

// Removes the file and syncs its folder. Returns false when it was not there.
bool remove_file(const std::filesystem::path& path);

// An exclusive flock(2) on "<folder>/.samvad-feed.lock", held while it lives. Separate open file
// descriptions, so it excludes other threads of this process as well as other processes.
class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

inline constexpr const char* kLockFileName = ".samvad-feed.lock";

// Under the FolderLock of the file's folder: reads the file (nullopt when missing), calls
// `change` and writes what it returns with write_atomically. Returns whether the file changed.
// Nothing is written when `change` throws.
bool update_file(const std::filesystem::path& path,
                 const std::function<std::string(const std::optional<std::string>& current)>& change);

}  // namespace samvad::feed
