// The store's schema on a PostgreSQL server. The same migrations as the SQLite file
// (postgres_sql gives each in PostgreSQL's dialect); where SQLite keeps the schema version and
// samvad's mark in the file header, a server keeps them in the table samvad_store, so a
// database of another program is recognised and left alone, and a newer samvad's is refused.
#pragma once

#include <samvad/store/database.hpp>

namespace samvad::store {

// Marks a new (empty) database as samvad's and brings it, or an older samvad database, to
// latest_schema_version(), in one transaction; several processes doing this at once wait for
// each other (a transaction-scoped advisory lock). Throws Error 78 for a database that holds
// other tables but is not samvad's, or one a newer samvad wrote; 77 when the role may not
// create tables in it.
void prepare_postgres_schema(Database& db);

// The schema version the database is at (0 before prepare_postgres_schema).
int postgres_schema_version(Database& db);

}  // namespace samvad::store
