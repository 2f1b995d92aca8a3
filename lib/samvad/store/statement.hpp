// The store's statements over either backend (database.hpp): a prepared statement with bound
// parameters (values are never spliced into SQL text) and a transaction that rolls back unless
// committed.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/store/database.hpp>
#include <samvad/store/store.hpp>

namespace samvad::store {

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
  // `doing` says in error messages what the statement was for.
  Statement(Database& db, std::string_view sql, std::string_view doing = "reading or writing the state")
      : query_(db.prepare(sql, doing)) {}

  // Parameters are 1-based, as in SQL's ?1, ?2, ...
  Statement& bind(int index, std::string_view text) {
    query_->bind_text(index, text);
    return *this;
  }
  Statement& bind(int index, long long value) {
    query_->bind_int(index, value);
    return *this;
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<long long>(value)); }
  Statement& bind(int index, Clock::time_point t) { return bind(index, to_millis(t)); }
  Statement& bind_null(int index) {
    query_->bind_null(index);
    return *this;
  }
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true when there is one, false when done.
  bool step() { return query_->step(); }
  // Runs a statement that returns no rows; returns how many rows it changed.
  int run();
  // Makes the statement ready to run again with new bindings.
  void reset() { query_->reset(); }

  bool is_null(int column) const { return query_->is_null(column); }
  long long column_int(int column) const { return query_->column_int(column); }
  std::string column_text(int column) const { return query_->column_text(column); }
  Clock::time_point column_time(int column) const { return from_millis(column_int(column)); }

 private:
  std::unique_ptr<Query> query_;
};

// A query read page by page along its ordering key (keyset paging: each page starts after the
// last row's key), so a backend that fetches a whole result at once (PostgreSQL) holds one page
// of a long list instead of all of it; SQLite reads rows as they are stepped anyway.
struct Paging {
  // The query up to and including its WHERE conditions; it binds ?1..?scope_parameters itself,
  // through bind_scope, which is called again for every page (a reset clears bindings).
  std::string select;
  int scope_parameters = 0;
  std::function<void(Statement&)> bind_scope;
  // The ordering key: integer columns, unique together, selected as the row's columns key_at.
  std::vector<std::string> key;
  std::vector<int> key_at;
  int page_rows = 256;
};

class PagedStatement {
 public:
  PagedStatement(Database& db, Paging paging, std::string_view doing = "reading the state");

  // Advances to the next row, fetching the next page when this one is used up.
  bool step();
  // The current row's columns.
  const Statement& row() const { return statement_; }

 private:
  Paging paging_;
  Statement statement_;
  std::vector<long long> last_;  // the last row's key; the first page starts below every key
  int rows_in_page_ = 0;
  bool page_open_ = false;
  bool done_ = false;
};

// A write transaction (Database::begin_write), rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.begin_write(); }
  ~Transaction() {
    if (open_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    db_.commit();
    open_ = false;
  }

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace samvad::store
