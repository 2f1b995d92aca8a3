#include "support/postgres_server.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace samvad::test {

namespace fs = std::filesystem;

namespace {

// The superuser initdb makes; the tests' own role (postgres_user) is not one.
constexpr const char* admin_user = "samvad_admin";

// The newest of Debian's /usr/lib/postgresql/<major>/bin, else a folder on PATH with both programs.
fs::path find_programs() {
  auto has_both = [](const fs::path& dir) { return fs::exists(dir / "initdb") && fs::exists(dir / "pg_ctl"); };
  int best_major = -1;
  fs::path best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string version = entry.path().filename().string();
    const int major = std::atoi(version.c_str());
    if (major > best_major && has_both(entry.path() / "bin")) {
      best_major = major;
      best = entry.path() / "bin";
    }
  }
  if (!best.empty()) return best;
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  for (std::size_t begin = 0, end = 0; begin <= path.size(); begin = end + 1) {
    end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    if (const fs::path dir = path.substr(begin, end - begin); !dir.empty() && has_both(dir)) return dir;
  }
  throw std::runtime_error(
      "the [postgres] tests need PostgreSQL's server programs (initdb and pg_ctl, in /usr/lib/postgresql/*/bin or on "
      "PATH) and found none: install the Debian package postgresql (scripts/deps test installs it)");
}

// PostgreSQL refuses to run as root; then initdb and pg_ctl run as the user the package made.
std::string server_user() {
  if (::geteuid() != 0) return "";
  if (::getpwnam("postgres") == nullptr)
    throw std::runtime_error(
        "the [postgres] tests run as root, so they start PostgreSQL as the user postgres, and there is no such user: "
        "install the Debian package postgresql, which creates it");
  return "postgres";
}

fs::path runuser_program() {
  for (const char* candidate : {"/usr/sbin/runuser", "/sbin/runuser"})
    if (fs::exists(candidate)) return candidate;
  throw std::runtime_error("the [postgres] tests run as root and need runuser (util-linux) to start PostgreSQL");
}

// A new folder for one server, owned by the user the server runs as.
fs::path make_folder(const std::string& run_as) {
  std::string pattern = (fs::temp_directory_path() / "samvad-postgres-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  if (!run_as.empty()) {
    const passwd* user = ::getpwnam(run_as.c_str());
    if (user == nullptr || ::chown(pattern.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot give " + pattern + " to the user " + run_as);
  }
  return pattern;
}

// A port nothing listens on now; the server may still lose it to another process before it
// binds, which start() survives by trying again.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("no free port on 127.0.0.1");
  return ntohs(address.sin_port);
}

std::string log_tail(const fs::path& log) {
  try {
    const std::string text = read_file(log);
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  } catch (const std::exception&) {
    return "(no log)";
  }
}

}  // namespace

PostgresServer::PostgresServer(fs::path folder, fs::path bin, std::string run_as, bool owned)
    : folder_(std::move(folder)), bin_(std::move(bin)), run_as_(std::move(run_as)), owned_(owned) {}

PostgresServer::~PostgresServer() {
  if (!owned_) return;
  try {
    if (running_) stop();
  } catch (const std::exception&) {
    // A server that did not stop still goes: its folder is removed below, and postmaster ends
    // itself within a minute once its lock file is gone.
  }
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

std::unique_ptr<PostgresServer> PostgresServer::create() {
  const fs::path bin = find_programs();
  const std::string run_as = server_user();
  std::unique_ptr<PostgresServer> server(new PostgresServer(make_folder(run_as), bin, run_as, true));
  server->initdb();
  server->copy_data_from(server->folder_ / "template");
  server->start();
  return server;
}

std::unique_ptr<PostgresServer> PostgresServer::another() const {
  std::unique_ptr<PostgresServer> server(new PostgresServer(make_folder(run_as_), bin_, run_as_, true));
  server->copy_data_from(folder_ / "template");
  server->start();
  return server;
}

std::unique_ptr<PostgresServer> PostgresServer::attach(const fs::path& state) {
  std::ifstream in(state);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("folder"))
    throw std::runtime_error(
        state.string() +
        " does not describe a PostgreSQL server; ctest writes it in the test postgres_server_start "
        "(the fixture \"postgres\"), so run the [postgres] tests through ctest or without "
        "SAMVAD_TEST_POSTGRES");
  std::unique_ptr<PostgresServer> server(new PostgresServer(
      j.at("folder").get<std::string>(), j.at("bin").get<std::string>(), j.at("run_as").get<std::string>(), false));
  server->port_ = j.at("port").get<int>();
  server->running_ = fs::exists(server->folder_ / ("data/postmaster.pid"));
  return server;
}

std::unique_ptr<PostgresServer> PostgresServer::adopt(const fs::path& state) {
  auto server = attach(state);
  server->owned_ = true;
  return server;
}

void PostgresServer::save(const fs::path& state) const {
  const nlohmann::json j{{"folder", folder_.string()}, {"bin", bin_.string()}, {"run_as", run_as_}, {"port", port_}};
  std::ofstream(state) << j.dump(2) << "\n";
}

PostgresServer& PostgresServer::shared() {
  static const std::unique_ptr<PostgresServer> server = [] {
    const char* state = std::getenv("SAMVAD_TEST_POSTGRES");
    if (state == nullptr || *state == '\0') return create();
    auto attached = attach(state);
    if (!attached->running())
      throw std::runtime_error("the test run's PostgreSQL server (" + std::string(state) +
                               ") is not running; ctest starts it in the test postgres_server_start");
    return attached;
  }();
  return *server;
}

std::string PostgresServer::run(const std::vector<std::string>& argv, const std::string& what) const {
  std::vector<std::string> command;
  if (!run_as_.empty()) command = {runuser_program().string(), "-u", run_as_, "--"};
  command.insert(command.end(), argv.begin(), argv.end());
  ProcessOptions options;
  options.cwd = folder_;
  const ProcessResult result = run_process(command, options);
  if (result.exit_code != 0)
    throw std::runtime_error(what + " failed (exit status " + std::to_string(result.exit_code) + "): " + result.err +
                             result.out);
  return result.out;
}

void PostgresServer::initdb() {
  const fs::path password_file = folder_ / "password";
  std::ofstream(password_file) << postgres_password << "\n";
  if (!run_as_.empty()) {
    const passwd* user = ::getpwnam(run_as_.c_str());
    if (user == nullptr || ::chown(password_file.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot give " + password_file.string() + " to the user " + run_as_);
  }
  // -N: no fsync of the new files; the C locale: no locale data to load, UTF-8 for Devanagari.
  run({(bin_ / "initdb").string(), "-D", (folder_ / "template").string(), "-U", admin_user, "--pwfile",
       password_file.string(), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "-N",
       "--no-instructions"},
      "initdb");
  fs::remove(password_file);
  // Nothing here needs to survive a crash: no fsync, no full pages in the WAL.
  std::ofstream(folder_ / "template" / "postgresql.conf", std::ios::app)
      << "\n# samvad's tests (tests/support/postgres_server.cpp)\n"
         "listen_addresses = '127.0.0.1'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
         "shared_buffers = 16MB\n";
}

void PostgresServer::copy_data_from(const fs::path& source_template) {
  // cp -a as the server's user: the data folder must belong to it, with its modes kept.
  run({"/bin/cp", "-a", source_template.string(), (folder_ / "data").string()}, "copying the initdb output");
}

void PostgresServer::start() {
  for (int attempt = 0; attempt < 5; ++attempt) {
    // A restart keeps its port first, so the URLs clients hold still name it.
    if (attempt > 0 || port_ == 0) port_ = free_port();
    if (try_start()) {
      running_ = true;
      create_test_role();
      return;
    }
  }
  throw std::runtime_error("PostgreSQL did not start in " + folder_.string() +
                           " (five ports tried): " + log_tail(folder_ / "server.log"));
}

bool PostgresServer::try_start() {
  const std::string options = "-p " + std::to_string(port_) + " -k '" + folder_.string() + "'";
  try {
    run({(bin_ / "pg_ctl").string(), "-D", (folder_ / "data").string(), "-l", (folder_ / "server.log").string(), "-w",
         "-t", "60", "-o", options, "start"},
        "pg_ctl start");
    return true;
  } catch (const std::runtime_error& e) {
    const std::string log = log_tail(folder_ / "server.log");
    if (log.find("could not bind") != std::string::npos || log.find("in use") != std::string::npos) return false;
    throw std::runtime_error(std::string(e.what()) + "\nserver.log: " + log);
  }
}

void PostgresServer::create_test_role() {
  // A copy of the template has no such role yet; a restarted server has.
  admin("postgres", std::string("DO $$BEGIN CREATE ROLE ") + postgres_user + " LOGIN PASSWORD '" + postgres_password +
                        "'; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
}

void PostgresServer::stop() {
  run({(bin_ / "pg_ctl").string(), "-D", (folder_ / "data").string(), "-m", "fast", "-w", "stop"}, "pg_ctl stop");
  running_ = false;
}

std::string PostgresServer::url(const std::string& database, const std::string& parameters) const {
  return std::string("postgresql://") + postgres_user + "@127.0.0.1:" + std::to_string(port_) + "/" + database +
         (parameters.empty() ? "" : "?" + parameters);
}

std::string PostgresServer::socket_url(const std::string& database) const {
  return std::string("postgresql:///") + database + "?host=" + folder_.string() + "&port=" + std::to_string(port_) +
         "&user=" + postgres_user;
}

std::vector<std::vector<std::string>> PostgresServer::admin(const std::string& database, const std::string& sql) const {
  const std::string port = std::to_string(port_), host = folder_.string();
  const char* keywords[] = {"host", "port", "user", "dbname", nullptr};
  const char* values[] = {host.c_str(), port.c_str(), admin_user, database.c_str(), nullptr};
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdbParams(keywords, values, 0), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("the test server's superuser cannot connect: " + std::string(PQerrorMessage(conn.get())));
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("the test server's superuser failed to run " + sql + ": " + PQerrorMessage(conn.get()));
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    rows.emplace_back();
    for (int c = 0; c < PQnfields(result.get()); ++c) rows.back().emplace_back(PQgetvalue(result.get(), r, c));
  }
  return rows;
}

PostgresTestDatabase::PostgresTestDatabase(PostgresServer& server) : server_(server) {
  static std::atomic<int> counter{0};
  name_ = "samvad_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  // FILE_COPY: a third of the time of PostgreSQL 15's default WAL_LOG for a database this small.
  server_.admin("postgres", "CREATE DATABASE " + name_ + " OWNER " + postgres_user + " STRATEGY FILE_COPY");
}

PostgresTestDatabase::~PostgresTestDatabase() {
  try {
    if (server_.running()) server_.admin("postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server's folder goes at the end of the run, and the database with it.
  }
}

}  // namespace samvad::test
