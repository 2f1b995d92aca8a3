// Where the delivery store is: an SQLite file on this machine (the embedded default) or a
// PostgreSQL server that every machine of the corporation shares, named by a connection URL
// (postgresql://samvad@db.example.org/samvad?sslmode=verify-full). Every place that takes a
// state path (--state, $SAMVAD_STATE, departments.yaml state:) takes either.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <samvad/core/secret.hpp>

namespace samvad::store {

struct Location {
  std::string text;  // the file's path or the server's URL
  // The server's password from credentials.yaml (state: {password: ...}); without it libpq
  // reads its own sources (~/.pgpass, PGPASSFILE, PGPASSWORD).
  std::optional<Secret> password;

  Location() = default;
  Location(const std::filesystem::path& file) : text(file.string()) {}  // NOLINT: a path is a location
  Location(std::string text_) : text(std::move(text_)) {}               // NOLINT
  Location(const char* text_) : text(text_) {}                          // NOLINT

  bool is_server() const;  // a postgresql:// URL (net::is_postgres_url)
  std::filesystem::path file() const { return text; }
  // For messages: the path, or the URL without a password written in it.
  std::string shown() const;
  // Whether there is a store to read: a file that exists; a server always (its tables are
  // created on first use), so read-only commands ask it rather than guess.
  bool exists() const;
};

}  // namespace samvad::store
