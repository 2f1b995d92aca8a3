#include <samvad/app/store_admin.hpp>

#include <samvad/app/status.hpp>
#include <samvad/registry/channels.hpp>

namespace samvad::app {

namespace {

// The destination's password: the state: password of credentials.yaml, which names the server
// the corporation shares; a configuration that does not load leaves it to libpq.
std::optional<Secret> destination_password(const Paths& paths) {
  try {
    const auto ws = open_workspace(paths);
    if (!std::filesystem::exists(ws.credentials_path)) return std::nullopt;
    const auto credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
    if (const auto* state = credentials.shared_section("state")) return state->at("password");
  } catch (const Error&) {
  }
  return std::nullopt;
}

}  // namespace

store::StoreInfo store_info(const Paths& paths) {
  return store::store_info(store::Store::open(existing_store(readable_store(paths).path)));
}

store::CopyReport store_copy(const Paths& paths, const std::string& to) {
  store::Location destination(to);
  if (!destination.is_server())
    throw Error(ExitCode::usage,
                "--to " + destination.shown() +
                    " is not a PostgreSQL URL; expected postgresql://user@host/database?sslmode=verify-full");
  const store::Location source = existing_store(readable_store(paths).path);
  if (source.is_server())
    throw Error(ExitCode::usage,
                "the store in use, " + source.shown() +
                    ", is already a PostgreSQL store; expected --state naming the SQLite file to copy");
  destination.password = destination_password(paths);
  const store::Store from = store::Store::open(source);
  store::Store into = store::Store::open(destination);
  return store::copy_history(from, into);
}

nlohmann::json to_json(const store::StoreInfo& info) {
  nlohmann::json rows = nlohmann::json::object();
  for (const auto& [table, count] : info.rows) rows[table] = count;
  return {
      {"backend", info.backend}, {"location", info.location}, {"schema_version", info.schema_version}, {"rows", rows}};
}

nlohmann::json to_json(const store::CopyReport& report) {
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& t : report.tables)
    tables.push_back({{"table", t.table}, {"copied", t.copied}, {"present", t.present}});
  return {{"from", report.from}, {"to", report.to}, {"tables", tables}};
}

}  // namespace samvad::app
