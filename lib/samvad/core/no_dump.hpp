// Keeping secrets out of core dumps: samvad holds tokens and passwords in memory for the whole
// run, and a crash (or `gcore`, or a debugger of the same user) would write them to disk.
#pragma once

namespace samvad {

// Makes this process non-dumpable (prctl PR_SET_DUMPABLE 0: no core file, no ptrace attach or
// /proc/<pid>/mem read by other processes of the same user) and its core size limit 0. Called
// first thing in main, before credentials.yaml or the environment's secrets are read. Returns
// false when the kernel refused the first; samvad then still runs, with the limit at 0.
bool forbid_core_dumps();

}  // namespace samvad
