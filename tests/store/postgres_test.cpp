// The store's PostgreSQL database (lib/samvad/store/postgres.cpp). The tests tagged [postgres]
// run against a real server that the test run starts (tests/support/postgres_server.hpp); the
// others need none.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <samvad/core/error.hpp>
#include <samvad/store/postgres.hpp>

#include "support/postgres_server.hpp"
#include "support/process.hpp"

using samvad::Error;
using samvad::ExitCode;
using namespace samvad::store;
using namespace samvad::test;

namespace {

template <typename F>
Error error_of(F&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected samvad::Error");
  throw std::logic_error("unreachable");
}

std::unique_ptr<Database> open_test_database(const PostgresTestDatabase& db) {
  return open_postgres(db.url(), std::string(postgres_password));
}

// A TCP listener on every address of this machine, to tell whether a client tried to connect.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t size = sizeof address;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd_); }
  int port() const { return port_; }
  // Whether a connection is waiting to be accepted (the kernel completes it without accept()).
  bool contacted() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 100) == 1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// An IPv4 address of this machine that is not loopback: a "remote" server that is still reachable.
std::optional<std::string> non_loopback_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* a = list; a && !found; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    const in_addr ip = reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr;
    if ((ntohl(ip.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN];
    if (::inet_ntop(AF_INET, &ip, text, sizeof text)) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

// Everything written to file descriptor 2 while `call` runs.
template <typename F>
std::string stderr_of(F&& call) {
  TempDir dir;
  const auto path = dir.path() / "stderr";
  std::fflush(stderr);
  const int saved = ::dup(2), file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(file, 2);
  ::close(file);
  call();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  return read_file(path);
}

}  // namespace

// ---- without a server ----

TEST_CASE("the store's ?N parameters are PostgreSQL's $N, outside literals, quoted names and comments", "[store]") {
  CHECK(postgres_parameters("SELECT a FROM t WHERE b = ?1 AND c > ?2").text ==
        "SELECT a FROM t WHERE b = $1 AND c > $2");
  CHECK(postgres_parameters("UPDATE t SET a = ?2, b = ?2 WHERE id = ?10").parameters == 10);
  CHECK(postgres_parameters("SELECT 1").parameters == 0);
  // What looks like a parameter inside a literal, a quoted name or a comment stays as written.
  const char* quoted =
      "SELECT 'is it ?1', 'it''s ?2', E'\\' ?3', \"odd?4\"\"name\", $$ ?5 $$, $x$ ?6 $x$ -- ?7\n"
      "/* ?8 /* nested ?9 */ still ?10 */ FROM t WHERE a = ?1";
  const PostgresSql rewritten = postgres_parameters(quoted);
  CHECK(rewritten.text ==
        "SELECT 'is it ?1', 'it''s ?2', E'\\' ?3', \"odd?4\"\"name\", $$ ?5 $$, $x$ ?6 $x$ -- ?7\n"
        "/* ?8 /* nested ?9 */ still ?10 */ FROM t WHERE a = $1");
  CHECK(rewritten.parameters == 1);
  // Devanagari around a parameter, and a $ inside a name, are left alone.
  CHECK(postgres_parameters("SELECT 'पाणी', a$b FROM t WHERE x = ?3").text == "SELECT 'पाणी', a$b FROM t WHERE x = $3");
}

TEST_CASE("a bare ?, a $N or an unterminated quote in the store's SQL is samvad's own mistake (70)", "[store]") {
  for (const char* sql : {"SELECT ? FROM t", "SELECT ?0", "SELECT ?70000", "SELECT $1", "SELECT 'open", "SELECT \"open",
                          "SELECT /* open", "SELECT $tag$ open"}) {
    INFO(sql);
    CHECK(error_of([&] { postgres_parameters(sql); }).code() == ExitCode::software);
  }
}

TEST_CASE("a PostgreSQL URL is shown without its password", "[store]") {
  CHECK(without_password("postgresql://samvad:s3cret@db.example.org:5433/samvad?sslmode=verify-full") ==
        "postgresql://samvad@db.example.org:5433/samvad?sslmode=verify-full");
  CHECK(without_password("postgres://samvad@db.example.org/samvad?password=s3cret&sslmode=verify-full") ==
        "postgres://samvad@db.example.org/samvad?sslmode=verify-full");
  CHECK(without_password("postgresql://db/x?sslmode=verify-full&pass%77ord=s3cret") ==
        "postgresql://db/x?sslmode=verify-full");
  CHECK(without_password("postgresql://u:p%40ss@[::1]/x") == "postgresql://u@[::1]/x");
  CHECK(without_password("postgresql:///samvad?host=/run/postgresql") == "postgresql:///samvad?host=/run/postgresql");
  CHECK(without_password("host=db password=s3cret").empty());
}

TEST_CASE("a PostgreSQL server beyond this machine is refused (78) without sslmode=verify-full, before any connection",
          "[store]") {
  Listener listener;
  const std::string host = non_loopback_address().value_or("192.0.2.1");
  INFO("host " << host);
  const std::string base = "postgresql://samvad:s3cret-pw@" + host + ":" + std::to_string(listener.port()) + "/samvad";
  for (const std::string& url :
       {base, base + "?sslmode=require", base + "?sslmode=verify-none-such",
        "postgresql://samvad@127.0.0.1," + host + ":" + std::to_string(listener.port()) + "/samvad?sslmode=prefer",
        "postgresql://samvad@localhost/samvad?hostaddr=" + host}) {
    INFO(url);
    const auto began = std::chrono::steady_clock::now();
    const Error e = error_of([&] { open_postgres(url, std::string("arg-pw-1234")); });
    CHECK(e.code() == ExitCode::config);
    CHECK_THAT(e.what(), Catch::Contains("sslmode=verify-full") && Catch::Contains(host));
    CHECK_THAT(e.what(), !Catch::Contains("s3cret-pw") && !Catch::Contains("arg-pw-1234"));
    CHECK(std::chrono::steady_clock::now() - began < std::chrono::milliseconds(500));
  }
  if (non_loopback_address()) CHECK_FALSE(listener.contacted());

  // With the certificate verified the same server is tried (and here nothing listens: 75).
  if (non_loopback_address()) {
    int closed_port = 0;
    {
      Listener gone;
      closed_port = gone.port();
    }
    const Error e = error_of([&] {
      open_postgres("postgresql://samvad@" + host + ":" + std::to_string(closed_port) + "/samvad?sslmode=verify-full",
                    std::nullopt);
    });
    CHECK(e.code() == ExitCode::temp_fail);
    CHECK_THAT(e.what(), Catch::Contains("try again"));
  }
}

TEST_CASE("a PostgreSQL server on this machine needs no verified certificate", "[store]") {
  // Loopback addresses and Unix sockets are tried at once (nothing listens there: 75, not 78).
  for (const char* url :
       {"postgresql://samvad@127.0.0.1:1/samvad", "postgresql://samvad@127.0.0.2:1/samvad",
        "postgres://samvad@localhost:1/samvad", "postgresql://samvad@[::1]:1/samvad",
        "postgresql://samvad@%2Fnonexistent%2Fsocket/samvad", "postgresql:///samvad?host=/nonexistent/socket&port=1"}) {
    INFO(url);
    const Error e = error_of([&] { open_postgres(url, std::nullopt); });
    CHECK(e.code() == ExitCode::temp_fail);
    CHECK_THAT(e.what(), !Catch::Contains("sslmode=verify-full"));
  }
}

TEST_CASE("a PostgreSQL host the resolver does not know is a configuration error (78), not one to retry", "[store]") {
  addrinfo* found = nullptr;
  const int lookup = ::getaddrinfo("no-such-host.invalid", "5432", nullptr, &found);
  if (found) ::freeaddrinfo(found);
  const Error e = error_of(
      [] { open_postgres("postgresql://samvad@no-such-host.invalid/samvad?sslmode=verify-full", std::nullopt); });
  INFO(e.what());
  // Without a resolver to ask (EAI_AGAIN) the answer may come later: then it is worth a retry.
  CHECK(e.code() == (lookup == EAI_NONAME ? ExitCode::config : ExitCode::temp_fail));
  if (lookup == EAI_NONAME) CHECK_THAT(e.what(), Catch::Contains("no-such-host.invalid has no address"));
}

TEST_CASE("a PostgreSQL URL that libpq cannot read is a configuration error (78) that never shows its password",
          "[store]") {
  for (const char* url :
       {"host=db.example.org dbname=samvad password=s3cret-pw", "postgresql://samvad:s3cret-pw@[::1/samvad",
        "postgresql://samvad:s3cret-pw@db/x?nosuch=1", "postgresql://samvad@db/x?password=s3cret-pw&a%zz=1"}) {
    INFO(url);
    const Error e = error_of([&] { open_postgres(url, std::nullopt); });
    CHECK(e.code() == ExitCode::config);
    CHECK_THAT(e.what(), Catch::Contains("expected postgresql://"));
    CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
  }
}

// ---- against the test run's server ----

TEST_CASE("PostgreSQL keeps Devanagari text, 64-bit integers and NULLs through prepared statements", "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  CHECK(db->backend() == Backend::postgresql);
  CHECK(db->name() == test_db.url());
  db->exec("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, sent_at BIGINT); CREATE INDEX ON notes (sent_at)",
           "creating the table");

  const long long sent_at = 1'767'225'600'123;  // 2026-01-01 in milliseconds, far beyond 2^31
  const std::string body = "पाणीपुरवठा बंद राहील — ?1 'quoted'";
  auto insert = db->prepare("INSERT INTO notes (id, body, sent_at) VALUES (?1, ?2, ?3)", "recording a note");
  insert->bind_int(1, 1);
  insert->bind_text(2, body);
  insert->bind_int(3, sent_at);
  CHECK_FALSE(insert->step());
  CHECK(insert->changes() == 1);
  insert->reset();
  insert->bind_int(1, -9'000'000'000'000'000'000);
  insert->bind_null(2);
  CHECK_FALSE(insert->step());  // ?3 left unbound: NULL, as in SQLite

  auto select = db->prepare("SELECT id, body, sent_at FROM notes WHERE id = ?1", "reading");
  select->bind_int(1, 1);
  REQUIRE(select->step());
  CHECK(select->column_int(0) == 1);
  CHECK(select->column_text(1) == body);
  CHECK(select->column_int(2) == sent_at);
  CHECK_FALSE(select->is_null(1));
  CHECK_FALSE(select->step());
  CHECK_FALSE(select->step());

  auto all = db->prepare("SELECT id, body, sent_at FROM notes ORDER BY id", "reading");
  REQUIRE(all->step());
  CHECK(all->column_int(0) == -9'000'000'000'000'000'000);
  CHECK(all->is_null(1));
  CHECK(all->is_null(2));
  REQUIRE(all->step());
  CHECK(all->column_int(0) == 1);
  CHECK_FALSE(all->step());

  // The session is samvad's, in UTF-8.
  auto session = db->prepare("SELECT current_setting('application_name'), current_setting('client_encoding')", "");
  REQUIRE(session->step());
  CHECK(session->column_text(0) == "samvad");
  CHECK(session->column_text(1) == "UTF8");
}

TEST_CASE("PostgreSQL reports the rows a statement changed, and one SQL text may be in use twice at once",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  db->exec("CREATE TABLE parts (id BIGINT, status TEXT, done BOOLEAN)", "creating the table");
  db->exec("INSERT INTO parts VALUES (1, 'pending', false), (2, 'pending', true), (3, 'sent', true)", "filling");

  auto update = db->prepare("UPDATE parts SET status = ?1 WHERE status = ?2", "settling parts");
  update->bind_text(1, "in-flight");
  update->bind_text(2, "pending");
  CHECK_FALSE(update->step());
  CHECK(update->changes() == 2);
  update->reset();
  update->bind_text(1, "x");
  update->bind_text(2, "none such");
  CHECK_FALSE(update->step());
  CHECK(update->changes() == 0);

  // The same text prepared twice: each query has its own bindings and rows.
  const char* by_id = "SELECT status, done FROM parts WHERE id = ?1";
  auto first = db->prepare(by_id, "reading");
  auto second = db->prepare(by_id, "reading");
  first->bind_int(1, 1);
  second->bind_int(1, 3);
  REQUIRE(first->step());
  REQUIRE(second->step());
  CHECK(first->column_text(0) == "in-flight");
  CHECK(first->column_int(1) == 0);  // a boolean reads as 0 or 1
  CHECK(second->column_text(0) == "sent");
  CHECK(second->column_int(1) == 1);

  // Reading past the columns, or a text as a number, is a mistake in samvad (70).
  CHECK(error_of([&] { first->column_int(5); }).code() == ExitCode::software);
  CHECK(error_of([&] { first->column_int(0); }).code() == ExitCode::software);
  CHECK(error_of([&] { first->bind_int(2, 1); }).code() == ExitCode::software);
  CHECK(error_of([&] { first->bind_text(1, std::string_view("a\0b", 3)); }).code() == ExitCode::software);
}

TEST_CASE("a PostgreSQL transaction that is rolled back leaves nothing, and one an error broke is never committed",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  db->exec("CREATE TABLE t (id BIGINT PRIMARY KEY)", "creating the table");
  auto insert = db->prepare("INSERT INTO t VALUES (?1)", "recording");
  auto count = [&] {
    auto q = db->prepare("SELECT count(*) FROM t", "counting");
    REQUIRE(q->step());
    return q->column_int(0);
  };

  CHECK_FALSE(db->in_transaction());
  db->begin_write();
  CHECK(db->in_transaction());
  insert->bind_int(1, 1);
  insert->step();
  db->rollback();
  CHECK_FALSE(db->in_transaction());
  CHECK(count() == 0);

  db->begin_write();
  insert->reset();
  insert->bind_int(1, 2);
  insert->step();
  db->commit();
  CHECK_FALSE(db->in_transaction());
  CHECK(count() == 1);

  // A failed statement aborts a PostgreSQL transaction (SQLite's goes on): COMMIT would answer
  // ROLLBACK without an error, so commit() says so instead of pretending.
  db->begin_write();
  insert->reset();
  insert->bind_int(1, 3);
  insert->step();
  insert->reset();
  insert->bind_int(1, 2);
  const Error duplicate = error_of([&] { insert->step(); });
  CHECK(duplicate.code() == ExitCode::software);
  CHECK_THAT(duplicate.what(), Catch::Contains("23505") && Catch::Contains("recording"));
  CHECK(db->in_transaction());
  CHECK(error_of([&] { db->commit(); }).code() == ExitCode::software);
  CHECK_FALSE(db->in_transaction());
  CHECK(count() == 1);
}

TEST_CASE("a mistake in samvad's SQL on PostgreSQL is an internal error (70) with the SQLSTATE and what was done",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  const Error e = error_of([&] { db->prepare("SELECT nothing FROM nowhere WHERE a = ?1", "reading the history"); });
  CHECK(e.code() == ExitCode::software);
  CHECK_THAT(e.what(),
             Catch::Contains("42P01") && Catch::Contains("reading the history") && Catch::Contains(test_db.url()));
  CHECK(error_of([&] { db->exec("SELEKT 1", "migrating"); }).code() == ExitCode::software);
}

TEST_CASE("the PostgreSQL server's notices never reach samvad's output", "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  const std::string err = stderr_of([&] {
    db->exec(
        "DROP TABLE IF EXISTS none_such; CREATE TABLE IF NOT EXISTS t (a INT); CREATE TABLE IF NOT EXISTS t (a INT)",
        "migrating");
  });
  CHECK(err.empty());
}

TEST_CASE("a PostgreSQL session asks the server to notice a dead machine's connection in about 90 s, not two hours",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);  // over TCP, as from another machine
  auto setting = [&](const std::string& name) {
    auto q = db->prepare("SELECT setting FROM pg_settings WHERE name = ?1", "reading a setting");
    q->bind_text(1, name);
    REQUIRE(q->step());
    return q->column_text(0);
  };
  CHECK(setting("tcp_keepalives_idle") == "60");
  CHECK(setting("tcp_keepalives_interval") == "10");
  CHECK(setting("tcp_keepalives_count") == "3");
  CHECK(setting("lock_timeout") == "5000");
}

TEST_CASE("PostgreSQL over its Unix socket, and with libpq's own password file, needs no password from samvad",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto over_socket = open_postgres(test_db.server().socket_url(test_db.name()), std::nullopt);
  CHECK_NOTHROW(over_socket->exec("SELECT 1", "checking"));
  const std::string short_scheme = "postgres://" + test_db.url().substr(std::string("postgresql://").size());
  CHECK_NOTHROW(open_postgres(short_scheme, std::string(postgres_password)));

  // A password in the URL works, and is not in the name shown.
  const std::string with_password = "postgresql://samvad:" + std::string(postgres_password) +
                                    "@127.0.0.1:" + std::to_string(test_db.server().port()) + "/" + test_db.name();
  auto from_url = open_postgres(with_password, std::nullopt);
  CHECK(from_url->name() == test_db.url());

  TempDir home;
  const auto pgpass = home.write(
      "pgpass", "127.0.0.1:" + std::to_string(test_db.server().port()) + ":*:samvad:" + postgres_password + "\n");
  ::setenv("PGPASSFILE", pgpass.c_str(), 1);
  CHECK_NOTHROW(open_postgres(test_db.url(), std::nullopt));
  ::unsetenv("PGPASSFILE");
}

TEST_CASE("a wrong or missing PostgreSQL password is refused (77), naming user and host, never the password",
          "[postgres]") {
  PostgresTestDatabase test_db;
  const std::string wrong = "wrong-Secret-8472";
  struct Attempt {
    std::string url;
    std::optional<std::string> password;
  };
  for (const Attempt& attempt : {Attempt{test_db.url(), wrong},
                                 Attempt{"postgresql://samvad:" + wrong + "@127.0.0.1:" +
                                             std::to_string(test_db.server().port()) + "/" + test_db.name(),
                                         std::nullopt},
                                 Attempt{test_db.url("password=" + wrong), std::nullopt}}) {
    INFO(attempt.url);
    const Error e = error_of([&] { open_postgres(attempt.url, attempt.password); });
    CHECK(e.code() == ExitCode::permission);
    CHECK_THAT(e.what(), Catch::Contains("\"samvad\"") && Catch::Contains("127.0.0.1") &&
                             Catch::Contains("~/.pgpass") && Catch::Contains("credentials.yaml"));
    CHECK_THAT(e.what(), !Catch::Contains(wrong) && !Catch::Contains(postgres_password));
  }

  ::setenv("PGPASSFILE", "/nonexistent/pgpass", 1);
  const Error none = error_of([&] { open_postgres(test_db.url(), std::nullopt); });
  ::unsetenv("PGPASSFILE");
  CHECK(none.code() == ExitCode::permission);
  CHECK_THAT(none.what(), Catch::Contains("no password") && Catch::Contains("PGPASSWORD"));
}

TEST_CASE("a PostgreSQL database that does not exist is a configuration error (78)", "[postgres]") {
  PostgresServer& server = PostgresServer::shared();
  const Error e = error_of([&] { open_postgres(server.url("no_such_history"), std::string(postgres_password)); });
  CHECK(e.code() == ExitCode::config);
  CHECK_THAT(e.what(), Catch::Contains("\"no_such_history\" does not exist") && Catch::Contains("createdb"));
}

TEST_CASE("a PostgreSQL user without rights on samvad's tables is refused (77)", "[postgres]") {
  PostgresTestDatabase test_db;
  test_db.server().admin(test_db.name(), "CREATE TABLE announcements (id BIGINT)");  // owned by the superuser
  auto db = open_test_database(test_db);
  const Error e = error_of([&] { db->prepare("SELECT id FROM announcements", "listing announcements")->step(); });
  CHECK(e.code() == ExitCode::permission);
  CHECK_THAT(e.what(),
             Catch::Contains("42501") && Catch::Contains("listing announcements") && Catch::Contains("granted SELECT"));
}

TEST_CASE("a row another PostgreSQL session holds is a temporary failure (75)", "[postgres]") {
  PostgresTestDatabase test_db;
  auto first = open_test_database(test_db), second = open_test_database(test_db);
  first->exec("CREATE TABLE claims (id BIGINT PRIMARY KEY); INSERT INTO claims VALUES (1)", "creating");
  first->exec("BEGIN", "claiming");  // as a claim's connection does: not a write transaction
  auto claim = first->prepare("SELECT id FROM claims WHERE id = ?1 FOR UPDATE", "claiming");
  claim->bind_int(1, 1);
  REQUIRE(claim->step());
  second->begin_write();
  auto other = second->prepare("SELECT id FROM claims WHERE id = ?1 FOR UPDATE NOWAIT", "claiming a delivery");
  other->bind_int(1, 1);
  const Error e = error_of([&] { other->step(); });
  CHECK(e.code() == ExitCode::temp_fail);
  CHECK_THAT(e.what(), Catch::Contains("55P03") && Catch::Contains("try again"));
  second->rollback();
  first->commit();
}

TEST_CASE("a PostgreSQL write waits for another's at most the lock timeout, then is a temporary failure (75)",
          "[postgres]") {
  PostgresTestDatabase test_db;
  auto first = open_test_database(test_db), second = open_test_database(test_db);
  first->begin_write();  // a stuck samvad in the middle of a write
  const Error e = error_of([&] { second->begin_write(); });
  CHECK(e.code() == ExitCode::temp_fail);
  CHECK_THAT(e.what(), Catch::Contains("55P03") && Catch::Contains("try again"));
  second->rollback();
  first->commit();
}

TEST_CASE("a PostgreSQL session the server ends is a temporary failure (75)", "[postgres]") {
  PostgresTestDatabase test_db;
  auto db = open_test_database(test_db);
  test_db.server().admin("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                                         test_db.name() + "' AND usename = 'samvad'");
  const Error e = error_of([&] { db->exec("SELECT 1", "recording a delivery"); });
  CHECK(e.code() == ExitCode::temp_fail);
  CHECK_THAT(e.what(), Catch::Contains("try again") && Catch::Contains("recording a delivery"));
  CHECK_FALSE(db->in_transaction());
}

TEST_CASE("a PostgreSQL server stopped under samvad is a temporary failure (75), before and after connecting",
          "[postgres]") {
  auto server = PostgresServer::shared().another();
  PostgresTestDatabase test_db(*server);
  auto db = open_test_database(test_db);
  db->exec("CREATE TABLE t (a BIGINT)", "creating");
  auto insert = db->prepare("INSERT INTO t VALUES (?1)", "recording a delivery");
  server->stop();

  insert->bind_int(1, 1);
  const Error lost = error_of([&] { insert->step(); });
  CHECK(lost.code() == ExitCode::temp_fail);
  CHECK_THAT(lost.what(), Catch::Contains("try again") && Catch::Contains(test_db.url()));
  const Error refused = error_of([&] { open_test_database(test_db); });
  CHECK(refused.code() == ExitCode::temp_fail);
  CHECK_THAT(refused.what(), Catch::Contains("try again"));

  server->start();
  auto again = open_test_database(test_db);
  CHECK_NOTHROW(again->exec("INSERT INTO t VALUES (2)", "recording"));
}
