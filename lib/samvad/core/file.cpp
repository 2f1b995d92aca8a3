#include <samvad/core/file.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace samvad {

namespace {

constexpr std::uintmax_t KiB = 1024, MiB = 1024 * KiB;

// "is a FIFO": what a path that is not a regular file is instead.
std::string what_it_is(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file";
  if (S_ISCHR(mode)) return "is a character device, not a regular file";
  if (S_ISBLK(mode)) return "is a block device, not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  return "is not a regular file";
}

FileProblem problem(FileProblem::Reason reason, ExitCode code, std::string message) {
  return FileProblem{reason, code, std::move(message)};
}

FileProblem too_large(FileKind kind, std::uintmax_t size, bool at_least) {
  const FileKindInfo& k = info(kind);
  return problem(FileProblem::Reason::too_large, k.too_large,
                 "is " + std::string(at_least ? "over " : "") + describe_size(size) + "; expected " + k.noun +
                     " of at most " + describe_size(k.max_bytes) + " (see \"Input files\" in README.md)");
}

FileProblem open_problem(FileKind kind, int error) {
  const std::string expected = std::string("; expected ") + info(kind).noun;
  if (error == ENOENT || error == ENOTDIR) return problem(FileProblem::Reason::missing, ExitCode::no_input, "no such file" + expected);
  return problem(FileProblem::Reason::unreadable, ExitCode::no_input,
                 std::string("cannot be read (") + std::strerror(error) + ")" + expected + " that samvad may read");
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

const FileKindInfo& info(FileKind kind) {
  // Far above anything real (the sample departments.yaml is 6 KB, a template 3 KB, a list of
  // 10,000 subscribers 300 KB), far below what would hurt. Attachments: mail servers refuse
  // messages over 20-25 MB; media: X takes GIFs up to 15 MB, other images up to 5 MB.
  static const FileKindInfo kinds[] = {
      {"a configuration file", 1 * MiB, ExitCode::config},
      {"a credentials file", 1 * MiB, ExitCode::config},
      {"a schedule file", 1 * MiB, ExitCode::config},
      {"a template file", 1 * MiB, ExitCode::config},
      {"a vars file", 1 * MiB, ExitCode::data},
      {"a subscriber file", 64 * MiB, ExitCode::data},
      {"a file to attach", 20 * MiB, ExitCode::data},
      {"an image file", 15 * MiB, ExitCode::data},
  };
  return kinds[static_cast<int>(kind)];
}

std::string describe_size(std::uintmax_t bytes) {
  char buffer[32];
  if (bytes >= MiB) std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / MiB);
  else if (bytes >= KiB) std::snprintf(buffer, sizeof buffer, "%.0f KB", static_cast<double>(bytes) / KiB);
  else std::snprintf(buffer, sizeof buffer, "%ju bytes", bytes);
  std::string s = buffer;
  if (s.size() > 5 && s.compare(s.size() - 5, 5, ".0 MB") == 0) s.erase(s.size() - 5, 2);  // "20 MB", not "20.0 MB"
  return s;
}

namespace {

// Opens `path` for reading as a `kind` file, looking before it opens (a FIFO, a device or a
// directory is refused unread). The size it had when opened goes to `size`.
Result<int, FileProblem> open_input(const std::filesystem::path& path, FileKind kind, std::uintmax_t& size) {
  const std::uintmax_t limit = info(kind).max_bytes;
  // Looked at before it is opened: opening a FIFO waits for a writer, opening a device can act.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(open_problem(kind, errno));
  if (!S_ISREG(st.st_mode))
    return fail(problem(FileProblem::Reason::not_a_file, ExitCode::no_input,
                        what_it_is(st.st_mode) + "; expected " + info(kind).noun));
  if (static_cast<std::uintmax_t>(st.st_size) > limit) return fail(too_large(kind, static_cast<std::uintmax_t>(st.st_size), false));

  // O_NONBLOCK: should the path have been swapped for a FIFO since, opening it does not wait.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return fail(open_problem(kind, errno));
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return fail(open_problem(kind, error));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(problem(FileProblem::Reason::not_a_file, ExitCode::no_input,
                        what_it_is(st.st_mode) + "; expected " + info(kind).noun));
  }
  size = static_cast<std::uintmax_t>(st.st_size);
  return fd;
}

}  // namespace

Result<std::string, FileProblem> read_whole_file(const std::filesystem::path& path, FileKind kind) {
  const std::uintmax_t limit = info(kind).max_bytes;
  std::uintmax_t size = 0;
  auto opened = open_input(path, kind, size);
  if (!opened) return fail(opened.error());
  Descriptor fd(*opened);

  std::string bytes(static_cast<std::size_t>(std::min<std::uintmax_t>(size, limit)) + 1, '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      if (used > limit) return fail(too_large(kind, limit, true));  // it grew while being read
      bytes.resize(std::min<std::uintmax_t>(bytes.size() * 2, limit + 1));
    }
    const ssize_t n = ::read(fd.get(), bytes.data() + used, bytes.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(open_problem(kind, errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > limit) return fail(too_large(kind, limit, true));
  bytes.resize(used);
  return bytes;
}

Result<std::uintmax_t, FileProblem> read_file_in_chunks(const std::filesystem::path& path, FileKind kind,
                                                        const std::function<void(std::string_view)>& each) {
  const std::uintmax_t limit = info(kind).max_bytes;
  std::uintmax_t size = 0;
  auto opened = open_input(path, kind, size);
  if (!opened) return fail(opened.error());
  Descriptor fd(*opened);
  // 64 KiB: a few thousand addresses a read, and nothing that grows with the file.
  std::string buffer(64 * KiB, '\0');
  std::uintmax_t used = 0;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(open_problem(kind, errno));
    if (n == 0) break;
    used += static_cast<std::uintmax_t>(n);
    if (used > limit) return fail(too_large(kind, limit, true));  // it grew while being read
    each(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  return used;
}

std::string read_whole_file_or_throw(const std::filesystem::path& path, FileKind kind) {
  auto bytes = read_whole_file(path, kind);
  if (!bytes) throw Error(bytes.error().code, bytes.error().message, SourceLocation{path.string(), 0, 0});
  return std::move(*bytes);
}

}  // namespace samvad
