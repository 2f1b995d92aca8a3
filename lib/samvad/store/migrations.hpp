// The store's schema as an ordered list of migrations: migration N takes a file from schema
// N-1 to N (migration 1 creates it). PRAGMA user_version holds the schema a file is at and
// PRAGMA application_id marks the file as samvad's, so a foreign SQLite file is recognised.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <samvad/store/database.hpp>

namespace samvad::store {

// 'SAMV' in ASCII: stored in the SQLite header (offset 68), so `file state.db` and samvad
// itself can tell a samvad state file from any other SQLite database.
inline constexpr int kApplicationId = 0x53414D56;

struct Migration {
  int version;              // the schema the file is at after this step
  const char* description;  // for error messages
  const char* sql;          // statements without values, run inside the migrating transaction
};

// Every migration, in order; the last one's version is the schema this samvad knows.
const std::vector<Migration>& migrations();

// A migration's statements as PostgreSQL takes them, so both backends hold the same schema:
// INTEGER becomes BIGINT (times are milliseconds, past 2^31), an `id INTEGER PRIMARY KEY`
// (SQLite's rowid alias) an identity column, and a table whose rows the store orders by
// SQLite's implicit rowid gets an explicit `rowid` identity column, so the same queries run.
std::string postgres_sql(const Migration& migration);
int latest_schema_version();

// What a file's header says, read without writing anything.
struct FileIdentity {
  int application_id = 0;
  int schema_version = 0;
  int objects = 0;  // tables, indexes, views, triggers: 0 for a new (empty) file
};
FileIdentity read_identity(Database& db);

// Throws Error(ExitCode::config) unless the file is new (empty) or samvad's at a schema this
// samvad knows.
void check_identity(const FileIdentity& id, const std::filesystem::path& path);

// Inside a write transaction: brings a new or older file up to latest_schema_version().
void migrate(Database& db);

}  // namespace samvad::store
