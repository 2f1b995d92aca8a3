#include <samvad/store/location.hpp>

#include <samvad/store/postgres.hpp>

namespace samvad::store {

bool is_server_url(const std::string& text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string Location::shown() const { return is_server() ? without_password(text) : text; }

bool Location::exists() const { return is_server() || std::filesystem::exists(file()); }

}  // namespace samvad::store
