#include <samvad/core/operator.hpp>

#include <cstdlib>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace samvad {

std::string operator_name() {
  if (const char* name = std::getenv("SAMVAD_OPERATOR"); name && *name) return name;
  std::string user = "uid" + std::to_string(::getuid());
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(::getuid(), &pw, buffer.data(), buffer.size(), &found) == 0 && found) user = found->pw_name;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return user;
  return user + "@" + host;
}

}  // namespace samvad
