// What `samvad store` does with a whole store: describe it (info) and copy an embedded SQLite
// history into a PostgreSQL store (copy), so a corporation that starts on one machine moves to
// one shared ledger without losing what it sent, or posting any of it again.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <samvad/store/location.hpp>
#include <samvad/store/store.hpp>

namespace samvad::store {

struct StoreInfo {
  std::string backend;   // "sqlite", "postgresql"
  std::string location;  // the path, or the URL without its password
  int schema_version = 0;
  std::vector<std::pair<std::string, long long>> rows;  // per table, in schema order
};
StoreInfo store_info(const Store& store);

struct CopiedTable {
  std::string table;
  long long copied = 0;   // rows added to the destination
  long long present = 0;  // rows it had already (an earlier copy): left as they are
};
struct CopyReport {
  std::string from, to;
  std::vector<CopiedTable> tables;
};

// Copies every row of `from` that `to` lacks, table by table in one transaction of `to`, ids and
// statuses as they are. Rows `to` already has (by their key; tables without one, by every column)
// are left alone, so a second copy adds nothing. Refused (65, nothing written) when a delivery id
// or key of `from` is taken in `to` by another delivery: `to` holds another history, and merging
// the two would mix their deliveries up.
CopyReport copy_history(const Store& from, Store& to);

}  // namespace samvad::store
