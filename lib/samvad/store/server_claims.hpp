// Claims on a PostgreSQL store, shared by processes on many machines. A claim is a row lock
// (SELECT ... FOR UPDATE SKIP LOCKED on the delivery's row of samvad_claims) held by an open
// transaction on a connection of its own, so it lasts exactly as long as the claiming process
// holds it or lives: a process that ends, crashes or loses its machine drops its connection and
// with it the lock. (On the SQLite file a claim is the holder's pid and start time instead,
// checked against the processes of the one machine that can open the file.)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/core/secret.hpp>
#include <samvad/store/database.hpp>
#include <samvad/store/location.hpp>

namespace samvad::store {

class ServerClaims {
 public:
  ServerClaims(std::string url, std::optional<Secret> password);
  ~ServerClaims();
  ServerClaims(const ServerClaims&) = delete;
  ServerClaims& operator=(const ServerClaims&) = delete;

  // Takes the delivery unless another process holds it (true when this one already does).
  // `main` is the store's own connection, outside a transaction.
  bool take(Database& main, long long delivery_id);
  // Lets the delivery go (nothing when this process does not hold it).
  void drop(long long delivery_id) noexcept;
  bool holds(long long delivery_id) const { return held_.count(delivery_id) > 0; }
  // Inside a write transaction of `main`: true when no other process holds the delivery, and
  // then none can take it before that transaction ends.
  bool free_for(Database& main, long long delivery_id);

 private:
  std::unique_ptr<Database> connection();
  std::string url_;
  std::optional<Secret> password_;
  std::map<long long, std::unique_ptr<Database>> held_;  // each claim's connection, in its transaction
  std::vector<std::unique_ptr<Database>> idle_;          // connections of claims dropped, for the next
};

// A session advisory lock (`key` in samvad's space, postgres.hpp) on a connection of its own, held
// while that connection is open; nullptr when another session holds it.
std::unique_ptr<Database> try_server_lock(const Location& server, int key);

}  // namespace samvad::store
