#include <samvad/config/credentials_writer.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/file.hpp>

namespace samvad::config {

namespace {

// The file a credentials path stands for: a symbolic link (credentials.yaml -> a private
// folder, a secrets mount) is followed, so its target is replaced and the link stays a link.
// A dangling link is followed too: the new file is created where the link points.
std::filesystem::path resolve_links(const std::filesystem::path& path) {
  std::filesystem::path p = path;
  // As many hops as the kernel allows (MAXSYMLINKS is 40); a loop ends in an error.
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!std::filesystem::is_symlink(p, ec)) return p;
    std::filesystem::path target = std::filesystem::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  throw Error(ExitCode::cant_create, "cannot follow the symbolic links to the credentials file; expected a link chain that ends in a file",
              SourceLocation{path.string(), 0, 0});
}

// Closes a descriptor and removes a temporary file unless the write was committed.
class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& target) : name_(target.string() + ".XXXXXX") {
    // mkostemp: a fresh random name, O_CREAT|O_EXCL and mode 0600, so nothing already there
    // (a file, a link planted to catch the secrets) is ever opened; O_NOFOLLOW says so twice.
    fd_ = ::mkostemp(name_.data(), O_CLOEXEC | O_NOFOLLOW);
    created_ = fd_ >= 0;
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (created_ && !committed_) ::unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void committed() { committed_ = true; }

 private:
  std::string name_;
  int fd_ = -1;
  bool created_ = false;
  bool committed_ = false;
};

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The rename is only durable once the folder's entry is on disk too.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void store_department_secrets(const std::filesystem::path& file, const std::string& department,
                              const std::string& section,
                              const std::vector<std::pair<std::string, std::string>>& values) {
  const std::filesystem::path target = resolve_links(file);
  YAML::Node root;
  if (std::filesystem::exists(target)) {
    check_private_file(target);
    try {
      root = YAML::Load(read_whole_file_or_throw(target, FileKind::credentials));
    } catch (const YAML::Exception& e) {
      throw Error(ExitCode::config, "invalid YAML; expected a well-formed credentials file", SourceLocation{file.string(), e.mark.line + 1, e.mark.column + 1});
    }
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  // Read without ${...} expansion: references elsewhere in the file are written back as they were.
  YAML::Node secrets(YAML::NodeType::Map);
  for (const auto& [key, value] : values) secrets[key] = value;
  root["departments"][department][section] = secrets;

  YAML::Emitter out;
  out << root;
  std::string text = std::string("# samvad credentials: keep private (chmod 600); see credentials.yaml.example\n") + out.c_str() + "\n";

  // A temporary file beside the target (one file system, so the rename is atomic), private from
  // its first byte, complete and on disk before it replaces the old file in one step: a crash
  // leaves the old file or the new one, never half of one, and never a readable copy.
  TempFile tmp(target);
  if (!tmp.ok())
    throw Error(ExitCode::cant_create,
                "cannot create a temporary file beside " + target.string() + ": " + std::strerror(errno) + "; expected a writable folder",
                SourceLocation{file.string(), 0, 0});
  // 0600 whatever the umask (mkostemp's mode is subject to it), so a rewrite never changes who may read it.
  bool ok = ::fchmod(tmp.fd(), 0600) == 0 && write_all(tmp.fd(), text) && ::fsync(tmp.fd()) == 0;
  ok = tmp.close() && ok;
  if (!ok || std::rename(tmp.name().c_str(), target.c_str()) != 0)
    throw Error(ExitCode::cant_create, "cannot replace " + target.string() + "; the old file is unchanged",
                SourceLocation{file.string(), 0, 0});
  tmp.committed();
  sync_folder(target.parent_path());
}

}  // namespace samvad::config
