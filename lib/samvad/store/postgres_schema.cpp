#include <samvad/store/postgres_schema.hpp>

#include <string>

#include <samvad/core/error.hpp>
#include <samvad/store/migrations.hpp>
#include <samvad/store/postgres.hpp>
#include <samvad/store/statement.hpp>

namespace samvad::store {

namespace {

// samvad_claims holds one row per delivery that a process has claimed: the claim is a row
// lock on it (SELECT ... FOR UPDATE SKIP LOCKED) held by an open transaction of the claiming
// process, so it ends when that process ends, on any machine. Not the deliveries row itself:
// the claiming process goes on updating that one from its main connection.
const char* const kServerTables = R"sql(
CREATE TABLE samvad_store (
  application TEXT NOT NULL,
  schema_version BIGINT NOT NULL
);
INSERT INTO samvad_store (application, schema_version) VALUES ('samvad', 0);
CREATE TABLE samvad_claims (
  delivery_id BIGINT PRIMARY KEY
);
)sql";

bool has_store_table(Database& db) {
  Statement s(db, "SELECT to_regclass('samvad_store') IS NOT NULL", "looking for samvad's tables");
  return s.step() && s.column_int(0) != 0;
}

long long other_tables(Database& db) {
  Statement s(db,
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
              "AND table_name NOT LIKE 'samvad\\_%'",
              "looking for samvad's tables");
  return s.step() ? s.column_int(0) : 0;
}

std::string application_of(Database& db) {
  Statement s(db, "SELECT application FROM samvad_store", "reading samvad_store");
  return s.step() ? s.column_text(0) : std::string();
}

void check_known(Database& db, int version) {
  const int known = latest_schema_version();
  if (application_of(db) != "samvad") {
    throw Error(ExitCode::config, db.name() +
                                      " has a table samvad_store that is not samvad's; expected a database "
                                      "samvad created. samvad leaves it untouched: choose another state URL");
  }
  if (version > known) {
    throw Error(ExitCode::config, db.name() + " was written by a newer samvad (schema " + std::to_string(version) +
                                      ", this samvad knows " + std::to_string(known) + "); expected schema " +
                                      std::to_string(known) + " or older: upgrade samvad on this machine");
  }
}

void create_store_tables(Database& db) {
  if (other_tables(db) > 0) {
    throw Error(ExitCode::config,
                db.name() +
                    " holds tables of another program and no samvad_store; expected an empty database or "
                    "one samvad created. samvad leaves it untouched: create a database of its own "
                    "(createdb samvad) and name it in the state URL");
  }
  db.exec(kServerTables, "creating samvad's tables");
}

}  // namespace

int postgres_schema_version(Database& db) {
  if (!has_store_table(db)) return 0;
  Statement s(db, "SELECT schema_version FROM samvad_store", "reading the schema version");
  return s.step() ? static_cast<int>(s.column_int(0)) : 0;
}

void prepare_postgres_schema(Database& db) {
  Transaction tx(db);
  {
    Statement lock(db, "SELECT pg_advisory_xact_lock(?1, ?2)", "waiting for another samvad setting up the store");
    lock.bind(1, kAdvisoryLockSpace).bind(2, kMigrationLock).step();
  }
  if (!has_store_table(db)) create_store_tables(db);
  const int version = postgres_schema_version(db);
  check_known(db, version);
  for (const Migration& m : migrations()) {
    if (m.version <= version) continue;
    db.exec(postgres_sql(m),
            std::string("migrating to schema ") + std::to_string(m.version) + " (" + m.description + ")");
    Statement u(db, "UPDATE samvad_store SET schema_version = ?1", "recording the schema version");
    u.bind(1, m.version).run();
  }
  tx.commit();
}

}  // namespace samvad::store
