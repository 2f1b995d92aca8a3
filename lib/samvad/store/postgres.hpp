// The store's database on a PostgreSQL server (libpq), so that the machines of one corporation
// share one delivery history. The server is named by a libpq connection URI; its password comes
// from credentials.yaml or from libpq's own sources (~/.pgpass, PGPASSFILE, PGPASSWORD) and never
// appears in a message. A server that is not on this machine is used only with its certificate
// verified (sslmode=verify-full or verify-ca), as samvad does for X and SMTP.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <samvad/store/database.hpp>

namespace samvad::store {

// The advisory lock keys samvad takes on a server: a space of its own ('SAMV' as the first of
// PostgreSQL's two 32-bit keys), the second key saying what is locked.
inline constexpr int kAdvisoryLockSpace = 0x53414D56;
inline constexpr int kMigrationLock = 1;  // setting up or migrating the schema
inline constexpr int kRunDueLock = 2;     // one run-due at a time per store
inline constexpr int kWriteLock = 3;      // every write transaction (see begin_write)

// Connects to `url` (postgresql://user@host[:port]/database?sslmode=verify-full, or postgres://).
// `password`, when given, overrides any other source. Throws samvad::Error: 78 for a URL that is
// not a connection URI, a remote server without a verified certificate (before any connection is
// made), a database that does not exist or a certificate that does not verify; 77 when the
// server refuses the user (wrong or missing password, pg_hba.conf, no CONNECT privilege); 75 when
// the server cannot be reached or does not accept connections now ("try again").
std::unique_ptr<Database> open_postgres(const std::string& url, const std::optional<std::string>& password);

// The store's SQL numbers its parameters as SQLite does (?1, ?2); PostgreSQL's are $1, $2.
struct PostgresSql {
  std::string text;    // with each ?N written $N
  int parameters = 0;  // the highest N
};
// Rewrites ?N outside string literals, quoted identifiers, dollar-quoted strings and comments.
// Throws Error 70 (a mistake in samvad's SQL) for a bare ? or a $N, which would mix the two
// numberings, and for an unterminated literal or comment.
PostgresSql postgres_parameters(std::string_view sql);

// `url` as it may be shown: a password after the user name (user:password@) and a password=
// parameter are removed, as libpq would read them.
std::string without_password(std::string_view url);

}  // namespace samvad::store
