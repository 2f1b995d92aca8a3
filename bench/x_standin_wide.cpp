// samvad-x-standin-wide: the X API stand-in of tests/standin/x, answering up to 64 requests at
// once instead of 8.
//
// The stand-in injects --latency-ms as a sleep in an httplib worker thread, and cpp-httplib's
// default pool is max(8, cores - 1) threads: on this 2-core machine the stand-in itself would hold
// a 50-department fan-out to 8 requests per 200 ms (100 posts: 2.5 s at best), whatever samvad does.
// Debian's cpp-httplib is a compiled library, so CPPHTTPLIB_THREAD_POOL_COUNT cannot be changed;
// the pool comes from Server::new_task_queue. To keep a single copy of the stand-in, this file
// compiles tests/standin/x/main.cpp unchanged with its `httplib::Server` standing for a Server
// with a 64-thread pool; config.cpp, faults.cpp and x_standin.cpp are compiled as they are.
// (A `--threads N` option in tests/standin/x/main.cpp would make this file unnecessary.)
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "x_standin.hpp"  // before the #define below: XStandin::install takes the real Server

namespace httplib {
class WideServer : public Server {
 public:
  WideServer() {
    new_task_queue = [] { return new ThreadPool(64); };
  }
};
}  // namespace httplib

#define Server WideServer
#include "main.cpp"
#undef Server
