#include <samvad/core/no_dump.hpp>

#include <sys/prctl.h>
#include <sys/resource.h>

namespace samvad {

bool forbid_core_dumps() {
  // Both: RLIMIT_CORE alone is undone by a core_pattern pipe (systemd-coredump ignores it),
  // PR_SET_DUMPABLE alone leaves the limit for a child to inherit.
  const rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
  return ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
}

}  // namespace samvad
