#include <samvad/store/sqlite_database.hpp>

#include <string>
#include <utility>

#include <sqlite3.h>

#include <samvad/core/error.hpp>

namespace samvad::store {

namespace {

std::string describe(sqlite3* db, int rc) {
  // sqlite3_errmsg describes the most recent failure on this connection, which is `rc` as
  // long as nothing ran in between; without a connection only the code's text is known.
  std::string text = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (int err = db ? sqlite3_system_errno(db) : 0; err != 0 && (rc & 0xff) != SQLITE_CONSTRAINT) {
    text += " (errno " + std::to_string(err) + ")";
  }
  return text;
}

class SqliteQuery : public Query {
 public:
  SqliteQuery(sqlite3* db, std::string_view sql, const std::filesystem::path& path, std::string_view doing)
      : db_(db), path_(path), doing_(doing) {
    int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt_);
      stmt_ = nullptr;
      throw_sqlite_error(db, rc, path_, doing_);
    }
  }
  ~SqliteQuery() override { sqlite3_finalize(stmt_); }
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  void bind_text(int index, std::string_view text) override {
    // SQLITE_TRANSIENT: SQLite copies the text, so temporaries may be bound safely.
    check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
  }
  void bind_int(int index, long long value) override { check(sqlite3_bind_int64(stmt_, index, value)); }
  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changes_ = sqlite3_changes(db_);
      return false;
    }
    // Reset now so the statement drops its locks even if the caller keeps it around.
    sqlite3_reset(stmt_);
    throw_sqlite_error(db_, rc, path_, doing_);
  }
  long long changes() const override { return changes_; }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    changes_ = 0;
  }

  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  long long column_int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string column_text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    // Ask for the size after the text: sqlite3_column_text may convert the value first.
    int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)) : std::string();
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, path_, doing_);
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  const std::filesystem::path& path_;
  std::string doing_;
  long long changes_ = 0;
};

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)), name_(path_.string()) {}
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Backend backend() const override { return Backend::sqlite; }
  const std::string& name() const override { return name_; }
  std::unique_ptr<Query> prepare(std::string_view sql, std::string_view doing) override {
    return std::make_unique<SqliteQuery>(db_, sql, path_, doing);
  }
  void exec(std::string_view sql, std::string_view doing) override {
    const std::string text(sql);
    if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK)
      throw_sqlite_error(db_, rc, path_, doing);
  }
  void begin_write() override { exec("BEGIN IMMEDIATE", "starting a write"); }
  void commit() override { exec("COMMIT", "saving a change"); }
  void rollback() noexcept override {
    // A failed statement may already have ended the transaction; ROLLBACK then fails harmlessly.
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_); }

  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_;
  std::filesystem::path path_;
  std::string name_;
};

}  // namespace

void throw_sqlite_error(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view doing) {
  const std::string p = path.string();
  const std::string what = describe(db, rc);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw Error(ExitCode::config,
                  p + " is not a samvad state database or is damaged (" + what + ", while " + std::string(doing) +
                      "); expected the SQLite file samvad keeps its delivery history in. samvad does not reset it: "
                      "move it aside to start a new history, or restore it from a backup");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(ExitCode::temp_fail, p + " stayed locked by another samvad process (" + what + ", while " +
                                           std::string(doing) +
                                           "); expected it to be free within 5 seconds: try again");
    case SQLITE_READONLY:
      throw Error(ExitCode::cant_create, p + " is read-only (" + what + ", while " + std::string(doing) +
                                             "); expected samvad to be able to write its state there: fix the "
                                             "permissions of the file and its folder, or choose another --state");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      throw Error(ExitCode::cant_create, "cannot write " + p + " (" + what + ", while " + std::string(doing) +
                                             "); expected a writable file in a writable folder with free space");
    default:
      throw Error(ExitCode::software, "internal error: " + std::string(doing) + " in " + p + " failed: " + what +
                                          " (SQLite code " + std::to_string(rc) + ")");
  }
}

std::unique_ptr<Database> open_sqlite(const std::filesystem::path& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  // sqlite3_open_v2 allocates a handle even when it fails: the Database owns it either way.
  auto db = std::make_unique<SqliteDatabase>(raw, path);
  if (rc != SQLITE_OK) throw_sqlite_error(raw, rc, path, "opening");
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return db;
}

sqlite3* sqlite_handle(Database& db) {
  auto* s = dynamic_cast<SqliteDatabase*>(&db);
  return s ? s->handle() : nullptr;
}

}  // namespace samvad::store
