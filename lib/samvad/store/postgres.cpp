#include <samvad/store/postgres.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include <samvad/core/error.hpp>
#include <samvad/core/secret.hpp>
#include <samvad/net/url.hpp>
#include <samvad/store/location.hpp>

namespace samvad::store {

namespace {

constexpr auto npos = std::string_view::npos;

struct ConnectionCloser {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
struct ResultClearer {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;
struct OptionsFreer {
  void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};
using Options = std::unique_ptr<PQconninfoOption, OptionsFreer>;

// ---- the connection URI ----

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16).ptr == s.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Where libpq reads a URI's parts (conninfo_uri_parse_options): user information up to the first
// '@' that comes before any '/', then the host, port and database up to the first '?'.
struct UriLayout {
  std::size_t userinfo_begin = 0;
  std::size_t userinfo_end = npos;  // the '@', npos when there is no user information
  std::size_t query_begin = npos;   // the '?'
};

UriLayout layout_of(std::string_view url) {
  UriLayout layout;
  layout.userinfo_begin = url.find("://") + 3;
  std::size_t at = layout.userinfo_begin;
  while (at < url.size() && url[at] != '@' && url[at] != '/') ++at;
  if (at < url.size() && url[at] == '@') layout.userinfo_end = at;
  layout.query_begin = url.find('?', layout.userinfo_end == npos ? layout.userinfo_begin : at + 1);
  return layout;
}

std::vector<std::string_view> query_parameters(std::string_view url, const UriLayout& layout) {
  std::vector<std::string_view> out;
  if (layout.query_begin == npos) return out;
  std::string_view rest = url.substr(layout.query_begin + 1);
  while (true) {
    const std::size_t amp = rest.find('&');
    out.push_back(rest.substr(0, amp));
    if (amp == npos) return out;
    rest.remove_prefix(amp + 1);
  }
}

bool is_password_parameter(std::string_view parameter) {
  return percent_decoded(parameter.substr(0, parameter.find('='))) == "password";
}

// Every spelling of a password the URI holds (as written and decoded), to keep out of messages.
std::vector<Secret> passwords_in(std::string_view url) {
  std::vector<Secret> out;
  if (!net::is_postgres_url(url)) return out;
  const UriLayout layout = layout_of(url);
  auto add = [&out](std::string_view raw) {
    if (raw.empty()) return;
    out.emplace_back(std::string(raw));
    out.emplace_back(percent_decoded(raw));
  };
  if (layout.userinfo_end != npos) {
    const std::string_view userinfo = url.substr(layout.userinfo_begin, layout.userinfo_end - layout.userinfo_begin);
    if (const std::size_t colon = userinfo.find(':'); colon != npos) add(userinfo.substr(colon + 1));
  }
  for (std::string_view parameter : query_parameters(url, layout)) {
    if (is_password_parameter(parameter) && parameter.find('=') != npos) add(parameter.substr(parameter.find('=') + 1));
  }
  return out;
}

// The secrets of one connection, and the removal of each from a text libpq or the server wrote.
class Redactor {
 public:
  Redactor(std::string_view url, const std::optional<std::string>& password) : secrets_(passwords_in(url)) {
    if (password && !password->empty()) secrets_.emplace_back(*password);
  }
  std::string operator()(std::string text) const {
    for (const Secret& secret : secrets_) {
      const std::string& value = secret.reveal();
      if (value.empty()) continue;
      for (std::size_t at = text.find(value); at != std::string::npos; at = text.find(value, at + 3))
        text.replace(at, value.size(), "***");
    }
    return text;
  }

 private:
  std::vector<Secret> secrets_;
};

// A libpq or server message on one line: libpq ends its messages with '\n' and indents hints
// on further lines.
std::string one_line(std::string text) {
  text = std::regex_replace(text, std::regex("\\s*\n\\s*"), " ");
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string option(const PQconninfoOption* options, std::string_view keyword) {
  for (const PQconninfoOption* o = options; o && o->keyword; ++o) {
    if (keyword == o->keyword) return o->val ? o->val : "";
  }
  return "";
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (std::size_t comma = list.find(','); comma != std::string::npos; comma = list.find(',', begin)) {
    out.push_back(list.substr(begin, comma - begin));
    begin = comma + 1;
  }
  out.push_back(list.substr(begin));
  return out;
}

// An empty host is libpq's default, the Unix socket; a path ('/' or '@' for Linux's abstract
// namespace) is a Unix socket too: traffic that never leaves the machine.
bool is_local(const std::string& host) {
  return host.empty() || host.front() == '/' || host.front() == '@' || net::is_loopback_host(host);
}

// The first server libpq would reach over the network, nullopt when all are on this machine.
// hostaddr, when given, is where libpq connects (host then only names the certificate's owner).
std::optional<std::string> first_remote_host(const std::string& hosts, const std::string& hostaddrs) {
  const std::vector<std::string> names = split_list(hosts), addresses = split_list(hostaddrs);
  for (std::size_t i = 0; i < std::max(names.size(), addresses.size()); ++i) {
    const std::string address = i < addresses.size() ? addresses[i] : "";
    const std::string endpoint = !address.empty() ? address : i < names.size() ? names[i] : "";
    if (!is_local(endpoint)) return endpoint;
  }
  return std::nullopt;
}

// Refuses, before anything is sent, a server beyond this machine whose certificate libpq would
// not verify: the password and the delivery history would go to whoever answers.
void check_transport(const PQconninfoOption* given, const std::string& name) {
  const Options defaults(PQconndefaults());  // PGHOST, PGSSLMODE, ... for what the URL leaves out
  auto setting = [&](const char* keyword) {
    std::string value = option(given, keyword);
    return value.empty() && defaults ? option(defaults.get(), keyword) : value;
  };
  const std::string sslmode = setting("sslmode");
  if (sslmode == "verify-full" || sslmode == "verify-ca") return;
  const auto remote = first_remote_host(setting("host"), setting("hostaddr"));
  if (!remote) return;
  throw Error(ExitCode::config,
              name + ": the PostgreSQL server " + *remote + " is not on this machine, and sslmode " +
                  (sslmode.empty() ? std::string("prefer (the default)") : sslmode) +
                  " does not verify its certificate; expected sslmode=verify-full in the URL (postgresql://user@" +
                  *remote +
                  "/database?sslmode=verify-full, with the server's CA in ~/.postgresql/root.crt or "
                  "sslrootcert=), so that the password and the delivery history reach only that server");
}

Options parse_uri(const std::string& url, const Redactor& redact) {
  const std::string expected =
      "expected postgresql://user@host[:port]/database?sslmode=verify-full (or postgres://), with @, : and / in "
      "the user name or password written %40, %3A and %2F";
  if (!net::is_postgres_url(url))
    throw Error(ExitCode::config, "the PostgreSQL URL does not start with postgresql://; " + expected);
  char* message = nullptr;
  Options parsed(PQconninfoParse(url.c_str(), &message));
  if (parsed) return parsed;
  std::string what = message ? one_line(message) : "out of memory";
  PQfreemem(message);
  // libpq quotes the part it could not read, which may be a piece of a password.
  what = std::regex_replace(redact(what), std::regex("\"[^\"]*\""), "\"…\"");
  throw Error(ExitCode::config,
              without_password(url) + " is not a PostgreSQL connection URI (" + what + "); " + expected);
}

// ---- errors ----

std::string field(const PGresult* result, int code) {
  const char* value = result ? PQresultErrorField(result, code) : nullptr;
  return value ? value : "";
}

ExitCode code_for_sqlstate(std::string_view state) {
  // Class 08: the connection failed or was lost; 57P01-57P03: the server is shutting down or
  // starting; 40001/40P01: a concurrent transaction won (serialization failure, deadlock);
  // 55P03: a lock was not available; 57014: a statement timeout; class 53: the server ran out of
  // connections, memory or disk for now.
  if (state.starts_with("08") || state.starts_with("53") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "40001" || state == "40P01" || state == "55P03" || state == "57014")
    return ExitCode::temp_fail;
  if (state == "28P01" || state == "28000" || state == "42501") return ExitCode::permission;
  if (state == "3D000") return ExitCode::config;
  if (state == "25006") return ExitCode::cant_create;  // a read-only transaction: a standby server
  return ExitCode::software;
}

std::string explain(ExitCode code, const std::string& name, const std::string& what, std::string_view doing) {
  const std::string where = " (" + what + ", while " + std::string(doing) + ")";
  switch (code) {
    case ExitCode::temp_fail:
      return "the PostgreSQL server " + name + " did not complete the work" + where +
             "; expected it to be reachable and free of conflicting work: try again";
    case ExitCode::permission:
      return "the PostgreSQL server " + name + " refused the user" + where +
             "; expected the user to own samvad's tables or to be granted SELECT, INSERT, UPDATE and DELETE on them";
    case ExitCode::config:
      return "the PostgreSQL server " + name + " does not have what the URL names" + where +
             "; expected the database in the URL to exist";
    case ExitCode::cant_create:
      return "the PostgreSQL server " + name + " accepts no writes" + where +
             "; expected the URL to name the primary server, not a read-only standby";
    default:
      return "internal error: " + std::string(doing) + " on the PostgreSQL server " + name + " failed: " + what;
  }
}

// Why a connection could not be made. libpq gives no SQLSTATE for a failed connection (the
// server's error arrives before there is a result to carry it), so the server's and the
// resolver's messages are recognised by their English text, which is what a server sends unless
// its lc_messages says otherwise; anything unrecognised is taken for a temporary failure.
enum class ConnectFailure { no_password, refused, no_database, unverified, unknown_host, unreachable };

struct ConnectPhrase {
  const char* phrase;
  ConnectFailure failure;
};
constexpr ConnectPhrase connect_phrases[] = {
    {"password authentication failed", ConnectFailure::refused},  // 28P01
    {"authentication failed for user", ConnectFailure::refused},  // 28000: ident, peer, LDAP, cert, ...
    {"no pg_hba.conf entry", ConnectFailure::refused},            // 28000
    {"pg_hba.conf rejects", ConnectFailure::refused},             // 28000
    {"role \"", ConnectFailure::refused},                         // 28000: role "x" does not exist
    {"permission denied for database", ConnectFailure::refused},  // 42501: no CONNECT privilege
    {"database \"", ConnectFailure::no_database},                 // 3D000: database "x" does not exist
    {"certificate", ConnectFailure::unverified},                  // libpq's checks for verify-full
    {"server does not support SSL", ConnectFailure::unverified},
    {"Name or service not known", ConnectFailure::unknown_host},  // getaddrinfo's EAI_NONAME (not EAI_AGAIN)
};

ConnectFailure connect_failure(PGconn* conn, const std::string& what) {
  if (PQconnectionNeedsPassword(conn)) return ConnectFailure::no_password;
  for (const ConnectPhrase& p : connect_phrases) {
    if (what.find(p.phrase) != std::string::npos) return p.failure;
  }
  return ConnectFailure::unreachable;
}

[[noreturn]] void throw_connect_error(PGconn* conn, const std::string& name, const Redactor& redact) {
  const std::string what = redact(one_line(PQerrorMessage(conn)));
  const std::string user = PQuser(conn) ? PQuser(conn) : "", host = PQhost(conn) ? PQhost(conn) : "";
  const std::string where = " (" + what + ", while connecting to " + name + ")";
  const std::string sources = "credentials.yaml, ~/.pgpass (or the file PGPASSFILE names) or PGPASSWORD";
  switch (connect_failure(conn, what)) {
    case ConnectFailure::no_password:
      throw Error(ExitCode::permission, "no password for the PostgreSQL user \"" + user + "\" at " + host + where +
                                            "; expected one in " + sources);
    case ConnectFailure::refused:
      throw Error(ExitCode::permission, "the PostgreSQL server " + host + " refused the user \"" + user + "\"" + where +
                                            "; expected the user's password in " + sources +
                                            ", a pg_hba.conf entry that lets the user in and the CONNECT "
                                            "privilege on the database");
    case ConnectFailure::no_database:
      throw Error(ExitCode::config, "the database \"" + std::string(PQdb(conn) ? PQdb(conn) : "") +
                                        "\" does not exist at " + host + where +
                                        "; expected the database the URL names: create it (createdb -O " + user +
                                        " DATABASE) or correct the URL");
    case ConnectFailure::unverified:
      throw Error(ExitCode::config, "cannot verify the PostgreSQL server " + host + where +
                                        "; expected TLS with a certificate for that host from the CA in "
                                        "~/.postgresql/root.crt or sslrootcert=");
    case ConnectFailure::unknown_host:
      throw Error(ExitCode::config, "the PostgreSQL server " + host + " has no address" + where +
                                        "; expected a host name the resolver knows: correct the URL");
    case ConnectFailure::unreachable:
      break;
  }
  throw Error(ExitCode::temp_fail, "cannot connect to the PostgreSQL server " + name + " (" + what +
                                       "); expected it to be running and reachable: try again");
}

// ---- the database ----

class PostgresDatabase;

class PostgresQuery final : public Query {
 public:
  PostgresQuery(PostgresDatabase& db, std::string statement, int parameters, std::string doing)
      : db_(db),
        statement_(std::move(statement)),
        values_(static_cast<std::size_t>(parameters)),
        doing_(std::move(doing)) {}

  void bind_text(int index, std::string_view text) override;
  void bind_int(int index, long long value) override { slot(index) = std::to_string(value); }
  void bind_null(int index) override { slot(index).reset(); }
  bool step() override;
  long long changes() const override;
  void reset() override {
    result_.reset();
    row_ = -1;
    std::fill(values_.begin(), values_.end(), std::nullopt);
  }
  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, checked(column)) == 1; }
  long long column_int(int column) const override;
  std::string column_text(int column) const override {
    const int c = checked(column);
    return std::string(PQgetvalue(result_.get(), row_, c),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, c)));
  }

 private:
  std::optional<std::string>& slot(int index);
  int checked(int column) const;
  [[noreturn]] void misuse(const std::string& what) const;

  PostgresDatabase& db_;
  std::string statement_;
  std::vector<std::optional<std::string>> values_;
  std::string doing_;
  Result result_;
  int row_ = -1;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(Connection conn, std::string name, Redactor redact)
      : conn_(std::move(conn)), name_(std::move(name)), redact_(std::move(redact)) {}

  Backend backend() const override { return Backend::postgresql; }
  const std::string& name() const override { return name_; }
  std::unique_ptr<Query> prepare(std::string_view sql, std::string_view doing) override;
  void exec(std::string_view sql, std::string_view doing) override { run(std::string(sql), doing); }
  // Write transactions run one at a time on the server, as BEGIN IMMEDIATE makes them on the
  // SQLite file: the store's read-then-write steps (is this post another delivery's? is this
  // delivery still replaceable?) then hold across machines without a lock of their own each.
  // They are short; claims, which last while a delivery is sent, are row locks (ServerClaims).
  void begin_write() override {
    run("BEGIN", "starting a write");
    run("SELECT pg_advisory_xact_lock(" + std::to_string(kAdvisoryLockSpace) + ", " + std::to_string(kWriteLock) + ")",
        "waiting for another samvad's write");
  }
  void commit() override;
  void rollback() noexcept override { PQclear(PQexec(conn_.get(), "ROLLBACK")); }
  bool in_transaction() const override {
    const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
  }

  PGconn* connection() const { return conn_.get(); }
  // Throws the Error for a failed call; `result` may be null (libpq had none to give).
  [[noreturn]] void fail(const PGresult* result, std::string_view doing) const;
  // Returns the result when it is a success, else throws.
  Result checked(PGresult* result, std::string_view doing) const;

 private:
  Result run(const std::string& sql, std::string_view doing) {
    return checked(PQexec(conn_.get(), sql.c_str()), doing);
  }

  Connection conn_;
  std::string name_;
  Redactor redact_;
  // Each distinct statement is prepared once per connection and kept (prepared statements do not
  // end with a transaction): the store's statements are a fixed set, and a prepare per use
  // would cost a round trip and leave the server holding ever more of them.
  struct Prepared {
    std::string statement;
    int parameters = 0;
  };
  std::unordered_map<std::string, Prepared> prepared_;
};

void PostgresDatabase::fail(const PGresult* result, std::string_view doing) const {
  const std::string state = field(result, PG_DIAG_SQLSTATE);
  std::string what = field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (what.empty()) what = PQerrorMessage(conn_.get());
  what = redact_(one_line(what));
  if (state.empty() && PQstatus(conn_.get()) == CONNECTION_BAD)
    throw Error(ExitCode::temp_fail, "lost the connection to the PostgreSQL server " + name_ + " (" + what +
                                         ", while " + std::string(doing) +
                                         "); expected the server to stay reachable: try again");
  if (!state.empty()) what += ", SQLSTATE " + state;
  throw Error(code_for_sqlstate(state), explain(code_for_sqlstate(state), name_, what, doing));
}

Result PostgresDatabase::checked(PGresult* raw, std::string_view doing) const {
  Result result(raw);
  const ExecStatusType status = PQresultStatus(result.get());
  if (result && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)) return result;
  fail(result.get(), doing);
}

std::unique_ptr<Query> PostgresDatabase::prepare(std::string_view sql, std::string_view doing) {
  std::string key(sql);
  auto found = prepared_.find(key);
  if (found == prepared_.end()) {
    const PostgresSql rewritten = postgres_parameters(sql);
    Prepared p{"samvad_" + std::to_string(prepared_.size() + 1), rewritten.parameters};
    checked(PQprepare(conn_.get(), p.statement.c_str(), rewritten.text.c_str(), rewritten.parameters, nullptr), doing);
    found = prepared_.emplace(std::move(key), std::move(p)).first;
  }
  return std::make_unique<PostgresQuery>(*this, found->second.statement, found->second.parameters, std::string(doing));
}

void PostgresDatabase::commit() {
  // COMMIT of a transaction that an error aborted answers "ROLLBACK" and no error: the writes
  // before the error are gone, which a caller that went on must hear about.
  const bool aborted = PQtransactionStatus(conn_.get()) == PQTRANS_INERROR;
  const Result result = run("COMMIT", "saving a change");
  if (aborted || std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
    throw Error(ExitCode::software, "internal error: saving a change on the PostgreSQL server " + name_ +
                                        " failed: an earlier statement of the transaction failed, so it was "
                                        "rolled back instead of committed");
}

std::optional<std::string>& PostgresQuery::slot(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size())
    misuse("binds parameter ?" + std::to_string(index) + " of " + std::to_string(values_.size()));
  result_.reset();  // SQLite, too, takes new values only before the statement runs again
  row_ = -1;
  return values_[static_cast<std::size_t>(index - 1)];
}

void PostgresQuery::bind_text(int index, std::string_view text) {
  // Text parameters go as C strings: a NUL would cut the value short without a word.
  if (text.find('\0') != npos) misuse("binds text with a NUL byte to ?" + std::to_string(index));
  slot(index) = std::string(text);
}

bool PostgresQuery::step() {
  if (!result_) {
    std::vector<const char*> values;
    for (const auto& v : values_) values.push_back(v ? v->c_str() : nullptr);
    result_ = db_.checked(PQexecPrepared(db_.connection(), statement_.c_str(), static_cast<int>(values.size()),
                                         values.data(), nullptr, nullptr, 0),
                          doing_);
  }
  if (row_ + 1 >= PQntuples(result_.get())) {
    row_ = PQntuples(result_.get());
    return false;
  }
  ++row_;
  return true;
}

long long PostgresQuery::changes() const {
  const char* count = result_ ? PQcmdTuples(result_.get()) : "";
  long long value = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}

long long PostgresQuery::column_int(int column) const {
  const int c = checked(column);
  const std::string text = column_text(c);
  constexpr Oid boolean = 16;  // pg_type.oid of boolean, which PostgreSQL writes as t and f
  if (PQftype(result_.get(), c) == boolean) return text == "t" ? 1 : 0;
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    misuse("reads column " + std::to_string(column) + " (\"" + text.substr(0, 40) + "\") as an integer");
  return value;
}

int PostgresQuery::checked(int column) const {
  if (!result_ || row_ < 0 || row_ >= PQntuples(result_.get())) misuse("reads a column without a row");
  if (column < 0 || column >= PQnfields(result_.get()))
    misuse("reads column " + std::to_string(column) + " of " + std::to_string(PQnfields(result_.get())));
  return column;
}

void PostgresQuery::misuse(const std::string& what) const {
  throw Error(ExitCode::software,
              "internal error: " + doing_ + " on the PostgreSQL server " + db_.name() + ": the store " + what);
}

void ignore_notice(void*, const PGresult*) {}

}  // namespace

// ---- the SQL ----

namespace {

[[noreturn]] void bad_sql(std::string_view sql, std::string_view what) {
  throw Error(ExitCode::software, "internal error: samvad's SQL " + std::string(what) + ": " +
                                      std::string(sql.substr(0, 120)) + (sql.size() > 120 ? "…" : ""));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Just past the literal or identifier that sql[start] opens ('...' or "..."), where a doubled
// quote stays inside; an E'...' string also escapes with backslashes.
std::size_t end_of_quoted(std::string_view sql, std::size_t start) {
  const char quote = sql[start];
  const bool backslashes = quote == '\'' && start > 0 && (sql[start - 1] == 'E' || sql[start - 1] == 'e') &&
                           (start < 2 || !is_identifier_char(sql[start - 2]));
  for (std::size_t i = start + 1; i < sql.size(); ++i) {
    if (backslashes && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  bad_sql(sql, "has an unterminated quote");
}

// Just past the comment that sql[start] opens (-- to the end of the line, or /* */, which nest).
std::size_t end_of_comment(std::string_view sql, std::size_t start) {
  if (sql[start] == '-') {
    const std::size_t newline = sql.find('\n', start);
    return newline == npos ? sql.size() : newline + 1;
  }
  int depth = 0;
  for (std::size_t i = start; i + 1 < sql.size(); ++i) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      ++i;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      ++i;
      if (--depth == 0) return i + 1;
    }
  }
  bad_sql(sql, "has an unterminated comment");
}

// Just past the $tag$...$tag$ string that sql[start] opens, npos when the '$' opens none.
std::size_t end_of_dollar_quoted(std::string_view sql, std::size_t start) {
  if (start > 0 && is_identifier_char(sql[start - 1])) return npos;  // inside a name such as a$b
  std::size_t i = start + 1;
  if (i < sql.size() && is_digit(sql[i])) bad_sql(sql, "has a $N parameter; it numbers its parameters ?N");
  while (i < sql.size() && sql[i] != '$' && is_identifier_char(sql[i])) ++i;
  if (i >= sql.size() || sql[i] != '$') return npos;
  const std::string_view tag = sql.substr(start, i - start + 1);
  const std::size_t close = sql.find(tag, i + 1);
  if (close == npos) bad_sql(sql, "has an unterminated dollar-quoted string");
  return close + tag.size();
}

// Writes the parameter ?N at sql[start] as $N; returns the index past it.
std::size_t append_parameter(std::string_view sql, std::size_t start, PostgresSql& out) {
  std::size_t end = start + 1;
  while (end < sql.size() && is_digit(sql[end])) ++end;
  int number = 0;
  const auto [stop, error] = std::from_chars(sql.data() + start + 1, sql.data() + end, number);
  // 65535: the most parameters the protocol can carry (a 16-bit count).
  if (end == start + 1 || error != std::errc() || stop != sql.data() + end || number < 1 || number > 65535)
    bad_sql(sql, "has a parameter that is not ?1 to ?65535 (SQLite's bare ? is not used)");
  out.text += '$';
  out.text.append(sql.substr(start + 1, end - start - 1));
  out.parameters = std::max(out.parameters, number);
  return end;
}

}  // namespace

PostgresSql postgres_parameters(std::string_view sql) {
  PostgresSql out;
  out.text.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    std::size_t skip = npos;
    if (c == '\'' || c == '"') {
      skip = end_of_quoted(sql, i);
    } else if ((c == '-' && next == '-') || (c == '/' && next == '*')) {
      skip = end_of_comment(sql, i);
    } else if (c == '$') {
      skip = end_of_dollar_quoted(sql, i);
    } else if (c == '?') {
      i = append_parameter(sql, i, out);
      continue;
    }
    if (skip == npos) skip = i + 1;
    out.text.append(sql.substr(i, skip - i));
    i = skip;
  }
  return out;
}

std::string without_password(std::string_view url) {
  if (!net::is_postgres_url(url)) return "";
  const UriLayout layout = layout_of(url);
  std::string out(url.substr(0, layout.userinfo_begin));
  std::size_t host = layout.userinfo_begin;
  if (layout.userinfo_end != npos) {
    const std::string_view userinfo = url.substr(layout.userinfo_begin, layout.userinfo_end - layout.userinfo_begin);
    out.append(userinfo.substr(0, userinfo.find(':')));
    out += '@';
    host = layout.userinfo_end + 1;
  }
  out.append(url.substr(host, layout.query_begin == npos ? npos : layout.query_begin - host));
  std::string query;
  for (std::string_view parameter : query_parameters(url, layout)) {
    if (is_password_parameter(parameter)) continue;
    query += query.empty() ? '?' : '&';
    query.append(parameter);
  }
  return out + query;
}

std::unique_ptr<Database> open_postgres(const std::string& url, const std::optional<std::string>& password) {
  const Redactor redact(url, password);
  const Options parsed = parse_uri(url, redact);
  const std::string name = without_password(url);
  check_transport(parsed.get(), name);

  // Keywords before dbname are defaults the URL may override, those after it win (libpq reads
  // them in order, expanding the URL where dbname stands).
  std::vector<const char*> keywords{"connect_timeout", "fallback_application_name", "dbname"};
  std::vector<const char*> values{"10", "samvad", url.c_str()};
  keywords.push_back("client_encoding");  // samvad's strings are UTF-8, whatever the server's default
  values.push_back("UTF8");
  if (password) {
    keywords.push_back("password");
    values.push_back(password->c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  Connection conn(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (!conn) throw Error(ExitCode::temp_fail, "cannot connect to the PostgreSQL server " + name + ": out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) throw_connect_error(conn.get(), name, redact);
  // libpq prints the server's notices ("relation ... already exists, skipping") on stderr.
  PQsetNoticeReceiver(conn.get(), ignore_notice, nullptr);
  auto db = std::make_unique<PostgresDatabase>(std::move(conn), name, redact);
  // As the SQLite file's busy timeout: a write waits for another samvad's (each is one short
  // transaction) for 5 s at most, then the run stops with 75 rather than hang behind a stuck one.
  // A machine that loses power never closes its connections: the server learns of it from TCP
  // keepalives only, after two hours by the kernel's default, and the dead machine's claims are
  // held until then. So the server probes this session after 60 s of silence and drops it after
  // 3 unanswered probes 10 s apart: its claims are free in about 90 s. (A Unix socket has none.)
  db->exec(
      "SET lock_timeout = 5000; SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; "
      "SET tcp_keepalives_count = 3",
      "setting up the connection");
  return db;
}

}  // namespace samvad::store
