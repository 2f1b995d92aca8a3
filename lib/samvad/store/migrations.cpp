#include <samvad/store/migrations.hpp>

#include <cstdio>
#include <regex>
#include <string>

#include <samvad/store/statement.hpp>

namespace samvad::store {

namespace {

// Schema 1. Times are INTEGER milliseconds since the Unix epoch (UTC). Statuses are the
// to_string() texts, checked so a bug cannot write a status another samvad would not read.
// Nothing is ever deleted by samvad, so the foreign keys have no cascades: they only stop an
// orphan delivery or part from being written.
const char* const kSchema1 = R"sql(
CREATE TABLE announcements (
  id           TEXT PRIMARY KEY NOT NULL,
  template     TEXT NOT NULL DEFAULT '',
  request_json TEXT NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL
);
-- history: newest first, and latest_announcement_id (the index also holds the rowid, the
-- recording order that breaks ties between equal times).
CREATE INDEX announcements_by_time ON announcements (created_at);

CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  announcement_id TEXT NOT NULL REFERENCES announcements (id),
  department      TEXT NOT NULL,
  channel         TEXT NOT NULL,
  language        TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'in-flight', 'delivered', 'deferred', 'failed', 'retracted')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  claim_pid       INTEGER,
  claim_start_id  TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK ((claim_pid IS NULL) = (claim_start_id IS NULL)),
  -- One delivery per department, channel and language: what makes a rerun resume rather
  -- than plan a second copy. Its index also serves "the deliveries of an announcement".
  UNIQUE (announcement_id, department, channel, language)
);
-- history --department: the announcements that have a delivery to one department.
CREATE INDEX deliveries_by_department ON deliveries (department, announcement_id);

CREATE TABLE parts (
  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
  idx         INTEGER NOT NULL CHECK (idx >= 0),
  payload     TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'in-flight', 'delivered', 'ambiguous', 'failed', 'retracted')),
  remote_id   TEXT NOT NULL DEFAULT '',
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, idx)
);
)sql";

// Schema 2: email. A delivery keeps the message it sends (recorded once, so a rerun sends the
// same message whatever changed since), and an email delivery's recipients, each in one batch
// (a part) with its own outcome, so a resumed list skips the batches and the people done.
const char* const kSchema2 = R"sql(
ALTER TABLE deliveries ADD COLUMN content TEXT NOT NULL DEFAULT '';

CREATE TABLE recipients (
  delivery_id INTEGER NOT NULL,
  batch       INTEGER NOT NULL,
  address     TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'delivered', 'deferred', 'rejected')),
  reply       TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, address),
  FOREIGN KEY (delivery_id, batch) REFERENCES parts (delivery_id, idx)
);
CREATE INDEX recipients_by_batch ON recipients (delivery_id, batch);
)sql";

// Schema 3: scheduling. What run-due decided for each occurrence of a schedule entry, so a
// rerun neither posts it twice nor posts an occurrence it already superseded or skipped.
const char* const kSchema3 = R"sql(
CREATE TABLE occurrences (
  announcement_id TEXT PRIMARY KEY NOT NULL,   -- <entry-id>@<local time>
  entry           TEXT NOT NULL,
  occurrence      TEXT NOT NULL,               -- local time, "2026-12-03T07:00"
  outcome         TEXT NOT NULL CHECK (outcome IN ('posted', 'superseded', 'skipped')),
  reason          TEXT NOT NULL DEFAULT '',
  recorded_at     INTEGER NOT NULL
);
CREATE INDEX occurrences_by_entry ON occurrences (entry, occurrence);
)sql";

// Schema 4: which part holds a remote id. A post found on X by its text after a lost answer is
// recorded only when no other delivery holds its id (Store::adopt_remote_id); without this index
// that question reads every part ever recorded (about a second for 400,000 parts). Only an index:
// nothing recorded changes.
const char* const kSchema4 = R"sql(
CREATE INDEX parts_by_remote_id ON parts (remote_id) WHERE remote_id <> '';
)sql";

// Schema 5: replaced deliveries. A delivery none of which went out (never sent, retracted, or
// failed and sent again with --retry-failed) may take new content; what it held before is kept
// here, whole, so the history still shows every post that was made and deleted.
const char* const kSchema5 = R"sql(
CREATE TABLE replaced_deliveries (
  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
  replaced_at INTEGER NOT NULL,
  record      TEXT NOT NULL   -- JSON: status, attempts, last_error, content, parts and recipients as they were
);
CREATE INDEX replaced_by_delivery ON replaced_deliveries (delivery_id);
)sql";

// Schema 6: the inbox. What citizens said to each department's accounts (an item per mention,
// once, whoever syncs), who holds it and how it was answered, and how far each account has been
// read. Items are never deleted: closing one is a state, re-routing one an event.
const char* const kSchema6 = R"sql(
CREATE TABLE inbox_accounts (
  channel     TEXT NOT NULL,
  department  TEXT NOT NULL,
  account_id  TEXT NOT NULL DEFAULT '',
  heard_since TEXT NOT NULL DEFAULT '',
  own_since   TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (channel, department)
);

CREATE TABLE inbox_items (
  channel         TEXT NOT NULL,
  id              TEXT NOT NULL,
  heard_by        TEXT NOT NULL,
  department      TEXT NOT NULL,
  author_id       TEXT NOT NULL,
  author_username TEXT NOT NULL,
  author_name     TEXT NOT NULL DEFAULT '',
  text            TEXT NOT NULL,
  language        TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  conversation_id TEXT NOT NULL DEFAULT '',
  in_reply_to     TEXT NOT NULL DEFAULT '',
  announcement_id TEXT NOT NULL DEFAULT '',
  url             TEXT NOT NULL DEFAULT '',
  routed_by       TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
  answered_at     INTEGER,
  closed_at       INTEGER,
  close_note      TEXT NOT NULL DEFAULT '',
  recorded_at     INTEGER NOT NULL,
  PRIMARY KEY (channel, id)
);
CREATE INDEX inbox_by_department ON inbox_items (department, created_at);
CREATE INDEX inbox_by_conversation ON inbox_items (channel, conversation_id);
CREATE INDEX inbox_by_id ON inbox_items (id);

CREATE TABLE inbox_replies (
  channel    TEXT NOT NULL,
  item_id    TEXT NOT NULL,
  reply_id   TEXT NOT NULL,
  replied_at INTEGER NOT NULL,
  PRIMARY KEY (channel, item_id, reply_id),
  FOREIGN KEY (channel, item_id) REFERENCES inbox_items (channel, id)
);

CREATE TABLE inbox_events (
  channel  TEXT NOT NULL,
  item_id  TEXT NOT NULL,
  at       INTEGER NOT NULL,
  operator TEXT NOT NULL,
  action   TEXT NOT NULL CHECK (action IN ('routed', 'closed')),
  detail   TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (channel, item_id) REFERENCES inbox_items (channel, id)
);
CREATE INDEX inbox_events_by_item ON inbox_events (channel, item_id);
)sql";

// Schema 7: what X bills. One row per billed request (or, for reads, per request with how many
// items it read), written as it is answered, so the month's spend is a sum over recorded rows
// and a budget can refuse what would exceed it. Amounts are whole millionths of a US dollar:
// sums of thousands of prices like 0.015 stay exact.
const char* const kSchema7 = R"sql(
CREATE TABLE costs (
  channel          TEXT NOT NULL,
  department       TEXT NOT NULL,
  announcement_id  TEXT NOT NULL DEFAULT '',   -- '' for a request no announcement made
  kind             TEXT NOT NULL,              -- the channel's name for it: 'post', 'post_with_url', 'read', ...
  quantity         INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0),
  amount_micro_usd INTEGER NOT NULL CHECK (amount_micro_usd >= 0),
  recorded_at      INTEGER NOT NULL
);
-- A channel's spend over a time range (a month), of every department or of one.
CREATE INDEX costs_by_time ON costs (channel, recorded_at);
)sql";

// Schema 8: "not before". A delivery deferred by a rate limit keeps when the service said it
// takes requests again (X's 24-hour caps reset up to a day later), so a rerun before then leaves
// it alone instead of spending a request on a certain refusal. NULL: try whenever.
const char* const kSchema8 = R"sql(
ALTER TABLE deliveries ADD COLUMN retry_at INTEGER;
)sql";

// Schema 9: who did what. Each announcement keeps the operator who recorded it (a corporation
// runs samvad from many desks); older announcements have ''.
const char* const kSchema9 = R"sql(
ALTER TABLE announcements ADD COLUMN operator TEXT NOT NULL DEFAULT '';
)sql";

// Schema 10: approvals and who did what. An announcement that needs a second pair of eyes is
// recorded whole (its deliveries and parts, as for any announcement) with an approval row that
// holds it back until someone approves it (then it is sent as recorded) or rejects it (then it
// never is). Every approval, rejection and retraction is an event with its operator. A schedule
// entry approved as it stands keeps the digest of its content, so run-due can tell whether what
// it would post now is what was approved.
const char* const kSchema10 = R"sql(
CREATE TABLE approvals (
  announcement_id TEXT PRIMARY KEY NOT NULL REFERENCES announcements (id),
  kind            TEXT NOT NULL,              -- a template kind, 'text' or 'reply'
  state           TEXT NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting', 'approved', 'rejected')),
  submitted_by    TEXT NOT NULL,
  submitted_at    INTEGER NOT NULL,
  decided_by      TEXT NOT NULL DEFAULT '',
  decided_at      INTEGER,
  reason          TEXT NOT NULL DEFAULT '',
  media           TEXT NOT NULL DEFAULT '[]', -- JSON: the images sent with the first post (file, sha256, alt)
  reply_channel   TEXT NOT NULL DEFAULT '',   -- a reply: the inbox item it answers
  reply_item      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approvals_by_state ON approvals (state, submitted_at);

CREATE TABLE announcement_events (
  id              INTEGER PRIMARY KEY,
  announcement_id TEXT NOT NULL REFERENCES announcements (id),
  at              INTEGER NOT NULL,
  operator        TEXT NOT NULL,
  action          TEXT NOT NULL CHECK (action IN ('submitted', 'approved', 'rejected', 'retracted')),
  detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX announcement_events_by_announcement ON announcement_events (announcement_id, id);

CREATE TABLE schedule_approvals (
  entry       TEXT PRIMARY KEY NOT NULL,
  digest      TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  approved_at INTEGER NOT NULL
);
)sql";

// Schema 11: lists of any size. A batch's addresses are kept packed in one row (one per line, in
// planned order) instead of a row each: a list of 200,000 adds about as many bytes as its
// addresses. `recipients` then holds only the recipients with an outcome of their own (refused,
// put off, left pending by a partial answer); once a transaction of the batch is answered
// (`answered`), its other recipients count as delivered. Deliveries recorded before keep their
// rows, one per recipient, and are read as they are (store.cpp merge_batch).
const char* const kSchema11 = R"sql(
CREATE TABLE recipient_batches (
  delivery_id INTEGER NOT NULL,
  batch       INTEGER NOT NULL,
  addresses   TEXT NOT NULL,
  answered    INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1)),
  PRIMARY KEY (delivery_id, batch),
  FOREIGN KEY (delivery_id, batch) REFERENCES parts (delivery_id, idx)
);
)sql";

std::string hex(int v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(v));
  return buf;
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "create announcements, deliveries and parts", kSchema1},
      {2, "add message content and email recipients", kSchema2},
      {3, "add scheduled occurrences", kSchema3},
      {4, "index parts by remote id", kSchema4},
      {5, "keep replaced deliveries", kSchema5},
      {6, "add the inbox of what citizens said", kSchema6},
      {7, "record what requests cost", kSchema7},
      {8, "keep when a rate-limited delivery may be tried again", kSchema8},
      {9, "record who made each announcement", kSchema9},
      {10, "add approvals and who approved, rejected or retracted", kSchema10},
      {11, "keep each email batch's recipients in one row", kSchema11},
  };
  return all;
}

int latest_schema_version() { return migrations().back().version; }

std::string postgres_sql(const Migration& migration) {
  std::string sql = std::regex_replace(migration.sql, std::regex(R"(\bid\s+INTEGER\s+PRIMARY\s+KEY\b)"),
                                       "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  sql = std::regex_replace(sql, std::regex(R"(\bINTEGER\b)"), "BIGINT");
  // The tables whose queries order by rowid (recording order), as each migration creates them.
  static const std::regex created(R"(CREATE TABLE (announcements|recipients|inbox_events|costs) \()");
  for (std::sregex_iterator it(sql.begin(), sql.end(), created), end; it != end; ++it)
    sql += "ALTER TABLE " + (*it)[1].str() + " ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;\n";
  return sql;
}

FileIdentity read_identity(Database& db) {
  // One statement, so one consistent snapshot: read as three, a file another process is
  // creating at this moment could show its old application_id next to its new schema.
  // The first read of the header: a file that is not SQLite fails here (SQLITE_NOTADB).
  Statement s(db,
              "SELECT (SELECT application_id FROM pragma_application_id), "
              "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)",
              "reading the file header");
  FileIdentity id;
  if (s.step()) {
    id.application_id = static_cast<int>(s.column_int(0));
    id.schema_version = static_cast<int>(s.column_int(1));
    id.objects = static_cast<int>(s.column_int(2));
  }
  return id;
}

void check_identity(const FileIdentity& id, const std::filesystem::path& path) {
  const std::string p = path.string();
  const int known = latest_schema_version();
  if (id.application_id == 0 && id.schema_version == 0 && id.objects == 0) return;  // new
  if (id.application_id != kApplicationId) {
    throw Error(ExitCode::config,
                p + " is an SQLite database of another program (application_id " + hex(id.application_id) +
                    ", samvad's is " + hex(kApplicationId) +
                    "); expected a samvad state file. samvad leaves it untouched: choose another --state path");
  }
  if (id.schema_version > known) {
    throw Error(ExitCode::config, p + " was written by a newer samvad (schema " + std::to_string(id.schema_version) +
                                      ", this samvad knows " + std::to_string(known) + "); expected schema " +
                                      std::to_string(known) +
                                      " or older: upgrade samvad, or choose another --state path");
  }
}

void migrate(Database& db) {
  // Read again under the write lock: another process may have migrated since we looked.
  FileIdentity id = read_identity(db);
  check_identity(id, db.name());
  if (id.schema_version == latest_schema_version()) return;
  for (const Migration& m : migrations()) {
    if (m.version <= id.schema_version) continue;
    db.exec(m.sql, std::string("migrating to schema ") + std::to_string(m.version) + " (" + m.description + ")");
    // PRAGMAs take no bound parameters; the values are our own constants.
    db.exec("PRAGMA user_version = " + std::to_string(m.version), "recording the schema version");
  }
  db.exec("PRAGMA application_id = " + std::to_string(kApplicationId), "marking the file as samvad's");
}

}  // namespace samvad::store
