#include <samvad/store/statement.hpp>

#include <chrono>
#include <utility>

namespace samvad::store {

std::recursive_mutex& process_write_lock() {
  static std::recursive_mutex m;
  return m;
}

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

void exec(sqlite3* db, const char* sql, const std::filesystem::path& path, std::string_view doing) {
  if (int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    throw_sqlite_error(db, rc, path, doing);
  }
}

long long to_millis(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_millis(long long ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

Statement::Statement(sqlite3* db, std::string_view sql, const std::filesystem::path& path, std::string_view doing)
    : db_(db), path_(&path), doing_(doing) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw_sqlite_error(db, rc, path, doing_);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), path_(other.path_), doing_(std::move(other.doing_)) {}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries may be bound safely.
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, *path_, doing_);
  return *this;
}

Statement& Statement::bind(int index, long long value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, *path_, doing_);
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, *path_, doing_);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Reset now so the statement drops its locks even if the caller keeps it around.
  sqlite3_reset(stmt_);
  throw_sqlite_error(db_, rc, *path_, doing_);
}

int Statement::run() {
  while (step()) {
  }
  return sqlite3_changes(db_);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

long long Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  // Ask for the size after the text: sqlite3_column_text may convert the value first.
  int size = sqlite3_column_bytes(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)) : std::string();
}

Transaction::Transaction(sqlite3* db, const std::filesystem::path& path) : db_(db), path_(&path) {
  exec(db, "BEGIN IMMEDIATE", path, "starting a write");
}

Transaction::~Transaction() {
  // A failed statement may already have ended the transaction; ROLLBACK then fails harmlessly.
  if (open_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  exec(db_, "COMMIT", *path_, "saving a change");
  open_ = false;
}

}  // namespace samvad::store
