// SIGINT and SIGTERM (Ctrl-C, `kill`, systemd, cron's shutdown) ask samvad to stop: deliveries
// not started are left for the next run, the request in flight is finished and recorded, and
// the command exits 75. The handler only sets a flag; everything else reads it.
#pragma once

#include <chrono>

namespace samvad::cli {

void catch_stop_signals();
bool stop_requested();
// Sleeps in short steps; returns false as soon as a stop is requested.
bool interruptible_sleep(std::chrono::milliseconds duration);

}  // namespace samvad::cli
