#include <samvad/feed/files.hpp>

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <samvad/core/error.hpp>

namespace samvad::feed {

namespace {

// A feed of 100 notices is well under a megabyte; anything far larger is not one of ours.
constexpr off_t kMaxReadBytes = 64 * 1024 * 1024;

[[noreturn]] void fail(const std::string& doing, const std::filesystem::path& path, int error) {
  const bool denied = error == EACCES || error == EPERM;
  throw Error(denied ? ExitCode::permission : ExitCode::cant_create,
              "cannot " + doing + " " + path.string() + ": " + std::generic_category().message(error) +
                  (denied ? "; expected the user running samvad to be allowed to write the feed folder"
                          : "; expected a writable folder for the notice feed"));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

std::filesystem::path folder_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

void sync_folder(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail("open the folder", dir, errno);
  // The rename or unlink is durable only once the folder's entry is.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) fail("sync the folder", dir, errno);
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void create_folders(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("create the folder", dir, ec.value());
}

std::optional<std::string> read_file_if_present(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("read", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("read", path, errno);
  // A FIFO or device where a page or feed belongs would hang or never end.
  if (!S_ISREG(st.st_mode))
    throw Error(ExitCode::cant_create,
                "cannot use " + path.string() + ": it is not a regular file; expected a file samvad wrote or none");
  if (st.st_size > kMaxReadBytes)
    throw Error(ExitCode::data,
                "cannot use " + path.string() +
                    ": it is far larger than any file samvad writes; expected samvad's own file or none");
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read", path, errno);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > static_cast<std::size_t>(kMaxReadBytes))
      throw Error(ExitCode::data, "cannot use " + path.string() + ": it grew past any size samvad writes");
  }
  return out;
}

bool write_atomically(const std::filesystem::path& path, std::string_view bytes) {
  std::optional<std::string> current = read_file_if_present(path);
  if (current && *current == bytes) return false;  // a rerun: same bytes, same modification time

  const std::filesystem::path dir = folder_of(path);
  mode_t mode = 0644;
  struct stat st {};
  if (current && ::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;

  std::string name = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  std::vector<char> temp(name.begin(), name.end());
  temp.push_back('\0');
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) fail("create a file in", dir, errno);
  const std::filesystem::path temp_path(temp.data());
  try {
    if (::fchmod(fd.get(), mode) != 0) fail("set the permissions of", temp_path, errno);
    write_all(fd.get(), bytes, temp_path);
    if (::fsync(fd.get()) != 0) fail("sync", temp_path, errno);
    if (::close(fd.release()) != 0) fail("write", temp_path, errno);
    if (::rename(temp_path.c_str(), path.c_str()) != 0) fail("replace", path, errno);
  } catch (...) {
    ::unlink(temp_path.c_str());
    throw;
  }
  sync_folder(dir);
  return true;
}

bool remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return false;
    fail("remove", path, errno);
  }
  sync_folder(folder_of(path));
  return true;
}

FolderLock::FolderLock(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / kLockFileName;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd_ < 0) fail("create the lock file", path, errno);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    fail("lock", path, error);
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

bool update_file(const std::filesystem::path& path,
                 const std::function<std::string(const std::optional<std::string>& current)>& change) {
  const std::filesystem::path dir = folder_of(path);
  create_folders(dir);
  FolderLock lock(dir);
  const std::optional<std::string> current = read_file_if_present(path);
  const std::string next = change(current);
  if (current ? *current == next : next.empty()) return false;  // unchanged, or nothing to start a file with
  return write_atomically(path, next);
}

}  // namespace samvad::feed
