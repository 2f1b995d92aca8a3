// What the store asks of a SQL database, so that one body of store code runs on the embedded
// SQLite file (sqlite_database) and on a PostgreSQL server shared by many machines
// (postgres_database). Statements are written once, with numbered parameters ?1, ?2, ...;
// values are always bound, never spliced into SQL text. Failures throw samvad::Error with a
// sysexits code chosen by the backend (a lost connection or a lock held too long 75, a damaged
// or foreign store 78, a store that cannot be written 73, our own mistake 70).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace samvad::store {

enum class Backend { sqlite, postgresql };

// One prepared statement: bind, then step through its rows (or run it for its changes).
class Query {
 public:
  virtual ~Query() = default;
  // Parameters are 1-based, as in ?1.
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_int(int index, long long value) = 0;
  virtual void bind_null(int index) = 0;
  // Runs the statement on the first call; true while there is a row to read.
  virtual bool step() = 0;
  // Rows the statement changed, once it has run to the end.
  virtual long long changes() const = 0;
  // Ready to run again; bindings are cleared.
  virtual void reset() = 0;
  // Columns of the current row, 0-based.
  virtual bool is_null(int column) const = 0;
  virtual long long column_int(int column) const = 0;
  virtual std::string column_text(int column) const = 0;
};

// One connection. Not shared between threads: each thread opens its own Store.
class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  // For messages: the file's path, or the URL without its password.
  virtual const std::string& name() const = 0;
  // `doing` says in error messages what the statement was for ("recording an announcement").
  virtual std::unique_ptr<Query> prepare(std::string_view sql, std::string_view doing) = 0;
  // SQL without parameters or rows (schema, BEGIN/COMMIT); several statements allowed.
  virtual void exec(std::string_view sql, std::string_view doing) = 0;
  // A transaction that writes: it holds the store's write lock from its start on SQLite (BEGIN
  // IMMEDIATE, so a read-then-write never fails half-way); on PostgreSQL row locks do that.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;
};

}  // namespace samvad::store
