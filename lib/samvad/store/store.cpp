#include <samvad/store/store.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <samvad/store/approvals.hpp>
#include <samvad/store/migrations.hpp>
#include <samvad/store/postgres.hpp>
#include <samvad/store/postgres_schema.hpp>
#include <samvad/store/server_claims.hpp>
#include <samvad/store/sqlite_database.hpp>
#include <samvad/store/statement.hpp>
#include <samvad/store/status.hpp>

namespace samvad::store {

namespace {

// Long enough to wait out another samvad's write (each is one short transaction), short
// enough that a stuck process is reported rather than waited on forever.
constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void cannot_create(const std::filesystem::path& path, const std::string& why) {
  throw Error(ExitCode::cant_create, "cannot create the state file " + path.string() + ": " + why +
                                         "; expected a writable folder (choose another place with --state or "
                                         "$SAMVAD_STATE)");
}

// The folders holding the state are created private (0700): the history names every
// announcement sent. Folders that already exist are left as they are.
void make_parent_folders(const std::filesystem::path& file) {
  const std::filesystem::path parent = file.parent_path();
  std::filesystem::path sofar;
  for (const auto& part : parent) {
    sofar /= part;
    struct stat st {};
    if (::stat(sofar.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) cannot_create(file, sofar.string() + " is not a folder");
      continue;
    }
    if (errno != ENOENT) cannot_create(file, "cannot look at " + sofar.string() + ": " + std::strerror(errno));
    if (::mkdir(sofar.c_str(), 0700) != 0 && errno != EEXIST) {
      cannot_create(file, "cannot create the folder " + sofar.string() + ": " + std::strerror(errno));
    }
  }
}

// Created here rather than by SQLite so the file (and, since SQLite copies its mode, the -wal
// and -shm files) is private from the first byte. O_EXCL: an existing file is never touched.
void create_if_missing(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) cannot_create(path, "it is a folder");
    return;
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // another samvad created it just now
    cannot_create(path, std::strerror(errno));
  }
  ::close(fd);
}

std::string single_text(Database& db, const char* sql, std::string_view doing) {
  Statement s(db, sql, doing);
  return s.step() ? s.column_text(0) : std::string();
}

// Switching a new file to WAL needs it to itself, and SQLite answers SQLITE_BUSY at once,
// without the busy handler, while another connection has it open: another samvad creating
// the same new file at this moment. Wait for that here, as the busy timeout would. (A file
// already in WAL mode switches instantly.)
std::string switch_to_wal(Database& db) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    try {
      return single_text(db, "PRAGMA journal_mode = WAL", "switching to WAL mode");
    } catch (const Error& e) {
      if (e.code() != ExitCode::temp_fail || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

[[noreturn]] void damaged(const std::filesystem::path& path, const std::string& what) {
  throw Error(ExitCode::config, path.string() + " is damaged: " + what +
                                    "; expected a state file written by samvad. Move it aside to start a new "
                                    "history, or restore it from a backup");
}

DeliveryStatus delivery_status(const std::string& text, const std::filesystem::path& path) {
  if (auto s = parse_delivery_status(text)) return *s;
  damaged(path, "unknown delivery status '" + text + "'");
}

PartStatus part_status(const std::string& text, const std::filesystem::path& path) {
  if (auto s = parse_part_status(text)) return *s;
  damaged(path, "unknown part status '" + text + "'");
}

RecipientStatus recipient_status(const std::string& text, const std::filesystem::path& path) {
  if (auto s = parse_recipient_status(text)) return *s;
  damaged(path, "unknown recipient status '" + text + "'");
}

[[noreturn]] void no_delivery(const std::filesystem::path& path, long long id) {
  throw Error(ExitCode::software, "internal error: no delivery " + std::to_string(id) + " in " + path.string());
}

constexpr const char* kDeliveryColumns =
    "SELECT id, announcement_id, department, channel, language, status, attempts, last_error, created_at, "
    "updated_at, claim_pid, claim_start_id, content, retry_at FROM deliveries ";

Delivery delivery_from(const Statement& s, const std::filesystem::path& path) {
  Delivery d;
  d.id = s.column_int(0);
  d.announcement_id = s.column_text(1);
  d.department = s.column_text(2);
  d.channel = s.column_text(3);
  d.language = s.column_text(4);
  d.status = delivery_status(s.column_text(5), path);
  d.attempts = static_cast<int>(s.column_int(6));
  d.last_error = s.column_text(7);
  d.created_at = s.column_time(8);
  d.updated_at = s.column_time(9);
  if (!s.is_null(10)) d.holder = Holder{s.column_int(10), s.column_text(11)};
  d.content = s.column_text(12);
  if (!s.is_null(13)) d.retry_at = s.column_time(13);
  return d;
}

constexpr const char* kPartColumns =
    "SELECT delivery_id, idx, payload, status, remote_id, attempts, last_error, updated_at FROM parts ";

constexpr const char* kBatchColumns = "SELECT delivery_id, batch, addresses, answered FROM recipient_batches ";
// A recipient's own row, last its place in recording order (a page's key ends with it).
constexpr const char* kRecipientColumns = "SELECT delivery_id, batch, address, status, reply, rowid FROM recipients ";

Recipient recipient_from(const Statement& s, const std::filesystem::path& path) {
  return Recipient{static_cast<int>(s.column_int(1)), s.column_text(2), recipient_status(s.column_text(3), path),
                   s.column_text(4)};
}

struct PackedBatch {
  std::string addresses;  // one per line, in planned order
  bool answered = false;  // a transaction of the batch was answered
};

// One batch's recipients in planned order with their outcome. Since schema 11 a batch's
// addresses are packed in one row and `rows` hold only the recipients with an outcome of their
// own (refused, put off, left pending by a partial answer, or delivered after one of those); the
// others are pending until a transaction of the batch is answered and delivered after it. A
// delivery recorded by an older samvad has no packed row: its rows are its recipients.
std::vector<Recipient> merge_batch(int batch, const std::optional<PackedBatch>& packed, std::vector<Recipient> rows) {
  if (!packed) return rows;
  std::vector<Recipient> out;
  const RecipientStatus rest = packed->answered ? RecipientStatus::delivered : RecipientStatus::pending;
  std::string_view text = packed->addresses;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view address = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    auto own = std::find_if(rows.begin(), rows.end(), [&](const Recipient& r) { return r.address == address; });
    out.push_back(own != rows.end() ? std::move(*own) : Recipient{batch, std::string(address), rest, ""});
  }
  return out;
}

// Walks the packed batches and the recipient rows of deliveries in id order (both read in pages
// ordered by delivery id, then batch), one batch at a time: a list of any length is never held
// whole, by samvad or by the database client.
class BatchCursor {
 public:
  // The batches and rows of the deliveries that `where` selects ("WHERE delivery_id = ?1", ...),
  // its parameters bound by `bind`.
  BatchCursor(Database& db, const std::string& where, int parameters, const std::function<void(Statement&)>& bind)
      : packed_(db, Paging{std::string(kBatchColumns) + where, parameters, bind, {"delivery_id", "batch"}, {0, 1}, 64}),
        rows_(db, Paging{std::string(kRecipientColumns) + where,
                         parameters,
                         bind,
                         {"delivery_id", "batch", "rowid"},
                         {0, 1, 5},
                         256}),
        path_(db.name()),
        packed_more_(packed_.step()),
        rows_more_(rows_.step()) {}

  // The next batch of delivery `id` (passing over what belongs to deliveries before it); nullopt
  // when it has no more.
  std::optional<std::vector<Recipient>> next(long long id) {
    while (packed_more_ && packed().column_int(0) < id) packed_more_ = packed_.step();
    while (rows_more_ && rows().column_int(0) < id) rows_more_ = rows_.step();
    const bool has_packed = packed_more_ && packed().column_int(0) == id;
    const bool has_rows = rows_more_ && rows().column_int(0) == id;
    if (!has_packed && !has_rows) return std::nullopt;
    const long long batch = std::min(has_packed ? packed().column_int(1) : std::numeric_limits<long long>::max(),
                                     has_rows ? rows().column_int(1) : std::numeric_limits<long long>::max());
    std::optional<PackedBatch> this_batch;
    if (has_packed && packed().column_int(1) == batch) {
      this_batch = PackedBatch{packed().column_text(2), packed().column_int(3) != 0};
      packed_more_ = packed_.step();
    }
    std::vector<Recipient> own;
    for (; rows_more_ && rows().column_int(0) == id && rows().column_int(1) == batch; rows_more_ = rows_.step())
      own.push_back(recipient_from(rows(), path_));
    return merge_batch(static_cast<int>(batch), this_batch, std::move(own));
  }

 private:
  const Statement& packed() const { return packed_.row(); }
  const Statement& rows() const { return rows_.row(); }

  PagedStatement packed_;
  PagedStatement rows_;
  std::filesystem::path path_;
  bool packed_more_;
  bool rows_more_;
};

void tally(RecipientTally& t, std::vector<Recipient>&& batch) {
  for (Recipient& r : batch) {
    ++t.total;
    t.digest += address_digest(r.address);
    if (r.status == RecipientStatus::delivered)
      ++t.delivered;
    else if (r.status == RecipientStatus::rejected)
      t.rejected.push_back(std::move(r));
    else if (r.status == RecipientStatus::deferred)
      t.deferred.push_back(std::move(r));
  }
}

Part part_from(const Statement& s, const std::filesystem::path& path) {
  Part p;
  p.index = static_cast<int>(s.column_int(1));
  p.payload = s.column_text(2);
  p.status = part_status(s.column_text(3), path);
  p.remote_id = s.column_text(4);
  p.attempts = static_cast<int>(s.column_int(5));
  p.last_error = s.column_text(6);
  p.updated_at = s.column_time(7);
  return p;
}

// Reads deliveries (ordered by id) and their parts (ordered by delivery id, index) and tallies
// their recipients batch by batch, from a fixed number of queries however many there are.
std::vector<Delivery> read_deliveries(Statement& deliveries, Statement& parts, BatchCursor& recipients,
                                      const std::filesystem::path& path) {
  std::vector<Delivery> out;
  while (deliveries.step()) out.push_back(delivery_from(deliveries, path));
  std::size_t at = 0;
  while (parts.step()) {
    const long long owner = parts.column_int(0);
    while (at < out.size() && out[at].id < owner) ++at;
    if (at == out.size()) break;
    if (out[at].id != owner) continue;
    out[at].parts.push_back(part_from(parts, path));
  }
  for (Delivery& d : out)
    while (auto batch = recipients.next(d.id)) tally(d.recipients, std::move(*batch));
  return out;
}

std::vector<Delivery> read_deliveries_of(Database& db, const std::string& announcement_id) {
  const std::filesystem::path path = db.name();
  const std::string of_announcement = "WHERE delivery_id IN (SELECT id FROM deliveries WHERE announcement_id = ?1) ";
  Statement deliveries(db, std::string(kDeliveryColumns) + "WHERE announcement_id = ?1 ORDER BY id");
  deliveries.bind(1, announcement_id);
  Statement parts(db, std::string(kPartColumns) + of_announcement + "ORDER BY delivery_id, idx");
  parts.bind(1, announcement_id);
  BatchCursor recipients(db, of_announcement, 1, [&](Statement& s) { s.bind(1, announcement_id); });
  return read_deliveries(deliveries, parts, recipients, path);
}

// A batch's addresses as one text, one per line (a valid address holds no line break).
std::string pack(const std::vector<std::string>& addresses, const std::filesystem::path& path) {
  std::string out;
  for (const std::string& a : addresses) {
    if (a.empty() || a.find('\n') != std::string::npos)
      throw Error(ExitCode::software, "internal error: cannot record the recipient '" + a + "' in " + path.string());
    if (!out.empty()) out += '\n';
    out += a;
  }
  return out;
}

// Writes a new delivery's parts and its recipients, packed one row per part: a list of 200,000
// takes about as many bytes as its addresses and is read from its source part by part.
class PartWriter {
 public:
  explicit PartWriter(Database& db)
      : part_(db, "INSERT INTO parts (delivery_id, idx, payload, updated_at) VALUES (?1, ?2, ?3, ?4)"),
        batch_(db, "INSERT INTO recipient_batches (delivery_id, batch, addresses) VALUES (?1, ?2, ?3)"),
        path_(db.name()) {}

  void write(long long id, const PlannedDelivery& p, Clock::time_point now) {
    for (std::size_t i = 0; i < p.part_payloads.size(); ++i) {
      part_.reset();
      part_.bind(1, id).bind(2, static_cast<long long>(i)).bind(3, p.part_payloads[i]).bind(4, now).run();
    }
    if (!p.recipients.read) return;
    p.recipients.read([&](int index, std::vector<std::string>&& addresses) {
      if (addresses.empty()) return;
      batch_.reset();
      batch_.bind(1, id).bind(2, index).bind(3, pack(addresses, path_)).run();
    });
  }

 private:
  Statement part_;
  Statement batch_;
  std::filesystem::path path_;
};

// The statements of recording, prepared once however many announcements are recorded.
class Recorder {
 public:
  explicit Recorder(Database& db)
      : announcement_(
            db,
            "INSERT INTO announcements (id, template, request_json, created_at, operator) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (id) DO NOTHING"),
        delivery_(db,
                  "INSERT INTO deliveries (announcement_id, department, channel, language, created_at, updated_at, "
                  "content) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6) "
                  "ON CONFLICT (announcement_id, department, channel, language) DO NOTHING RETURNING id"),
        parts_(db) {}

  void record(const Announcement& a, const std::vector<PlannedDelivery>& plan, Clock::time_point now) {
    // An existing announcement keeps what it was first recorded with (its request, its time).
    announcement_.reset();
    announcement_.bind(1, a.id).bind(2, a.template_name).bind(3, a.request_json).bind(4, a.created_at);
    announcement_.bind(5, a.operator_name).run();
    for (const PlannedDelivery& p : plan) {
      delivery_.reset();
      delivery_.bind(1, a.id).bind(2, p.department).bind(3, p.channel).bind(4, p.language).bind(5, now);
      delivery_.bind(6, p.content);
      // Nothing inserted: this delivery was planned before and keeps its recorded parts.
      if (!delivery_.step()) continue;
      const long long id = delivery_.column_int(0);
      delivery_.reset();
      parts_.write(id, p, now);
    }
  }

 private:
  Statement announcement_;
  Statement delivery_;
  PartWriter parts_;
};

}  // namespace

std::filesystem::path Store::default_path(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v && *v) return std::string(v);
    return std::nullopt;
  };
  if (auto v = env("SAMVAD_STATE")) return *v;
  if (auto v = env("XDG_STATE_HOME")) return std::filesystem::path(*v) / "samvad" / "state.db";
  if (auto v = env("HOME")) return std::filesystem::path(*v) / ".local" / "state" / "samvad" / "state.db";
  throw Error(ExitCode::cant_create,
              "cannot choose a place for the state file: neither $SAMVAD_STATE, $XDG_STATE_HOME nor $HOME is set; "
              "expected --state <file> or one of those variables");
}

std::uint64_t address_digest(std::string_view address) {
  // splitmix64's finalizer over libstdc++'s string hash: sums of these stay well spread.
  std::uint64_t z = std::hash<std::string_view>{}(address) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

PlannedRecipients fixed_recipients(std::vector<std::vector<std::string>> parts) {
  PlannedRecipients out;
  for (const auto& part : parts)
    for (const auto& a : part) {
      ++out.count;
      out.digest += address_digest(a);
    }
  auto held = std::make_shared<const std::vector<std::vector<std::string>>>(std::move(parts));
  out.read = [held](const std::function<void(int, std::vector<std::string>&&)>& each) {
    for (std::size_t i = 0; i < held->size(); ++i) each(static_cast<int>(i), std::vector<std::string>((*held)[i]));
  };
  return out;
}

PlannedRecipients recorded_recipients(const Location& location, const Delivery& delivery) {
  PlannedRecipients out;
  out.count = static_cast<std::size_t>(delivery.recipients.total);
  out.digest = delivery.recipients.digest;
  const std::size_t parts = delivery.parts.size();
  out.read = [location, id = delivery.id, parts](const std::function<void(int, std::vector<std::string>&&)>& each) {
    const Store st = Store::open(location);
    for (std::size_t i = 0; i < parts; ++i) {
      std::vector<std::string> addresses;
      for (Recipient& r : st.recipients_of(id, static_cast<int>(i))) addresses.push_back(std::move(r.address));
      if (!addresses.empty()) each(static_cast<int>(i), std::move(addresses));
    }
  };
  return out;
}

int Store::known_schema_version() { return latest_schema_version(); }

namespace {

std::unique_ptr<Database> open_file(const std::filesystem::path& path) {
  if (path.empty()) cannot_create(path, "the path is empty");
  // Absolute, so a name starting with "file:" is never read as an SQLite URI, and the
  // connection does not depend on the working directory.
  const std::filesystem::path file = std::filesystem::absolute(path);
  make_parent_folders(file);
  create_if_missing(file);

  auto db = open_sqlite(file, kBusyTimeoutMs);

  // SQLite quietly opens a write-protected file read-only; samvad must record every delivery
  // before sending it, so it stops here rather than at the first status change.
  if (sqlite3_db_readonly(sqlite_handle(*db), "main") == 1) {
    throw Error(ExitCode::cant_create, path.string() +
                                           " is read-only; expected samvad to be able to write its state there: "
                                           "fix the permissions of the file and its folder, or choose another --state");
  }

  // Identify the file before anything writes to it: a foreign or newer file is left untouched.
  check_identity(read_identity(*db), path);

  // WAL: readers (status, history) never block the process that is sending. FULL: the WAL is
  // synced at every commit, so an in-flight mark is on disk before the request it precedes
  // (NORMAL could lose the last commits on power loss and a rerun would post again).
  if (switch_to_wal(*db) != "wal") {
    throw Error(ExitCode::cant_create, path.string() +
                                           " cannot be used in WAL mode (is it on a network file system?); expected "
                                           "a local file system: choose another --state");
  }
  db->exec("PRAGMA synchronous = FULL", "setting up");
  db->exec("PRAGMA foreign_keys = ON", "setting up");
  // 512 KiB of page cache per connection instead of SQLite's 2 MB: every write commits at once
  // and reads are index lookups or one pass, so a bigger cache buys nothing, while reading a
  // list of 200,000 (9 MB of batches) would fill it, in each thread that reads it.
  db->exec("PRAGMA cache_size = -512", "setting up");

  // Taking the write lock checks write access now (a folder where -wal cannot be created, a
  // read-only file system) and serialises migrations between processes opening a new file.
  WriteGuard write(process_write_lock());
  Transaction tx(*db);
  migrate(*db);
  tx.commit();
  return db;
}

}  // namespace

Store Store::open(const Location& location) {
  if (!location.is_server()) return Store(open_file(location.file()), location.file());
  const auto password =
      location.password ? std::optional<std::string>(location.password->reveal()) : std::optional<std::string>();
  auto db = open_postgres(location.text, password);
  prepare_postgres_schema(*db);
  Store store(std::move(db), location.shown());
  store.claims_ = std::make_unique<ServerClaims>(location.text, location.password);
  return store;
}

Store::Store(std::unique_ptr<Database> db, std::filesystem::path path) : db_(std::move(db)), path_(std::move(path)) {}

Store::Store(Store&& other) noexcept = default;
Store& Store::operator=(Store&& other) noexcept = default;
Store::~Store() = default;

int Store::schema_version() const {
  if (db_->backend() == Backend::postgresql) return postgres_schema_version(*db_);
  Statement s(*db_, "PRAGMA user_version");
  return s.step() ? static_cast<int>(s.column_int(0)) : 0;
}

std::vector<Delivery> Store::record_announcement(const Announcement& a, const std::vector<PlannedDelivery>& plan) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  {
    Recorder recorder(*db_);
    recorder.record(a, plan, Clock::now());
  }
  auto recorded = read_deliveries_of(*db_, a.id);
  tx.commit();
  return recorded;
}

void Store::record_announcements(const std::vector<PlannedAnnouncement>& batch) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  {
    Recorder recorder(*db_);
    const auto now = Clock::now();
    for (const PlannedAnnouncement& p : batch) recorder.record(p.announcement, p.deliveries, now);
  }
  tx.commit();
}

Approval Store::submit_for_approval(const Announcement& a, const std::vector<PlannedDelivery>& plan,
                                    const Approval& approval) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  {
    Recorder recorder(*db_);
    recorder.record(a, plan, Clock::now());
  }
  approvals::insert(*db_, approval);
  auto now = approvals::find(*db_, a.id);
  tx.commit();
  return now.value_or(approval);
}

std::optional<Announcement> Store::announcement(const std::string& id) const {
  Statement s(*db_, "SELECT id, template, request_json, created_at, operator FROM announcements WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return Announcement{s.column_text(0), s.column_text(1), s.column_text(2), s.column_time(3), s.column_text(4)};
}

std::optional<std::string> Store::latest_announcement_id() const {
  Statement s(*db_, "SELECT id FROM announcements ORDER BY created_at DESC, rowid DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

std::vector<Delivery> Store::deliveries(const std::string& announcement_id) const {
  return read_deliveries_of(*db_, announcement_id);
}

std::optional<Delivery> Store::delivery(long long delivery_id) const {
  Statement deliveries(*db_, std::string(kDeliveryColumns) + "WHERE id = ?1");
  deliveries.bind(1, delivery_id);
  Statement parts(*db_, std::string(kPartColumns) + "WHERE delivery_id = ?1 ORDER BY idx");
  parts.bind(1, delivery_id);
  BatchCursor recipients(*db_, "WHERE delivery_id = ?1", 1, [&](Statement& s) { s.bind(1, delivery_id); });
  auto found = read_deliveries(deliveries, parts, recipients, path_);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

namespace {

// The page of history (announcements newest first, along announcements_by_time, the department
// filter answered from deliveries_by_department) as SQL binding ?1 limit, then department and since.
// Only constant SQL fragments are chosen here; the values are bound.
std::string history_page(bool department, bool since) {
  std::string page =
      "SELECT a.rowid AS seq, a.id, a.template, a.request_json, a.created_at, a.operator, "
      "(SELECT ap.state FROM approvals ap WHERE ap.announcement_id = a.id) AS approval FROM announcements a WHERE "
      "TRUE";
  if (department) page += " AND a.id IN (SELECT announcement_id FROM deliveries WHERE department = ?2)";
  if (since) page += std::string(" AND a.created_at >= ?") + (department ? "3" : "2");
  page += " ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?1";
  return "WITH page AS (" + page + ") ";
}

// Parameters are numbered without gaps (?1 limit, then the filters given): PostgreSQL must see
// each one used to know its type.
void bind_history_page(Statement& s, const std::optional<std::string>& department,
                       const std::optional<Clock::time_point>& since, int limit) {
  // No limit: the largest LIMIT both backends take (PostgreSQL refuses SQLite's -1).
  s.bind(1, limit > 0 ? static_cast<long long>(limit) : std::numeric_limits<long long>::max());
  if (department) s.bind(2, *department);
  if (since) s.bind(department ? 3 : 2, *since);
}

// The approvals, rejections and retractions of the page's announcements, in one query.
void add_history_events(Database& db, std::vector<HistoryEntry>& entries, const std::optional<std::string>& department,
                        const std::optional<Clock::time_point>& since, int limit) {
  Statement s(db, history_page(department.has_value(), since.has_value()) +
                      "SELECT e.announcement_id, e.at, e.operator, e.action, e.detail FROM announcement_events e "
                      "JOIN page ON page.id = e.announcement_id ORDER BY e.id");
  bind_history_page(s, department, since, limit);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].announcement.id, i);
  while (s.step()) {
    AnnouncementEvent e{s.column_text(0), s.column_time(1), s.column_text(2), s.column_text(3), s.column_text(4)};
    if (auto it = index.find(e.announcement_id); it != index.end()) entries[it->second].events.push_back(std::move(e));
  }
}

}  // namespace

std::vector<HistoryEntry> Store::history(const std::optional<std::string>& department,
                                         const std::optional<Clock::time_point>& since, int limit) const {
  // One query for the whole page, joined to its deliveries with a per-delivery summary of the parts.
  Statement s(*db_,
              history_page(department.has_value(), since.has_value()) +
                  "SELECT page.id, page.template, page.request_json, page.created_at, d.id, d.department, d.status, "
                  "EXISTS (SELECT 1 FROM parts p WHERE p.delivery_id = d.id AND p.status IN ('in-flight', "
                  "'ambiguous')), "
                  "EXISTS (SELECT 1 FROM parts p WHERE p.delivery_id = d.id AND p.status = 'delivered'), "
                  "d.channel, d.language, page.operator, page.approval "
                  "FROM page LEFT JOIN deliveries d ON d.announcement_id = page.id "
                  "ORDER BY page.created_at DESC, page.seq DESC, d.id");
  bind_history_page(s, department, since, limit);

  std::vector<HistoryEntry> out;
  std::vector<std::vector<DeliverySummary>> summaries;
  while (s.step()) {
    std::string id = s.column_text(0);
    if (out.empty() || out.back().announcement.id != id) {
      HistoryEntry e;
      e.announcement =
          Announcement{std::move(id), s.column_text(1), s.column_text(2), s.column_time(3), s.column_text(11)};
      if (!s.is_null(12)) e.approval = parse_approval_state(s.column_text(12));
      out.push_back(std::move(e));
      summaries.emplace_back();
    }
    if (s.is_null(4)) continue;  // an announcement that planned no deliveries
    HistoryEntry& e = out.back();
    std::string dep = s.column_text(5);
    if (std::find(e.departments.begin(), e.departments.end(), dep) == e.departments.end()) {
      e.departments.push_back(std::move(dep));
    }
    ++e.deliveries;
    e.items.push_back(HistoryDelivery{s.column_text(5), s.column_text(9), s.column_text(10),
                                      delivery_status(s.column_text(6), path_)});
    summaries.back().push_back(
        DeliverySummary{delivery_status(s.column_text(6), path_), s.column_int(7) != 0, s.column_int(8) != 0});
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].status = approval_status(out[i].approval, announcement_status(summaries[i]));
  add_history_events(*db_, out, department, since, limit);
  return out;
}

namespace {

// The delivery as it was, for replaced_deliveries: everything a later reader needs to see what
// was planned, posted and deleted.
std::string snapshot(const Delivery& d) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : d.parts)
    parts.push_back({{"index", p.index}, {"payload", p.payload}, {"status", to_string(p.status)}, {"remote_id", p.remote_id},
                     {"attempts", p.attempts}, {"last_error", p.last_error}, {"updated_at", to_millis(p.updated_at)}});
  // Recipients in brief: a delivery is replaced only when none of it went out, so its list says
  // who would have had it, which the subscriber file says as well; those refused or put off are kept.
  auto listed = [](const std::vector<Recipient>& rs) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rs) out.push_back({{"batch", r.part}, {"address", r.address}, {"reply", r.reply}});
    return out;
  };
  nlohmann::json recipients{{"total", d.recipients.total},
                            {"delivered", d.recipients.delivered},
                            {"rejected", listed(d.recipients.rejected)},
                            {"deferred", listed(d.recipients.deferred)}};
  return nlohmann::json{{"status", to_string(d.status)}, {"attempts", d.attempts},   {"last_error", d.last_error},
                        {"content", d.content},          {"parts", parts},           {"recipients", recipients},
                        {"updated_at", to_millis(d.updated_at)}}
      .dump();
}

}  // namespace

bool Store::held_by_another(const Delivery& d) {
  if (claims_) return !claims_->free_for(*db_, d.id);
  // Someone other than this process that is alive.
  return d.holder && *d.holder != Holder::self() && d.holder->alive();
}

bool Store::replace_delivery(long long delivery_id, const PlannedDelivery& plan,
                             const std::function<bool(const Delivery&)>& replaceable) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  auto current = delivery(delivery_id);
  if (!current) no_delivery(path_, delivery_id);
  if (held_by_another(*current) || !replaceable(*current)) return false;
  const auto now = Clock::now();
  Statement keep(*db_, "INSERT INTO replaced_deliveries (delivery_id, replaced_at, record) VALUES (?1, ?2, ?3)");
  keep.bind(1, delivery_id).bind(2, now).bind(3, snapshot(*current)).run();
  // Recipients first: they refer to their batch (a part).
  for (const char* sql :
       {"DELETE FROM recipients WHERE delivery_id = ?1", "DELETE FROM recipient_batches WHERE delivery_id = ?1",
        "DELETE FROM parts WHERE delivery_id = ?1"}) {
    Statement drop(*db_, sql);
    drop.bind(1, delivery_id).run();
  }
  Statement u(*db_,
              "UPDATE deliveries SET status = 'pending', last_error = '', content = ?2, updated_at = ?3 WHERE id = ?1");
  u.bind(1, delivery_id).bind(2, plan.content).bind(3, now).run();
  PartWriter(*db_).write(delivery_id, plan, now);
  tx.commit();
  return true;
}

bool Store::retry_failed_delivery(long long delivery_id) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  auto current = delivery(delivery_id);
  if (!current) no_delivery(path_, delivery_id);
  if (current->status != DeliveryStatus::failed || held_by_another(*current)) return false;
  const auto now = Clock::now();
  Statement parts(*db_,
                  "UPDATE parts SET status = 'pending', last_error = '', updated_at = ?2 "
                  "WHERE delivery_id = ?1 AND status = 'failed'");
  parts.bind(1, delivery_id).bind(2, now).run();
  Statement u(*db_, "UPDATE deliveries SET status = 'pending', last_error = '', updated_at = ?2 WHERE id = ?1");
  u.bind(1, delivery_id).bind(2, now).run();
  tx.commit();
  return true;
}

bool Store::claim(long long delivery_id, const Holder& holder) {
  WriteGuard write(process_write_lock());
  if (claims_) {
    if (!delivery(delivery_id)) no_delivery(path_, delivery_id);
    return claims_->take(*db_, delivery_id);
  }
  // Read and write under one write lock: two processes cannot both see "free" and both take it.
  Transaction tx(*db_);
  {
    Statement s(*db_, "SELECT claim_pid, claim_start_id FROM deliveries WHERE id = ?1");
    s.bind(1, delivery_id);
    if (!s.step()) no_delivery(path_, delivery_id);
    if (!s.is_null(0)) {
      Holder current{s.column_int(0), s.column_text(1)};
      if (current != holder && current.alive()) return false;
    }
  }
  Statement u(*db_, "UPDATE deliveries SET claim_pid = ?2, claim_start_id = ?3 WHERE id = ?1");
  u.bind(1, delivery_id).bind(2, holder.pid).bind(3, holder.start_id).run();
  tx.commit();
  return true;
}

void Store::release(long long delivery_id, const Holder& holder) {
  WriteGuard write(process_write_lock());
  if (claims_) return claims_->drop(delivery_id);
  Statement u(*db_,
              "UPDATE deliveries SET claim_pid = NULL, claim_start_id = NULL "
              "WHERE id = ?1 AND claim_pid = ?2 AND claim_start_id = ?3");
  u.bind(1, delivery_id).bind(2, holder.pid).bind(3, holder.start_id).run();
}

void Store::set_delivery_status(long long delivery_id, DeliveryStatus status, const std::string& error,
                                std::optional<Clock::time_point> retry_at) {
  WriteGuard write(process_write_lock());
  Statement u(*db_, "UPDATE deliveries SET status = ?2, last_error = ?3, updated_at = ?4, retry_at = ?5 WHERE id = ?1");
  u.bind(1, delivery_id).bind(2, to_string(status)).bind(3, error).bind(4, Clock::now()).bind(5, retry_at);
  if (u.run() == 0) no_delivery(path_, delivery_id);
}

void Store::add_delivery_attempt(long long delivery_id) {
  WriteGuard write(process_write_lock());
  Statement u(*db_, "UPDATE deliveries SET attempts = attempts + 1, updated_at = ?2 WHERE id = ?1");
  u.bind(1, delivery_id).bind(2, Clock::now());
  if (u.run() == 0) no_delivery(path_, delivery_id);
}

bool Store::record_occurrence(const OccurrenceRecord& r) {
  WriteGuard write(process_write_lock());
  Statement s(*db_,
              "INSERT INTO occurrences (announcement_id, entry, occurrence, outcome, reason, recorded_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (announcement_id) DO NOTHING");
  s.bind(1, r.announcement_id).bind(2, r.entry).bind(3, r.occurrence).bind(4, r.outcome).bind(5, r.reason);
  s.bind(6, Clock::now());
  return s.run() == 1;
}

namespace {
OccurrenceRecord occurrence_from(const Statement& s) {
  return OccurrenceRecord{s.column_text(0), s.column_text(1), s.column_text(2),
                          s.column_text(3), s.column_text(4), s.column_time(5)};
}
constexpr const char* kOccurrenceColumns =
    "SELECT announcement_id, entry, occurrence, outcome, reason, recorded_at FROM occurrences ";
}  // namespace

std::optional<OccurrenceRecord> Store::occurrence(const std::string& announcement_id) const {
  Statement s(*db_, std::string(kOccurrenceColumns) + "WHERE announcement_id = ?1");
  s.bind(1, announcement_id);
  if (!s.step()) return std::nullopt;
  return occurrence_from(s);
}

std::vector<OccurrenceRecord> Store::occurrences(const std::string& entry) const {
  Statement s(*db_, std::string(kOccurrenceColumns) + "WHERE entry = ?1 ORDER BY occurrence DESC");
  s.bind(1, entry);
  std::vector<OccurrenceRecord> out;
  while (s.step()) out.push_back(occurrence_from(s));
  return out;
}

std::vector<Recipient> Store::recipients_of(long long delivery_id, int part) const {
  BatchCursor cursor(*db_, "WHERE delivery_id = ?1 AND batch = ?2", 2,
                     [&](Statement& s) { s.bind(1, delivery_id).bind(2, part); });
  return cursor.next(delivery_id).value_or(std::vector<Recipient>{});
}

void Store::settle_recipients(long long delivery_id, int index, const std::vector<Recipient>& outcomes,
                              PartStatus status, const std::string& remote_id, const std::string& error) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  {
    // A delivered recipient needs a row only when it had one (put off before, or recorded by an
    // older samvad, one row per recipient); every other outcome is a row of its own.
    Statement delivered(*db_,
                        "UPDATE recipients SET status = 'delivered', reply = ?3, updated_at = ?4 "
                        "WHERE delivery_id = ?1 AND address = ?2");
    Statement other(*db_,
                    "INSERT INTO recipients (delivery_id, batch, address, status, reply, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (delivery_id, address) DO UPDATE SET "
                    "status = excluded.status, reply = excluded.reply, updated_at = excluded.updated_at");
    const auto now = Clock::now();
    const std::vector<Recipient> known = recipients_of(delivery_id, index);
    for (const Recipient& r : outcomes) {
      if (std::none_of(known.begin(), known.end(), [&](const Recipient& k) { return k.address == r.address; }))
        throw Error(ExitCode::software, "internal error: no recipient " + r.address + " in batch " +
                                            std::to_string(index) + " of delivery " + std::to_string(delivery_id) +
                                            " in " + path_.string());
      if (r.status == RecipientStatus::delivered) {
        delivered.reset();
        delivered.bind(1, delivery_id).bind(2, r.address).bind(3, r.reply).bind(4, now).run();
      } else {
        other.reset();
        other.bind(1, delivery_id).bind(2, index).bind(3, r.address).bind(4, to_string(r.status)).bind(5, r.reply);
        other.bind(6, now).run();
      }
    }
    Statement answered(*db_, "UPDATE recipient_batches SET answered = 1 WHERE delivery_id = ?1 AND batch = ?2");
    answered.bind(1, delivery_id).bind(2, index).run();
  }
  set_part_status(delivery_id, index, status, remote_id, error);
  tx.commit();
}

std::optional<RemoteIdOwner> Store::remote_id_owner(long long delivery_id, const std::string& remote_id) const {
  if (remote_id.empty()) return std::nullopt;
  // "remote_id <> ''" spelled out lets SQLite use the partial index parts_by_remote_id.
  Statement s(*db_,
              "SELECT d.id, d.announcement_id, d.department, d.language, p.idx FROM parts p "
              "JOIN deliveries d ON d.id = p.delivery_id "
              "WHERE p.remote_id = ?2 AND p.remote_id <> '' AND d.id <> ?1 "
              "AND d.channel = (SELECT channel FROM deliveries WHERE id = ?1) "
              "ORDER BY d.id, p.idx LIMIT 1");
  s.bind(1, delivery_id).bind(2, remote_id);
  if (!s.step()) return std::nullopt;
  return RemoteIdOwner{s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3),
                       static_cast<int>(s.column_int(4))};
}

std::optional<RemoteIdOwner> Store::adopt_remote_id(long long delivery_id, int index, const std::string& remote_id,
                                                    PartStatus status, const std::string& error) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  if (auto owner = remote_id_owner(delivery_id, remote_id)) return owner;
  set_part_status(delivery_id, index, status, remote_id, error);
  tx.commit();
  return std::nullopt;
}

void Store::set_part_status(long long delivery_id, int index, PartStatus status, const std::string& remote_id,
                            const std::string& error) {
  WriteGuard write(process_write_lock());
  Statement u(*db_,
              "UPDATE parts SET status = ?3, "
              "remote_id = CASE WHEN ?4 = '' THEN remote_id ELSE ?4 END, "
              "last_error = ?5, "
              "attempts = attempts + CASE WHEN ?3 = 'in-flight' THEN 1 ELSE 0 END, "
              "updated_at = ?6 "
              "WHERE delivery_id = ?1 AND idx = ?2");
  u.bind(1, delivery_id).bind(2, index).bind(3, to_string(status)).bind(4, remote_id).bind(5, error);
  u.bind(6, Clock::now());
  if (u.run() == 0) {
    throw Error(ExitCode::software, "internal error: no part " + std::to_string(index) + " of delivery " +
                                        std::to_string(delivery_id) + " in " + path_.string());
  }
}

}  // namespace samvad::store
