// A real PostgreSQL server for the tests (the Debian postgresql package's initdb and pg_ctl): a
// cluster made by initdb in a temporary folder, listening on 127.0.0.1 and a free port, with its
// Unix socket in the same folder, stopped and deleted again at the end. The socket trusts every
// user; 127.0.0.1 asks for a password (scram-sha-256), so tests exercise password logins.
//
// One server serves a whole test run: under ctest the fixture "postgres" (samvad-test-postgres,
// tests/CMakeLists.txt) starts it before the tests tagged [postgres] and stops it after them, and
// they find it through SAMVAD_TEST_POSTGRES; a samvad_tests run without it starts its own on
// first use and stops it at exit. Each test takes a fresh database (PostgresTestDatabase).
//
// PostgreSQL refuses to run as root: as root (CI) initdb and pg_ctl run as the user postgres
// (which the Debian package creates) through runuser, and the folder belongs to that user.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace samvad::test {

// The role tests connect as, owner of each test database, and its password on 127.0.0.1.
inline constexpr const char* postgres_user = "samvad";
inline constexpr const char* postgres_password = "samvad-test-password-5e3f";

class PostgresServer {
 public:
  // initdb in a new temporary folder (fsync off: a test server's data is thrown away), then
  // start. Throws std::runtime_error saying what is missing when PostgreSQL's server programs are
  // not installed, or quoting the server's log when it does not start.
  static std::unique_ptr<PostgresServer> create();
  // The server described in `state` (see save()) by another process. attach() leaves it
  // running at the end; adopt() stops and deletes it then (the fixture's stop, a leftover).
  static std::unique_ptr<PostgresServer> attach(const std::filesystem::path& state);
  static std::unique_ptr<PostgresServer> adopt(const std::filesystem::path& state);
  void save(const std::filesystem::path& state) const;
  // Leaves the server running and its folder in place after this object is gone.
  void release() { owned_ = false; }

  // The test run's server (see above). Throws like create().
  static PostgresServer& shared();

  // A second server with a folder and port of its own, from a copy of this one's initdb output
  // (faster than another initdb), for a test that stops it under a client. Not for a server
  // that another() made: that one keeps no initdb output of its own.
  std::unique_ptr<PostgresServer> another() const;

  ~PostgresServer();  // when owned: stop() and delete the folder
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void start();
  void stop();  // pg_ctl stop -m fast: open sessions are ended
  bool running() const { return running_; }

  int port() const { return port_; }
  const std::filesystem::path& folder() const { return folder_; }
  // postgresql://samvad@127.0.0.1:PORT/DATABASE, then "?" and `parameters` when given.
  std::string url(const std::string& database, const std::string& parameters = "") const;
  // The same over the Unix socket in folder().
  std::string socket_url(const std::string& database) const;

  // Runs `sql` in `database` as the superuser (over the socket): the rows of its last
  // statement, each column as text ("" for NULL). Throws std::runtime_error when it fails.
  std::vector<std::vector<std::string>> admin(const std::string& database, const std::string& sql) const;

 private:
  PostgresServer(std::filesystem::path folder, std::filesystem::path bin, std::string run_as, bool owned);
  // Runs a PostgreSQL program (as run_as_ when set) in folder(); throws unless it exits 0.
  std::string run(const std::vector<std::string>& argv, const std::string& what) const;
  void initdb();
  void copy_data_from(const std::filesystem::path& source_template);
  bool try_start();
  void create_test_role();

  std::filesystem::path folder_;  // template/ (initdb's output), data/, server.log, the socket
  std::filesystem::path bin_;     // initdb, pg_ctl
  std::string run_as_;            // the user initdb and pg_ctl run as, when root; "" otherwise
  int port_ = 0;
  bool owned_ = false;
  bool running_ = false;
};

// A fresh database for one test, owned by postgres_user; dropped at the end.
class PostgresTestDatabase {
 public:
  explicit PostgresTestDatabase(PostgresServer& server = PostgresServer::shared());
  ~PostgresTestDatabase();
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  const std::string& name() const { return name_; }
  std::string url(const std::string& parameters = "") const { return server_.url(name_, parameters); }
  PostgresServer& server() const { return server_; }

 private:
  PostgresServer& server_;
  std::string name_;
};

}  // namespace samvad::test
