// Small RAII owners over the sqlite3 C API for the store: a prepared statement with bound
// parameters (values are never spliced into SQL text), a transaction that rolls back unless
// committed, and the mapping from SQLite result codes to samvad's exit codes.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include <samvad/store/store.hpp>

namespace samvad::store {

// Throws the Error for a failed SQLite call: a damaged or foreign file -> config (78),
// cannot write or create -> cant_create (73), locked too long -> temp_fail (75), anything
// else (a constraint we violated, a misuse) -> software (70). `doing` says what was attempted.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view doing);

// Runs SQL that takes no values (schema, pragmas, BEGIN/COMMIT); throws as above.
void exec(sqlite3* db, const char* sql, const std::filesystem::path& path, std::string_view doing);

// Writes from this process's own threads (the engine's workers, one connection each) queue here
// instead of in SQLite's busy handler, which polls with sleeps of up to 100 ms and is not woken
// when the lock frees: with 50 departments that cost seconds. Recursive, because a write may
// call another (settle_recipients sets the part's status). Other processes still meet the busy timeout.
std::recursive_mutex& process_write_lock();
using WriteGuard = std::lock_guard<std::recursive_mutex>;

// Stored times are integer milliseconds since the Unix epoch (UTC).
long long to_millis(Clock::time_point t);
Clock::time_point from_millis(long long ms);

class Statement {
 public:
  // `path` names the file in error messages and must outlive the statement; `doing` says in
  // them what the statement was for.
  Statement(sqlite3* db, std::string_view sql, const std::filesystem::path& path,
            std::string_view doing = "reading or writing the state");
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;

  // Parameters are 1-based, as in SQL's ?1, ?2, ...
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, long long value);
  Statement& bind(int index, int value) { return bind(index, static_cast<long long>(value)); }
  Statement& bind(int index, Clock::time_point t) { return bind(index, to_millis(t)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true when there is one, false when done.
  bool step();
  // Runs a statement that returns no rows; returns how many rows it changed.
  int run();
  // Makes the statement ready to run again with new bindings.
  void reset();

  bool is_null(int column) const;
  long long column_int(int column) const;
  std::string column_text(int column) const;
  Clock::time_point column_time(int column) const { return from_millis(column_int(column)); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  const std::filesystem::path* path_;
  std::string doing_;
};

// BEGIN IMMEDIATE takes the write lock at the start, so a transaction that reads and then
// writes never fails half-way with SQLITE_BUSY (WAL cannot upgrade a reader that another
// writer has overtaken); waiting for the lock obeys the busy timeout.
class Transaction {
 public:
  Transaction(sqlite3* db, const std::filesystem::path& path);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  sqlite3* db_;
  const std::filesystem::path* path_;
  bool open_ = true;
};

}  // namespace samvad::store
