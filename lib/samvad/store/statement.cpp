#include <samvad/store/statement.hpp>

#include <chrono>
#include <utility>

namespace samvad::store {

std::recursive_mutex& process_write_lock() {
  static std::recursive_mutex m;
  return m;
}

long long to_millis(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_millis(long long ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

int Statement::run() {
  while (step()) {
  }
  return static_cast<int>(query_->changes());
}

}  // namespace samvad::store
