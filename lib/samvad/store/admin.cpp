#include <samvad/store/admin.hpp>

#include <samvad/core/error.hpp>
#include <samvad/store/statement.hpp>

namespace samvad::store {

namespace {

// The tables of a store: on SQLite in the order they were created (parents before children,
// the order a copy writes them), on PostgreSQL by name (samvad's own bookkeeping left out).
std::vector<std::string> tables_of(Database& db) {
  const bool sqlite = db.backend() == Backend::sqlite;
  Statement s(db,
              sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                       "ORDER BY rowid"
                     : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                       "AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'samvad\\_%' ORDER BY table_name",
              "listing the store's tables");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

struct Column {
  std::string name;
  bool integer = false;
  int key = 0;  // position in the primary key, 0 when not part of it
};

std::vector<Column> columns_of(Database& sqlite, const std::string& table) {
  Statement s(sqlite, "SELECT name, upper(type), pk FROM pragma_table_info(?1) ORDER BY cid",
              "reading a table's columns");
  s.bind(1, table);
  std::vector<Column> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1) == "INTEGER", static_cast<int>(s.column_int(2))});
  return out;
}

std::string joined(const std::vector<Column>& columns, const std::string& (*pick)(const Column&),
                   const std::string& separator) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : separator) + pick(c);
  return out;
}

// INSERT of one row that does nothing when the destination has it already: by its primary key,
// or, for a table without one (costs, events), by every column.
std::string insert_sql(const std::string& table, const std::vector<Column>& columns) {
  std::string names, values, keys, same;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const std::string value = "CAST(?" + n + (columns[i].integer ? " AS BIGINT)" : " AS TEXT)");
    names += (i ? ", " : "") + columns[i].name;
    values += (i ? ", " : "") + value;
    if (columns[i].key) keys += (keys.empty() ? "" : ", ") + columns[i].name;
    same += (i ? " AND " : "") + columns[i].name + " IS NOT DISTINCT FROM " + value;
  }
  if (!keys.empty())
    return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") ON CONFLICT (" + keys + ") DO NOTHING";
  return "INSERT INTO " + table + " (" + names + ") SELECT " + values + " WHERE NOT EXISTS (SELECT 1 FROM " + table +
         " WHERE " + same + ")";
}

// A delivery keeps its id in the copy, so the id must be free there or already this delivery's,
// and its (announcement, department, channel, language) must not be another id's.
void check_delivery_fits(Database& to, const Statement& row, const std::vector<Column>& columns,
                         const std::string& from) {
  auto value = [&](const std::string& name) {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i].name == name) return row.column_text(static_cast<int>(i));
    return std::string();
  };
  Statement s(to,
              "SELECT id FROM deliveries WHERE (id = ?1) <> (announcement_id = ?2 AND department = ?3 AND channel = ?4 "
              "AND language = ?5) AND (id = ?1 OR (announcement_id = ?2 AND department = ?3 AND channel = ?4 AND "
              "language = ?5))",
              "checking a delivery's id");
  s.bind(1, std::stoll(value("id"))).bind(2, value("announcement_id")).bind(3, value("department"));
  s.bind(4, value("channel")).bind(5, value("language"));
  if (s.step())
    throw Error(ExitCode::data, to.name() + " holds another history: its delivery " + std::to_string(s.column_int(0)) +
                                    " is not delivery " + value("id") + " of " + from + " (" +
                                    value("announcement_id") + ", " + value("department") + " " + value("channel") +
                                    "); nothing was copied. Expected an empty store, or one this history was copied "
                                    "into before");
}

CopiedTable copy_table(Database& from, Database& to, const std::string& table) {
  const auto columns = columns_of(from, table);
  CopiedTable out{table, 0, 0};
  Statement read(from,
                 "SELECT " +
                     joined(
                         columns, [](const Column& c) -> const std::string& { return c.name; }, ", ") +
                     " FROM " + table + " ORDER BY rowid",
                 "reading the history to copy");
  Statement write(to, insert_sql(table, columns), "copying the history");
  while (read.step()) {
    if (table == "deliveries") check_delivery_fits(to, read, columns, from.name());
    write.reset();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int at = static_cast<int>(i);
      // A claim is a process of the machine the file was on: nothing on the server holds it.
      if (read.is_null(at) || columns[i].name.starts_with("claim_"))
        write.bind_null(at + 1);
      else if (columns[i].integer)
        write.bind(at + 1, read.column_int(at));
      else
        write.bind(at + 1, read.column_text(at));
    }
    (write.run() == 1 ? out.copied : out.present) += 1;
  }
  return out;
}

}  // namespace

StoreInfo store_info(const Store& store) {
  Database& db = *store.db_;
  StoreInfo info{
      db.backend() == Backend::sqlite ? "sqlite" : "postgresql", store.path().string(), store.schema_version(), {}};
  for (const auto& table : tables_of(db)) {
    Statement count(db, "SELECT count(*) FROM " + table, "counting rows");
    info.rows.emplace_back(table, count.step() ? count.column_int(0) : 0);
  }
  return info;
}

CopyReport copy_history(const Store& from, Store& to) {
  Database& source = *from.db_;
  Database& destination = *to.db_;
  if (source.backend() != Backend::sqlite || destination.backend() != Backend::postgresql)
    throw Error(ExitCode::usage,
                "samvad store copy copies an SQLite state file into a PostgreSQL store; expected "
                "--state naming the file and --to a postgresql:// URL");
  CopyReport report{from.path().string(), to.path().string(), {}};
  Transaction tx(destination);
  for (const auto& table : tables_of(source)) report.tables.push_back(copy_table(source, destination, table));
  // New deliveries on the server take ids after the copied ones.
  destination.exec(
      "SELECT setval(pg_get_serial_sequence('deliveries', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM "
      "deliveries), false)",
      "moving the delivery ids on");
  tx.commit();
  return report;
}

}  // namespace samvad::store
