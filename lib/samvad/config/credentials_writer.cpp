#include <samvad/config/credentials_writer.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/file.hpp>

namespace samvad::config {

void store_twitter_token(const std::filesystem::path& file, const std::string& department, const std::string& access_token,
                         const std::string& access_token_secret) {
  YAML::Node root;
  if (std::filesystem::exists(file)) {
    check_private_file(file);
    try {
      root = YAML::Load(read_whole_file_or_throw(file, FileKind::credentials));
    } catch (const YAML::Exception& e) {
      throw Error(ExitCode::config, "invalid YAML; expected a well-formed credentials file", SourceLocation{file.string(), e.mark.line + 1, e.mark.column + 1});
    }
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  // Read without ${...} expansion: references elsewhere in the file are written back as they were.
  YAML::Node token(YAML::NodeType::Map);
  token["access_token"] = access_token;
  token["access_token_secret"] = access_token_secret;
  root["departments"][department]["twitter"] = token;

  YAML::Emitter out;
  out << root;
  std::string text = std::string("# samvad credentials: keep private (chmod 600); see credentials.yaml.example\n") + out.c_str() + "\n";

  std::filesystem::path tmp = file;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(ExitCode::cant_create, "cannot write " + tmp.string() + "; expected a writable folder");
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) {
    std::filesystem::remove(tmp);
    throw Error(ExitCode::cant_create, "cannot replace " + file.string() + "; the old file is unchanged");
  }
}

}  // namespace samvad::config
