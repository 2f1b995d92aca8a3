#include <samvad/store/server_claims.hpp>

#include <samvad/store/postgres.hpp>
#include <samvad/store/statement.hpp>

namespace samvad::store {

namespace {

// The row the lock is taken on exists before anyone locks it, committed: a row inserted by a
// transaction still open would make others wait on its insert instead of skipping it.
void ensure_claim_row(Database& db, long long delivery_id) {
  Statement s(db, "INSERT INTO samvad_claims (delivery_id) VALUES (?1) ON CONFLICT (delivery_id) DO NOTHING",
              "preparing a claim");
  s.bind(1, delivery_id).run();
}

bool lock_claim_row(Database& db, long long delivery_id) {
  Statement s(db, "SELECT delivery_id FROM samvad_claims WHERE delivery_id = ?1 FOR UPDATE SKIP LOCKED",
              "claiming a delivery");
  s.bind(1, delivery_id);
  return s.step();
}

}  // namespace

ServerClaims::ServerClaims(std::string url, std::optional<Secret> password)
    : url_(std::move(url)), password_(std::move(password)) {}

ServerClaims::~ServerClaims() {
  for (auto& [id, db] : held_) db->rollback();
}

std::unique_ptr<Database> ServerClaims::connection() {
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return db;
  }
  auto db = open_postgres(url_, password_ ? std::optional<std::string>(password_->reveal()) : std::nullopt);
  // The claim's transaction stays idle while the delivery is sent (seconds, or minutes for a
  // long list): a server-wide idle_in_transaction_session_timeout must not end it half-way.
  db->exec("SET idle_in_transaction_session_timeout = 0", "setting up a claim's connection");
  return db;
}

bool ServerClaims::take(Database& main, long long delivery_id) {
  if (holds(delivery_id)) return true;
  ensure_claim_row(main, delivery_id);
  auto db = connection();
  db->exec("BEGIN", "claiming a delivery");
  if (!lock_claim_row(*db, delivery_id)) {
    db->rollback();
    idle_.push_back(std::move(db));
    return false;
  }
  held_.emplace(delivery_id, std::move(db));
  return true;
}

void ServerClaims::drop(long long delivery_id) noexcept {
  auto found = held_.find(delivery_id);
  if (found == held_.end()) return;
  auto db = std::move(found->second);
  held_.erase(found);
  db->rollback();  // ends the transaction and with it the lock
  if (!db->in_transaction()) idle_.push_back(std::move(db));
}

bool ServerClaims::free_for(Database& main, long long delivery_id) {
  if (holds(delivery_id)) return true;
  ensure_claim_row(main, delivery_id);
  return lock_claim_row(main, delivery_id);
}

std::unique_ptr<Database> try_server_lock(const Location& server, int key) {
  auto db = open_postgres(server.text,
                          server.password ? std::optional<std::string>(server.password->reveal()) : std::nullopt);
  Statement s(*db, "SELECT pg_try_advisory_lock(?1, ?2)", "taking a lock on the server");
  s.bind(1, kAdvisoryLockSpace).bind(2, key);
  if (!s.step() || s.column_int(0) == 0) return nullptr;
  return db;
}

}  // namespace samvad::store
