// The store's Database on an SQLite file (database.hpp), and the mapping from SQLite's result
// codes to samvad's exit codes. Opening the file as the store wants it (private, WAL, its
// identity checked) is Store::open's; this is the connection.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include <samvad/store/database.hpp>

struct sqlite3;

namespace samvad::store {

// Throws the Error for a failed SQLite call: a damaged or foreign file -> config (78),
// cannot write or create -> cant_create (73), locked too long -> temp_fail (75), anything
// else (a constraint we violated, a misuse) -> software (70). `doing` says what was attempted.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view doing);

// Opens (creating when missing) the SQLite file at `path` (absolute), with extended result
// codes and a busy timeout of `busy_timeout_ms`.
std::unique_ptr<Database> open_sqlite(const std::filesystem::path& path, int busy_timeout_ms);

// The connection under a Database open_sqlite made, for what only SQLite has (PRAGMAs are
// statements too, but sqlite3_db_readonly is not); nullptr for any other backend.
sqlite3* sqlite_handle(Database& db);

}  // namespace samvad::store
