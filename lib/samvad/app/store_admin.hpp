// `samvad store info` and `samvad store copy --to URL` (store/admin.hpp): the store the
// workspace uses, described or copied into a PostgreSQL server.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/store/admin.hpp>

namespace samvad::app {

// The store the commands use (readable without a valid configuration, like status); 66 when
// its file does not exist yet.
store::StoreInfo store_info(const Paths& paths);

// Copies the store the commands use (an SQLite file) into the PostgreSQL store at `to`, whose
// password is credentials.yaml's state: password when there is one, else libpq's own
// (~/.pgpass, PGPASSFILE, PGPASSWORD). 66 without a file to copy, 64 when `to` is not a
// postgresql:// URL or is the store in use.
store::CopyReport store_copy(const Paths& paths, const std::string& to);

nlohmann::json to_json(const store::StoreInfo& info);
nlohmann::json to_json(const store::CopyReport& report);

}  // namespace samvad::app
