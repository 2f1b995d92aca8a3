#include <cerrno>
#include <fstream>
#include <iterator>
#include <sstream>

#include <signal.h>
#include <unistd.h>

#include <samvad/store/store.hpp>

namespace samvad::store {

namespace {

struct ProcStat {
  char state = '?';
  std::string start_ticks;
};

// /proc/<pid>/stat is "pid (comm) state ppid ... starttime ...": comm may hold spaces and
// parentheses, so fields are counted from the last ')'. starttime is field 22 overall, the
// 20th after comm (state is the 1st).
std::optional<ProcStat> read_proc_stat(long long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  ProcStat st;
  std::string field;
  for (int i = 1; i <= 20 && fields >> field; ++i) {
    if (i == 1) st.state = field.empty() ? '?' : field[0];
    if (i == 20) st.start_ticks = field;
  }
  if (st.start_ticks.empty()) return std::nullopt;
  return st;
}

const std::string& boot_id() {
  static const std::string id = [] {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string s;
    std::getline(in, s);
    return s;
  }();
  return id;
}

std::string start_id_of(const ProcStat& st) {
  return boot_id().empty() ? st.start_ticks : st.start_ticks + "@" + boot_id();
}

}  // namespace

Holder Holder::self() {
  const long long pid = ::getpid();
  auto st = read_proc_stat(pid);
  // Without /proc a holder is its pid alone; alive() then cannot confirm it, so such a claim
  // would be taken over: fail loudly instead of letting two processes share a delivery.
  if (!st) throw Error(ExitCode::software, "cannot read /proc/self/stat to identify this process for claims");
  return Holder{pid, start_id_of(*st)};
}

std::optional<Holder> Holder::of(long long pid) {
  if (pid <= 0) return std::nullopt;
  auto st = read_proc_stat(pid);
  if (!st) return std::nullopt;
  return Holder{pid, start_id_of(*st)};
}

bool Holder::alive() const {
  // kill(0 or negative) addresses process groups, not a process.
  if (pid <= 0 || pid != static_cast<pid_t>(pid)) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  auto st = read_proc_stat(pid);
  // A zombie (Z) or dying (X) process will never finish the delivery it claimed.
  if (!st || st->state == 'Z' || st->state == 'X') return false;
  return start_id_of(*st) == start_id;
}

}  // namespace samvad::store
