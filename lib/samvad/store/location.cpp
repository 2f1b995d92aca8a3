#include <samvad/store/location.hpp>

#include <samvad/net/url.hpp>
#include <samvad/store/postgres.hpp>

namespace samvad::store {

bool Location::is_server() const { return net::is_postgres_url(text); }

std::string Location::shown() const { return is_server() ? without_password(text) : text; }

bool Location::exists() const { return is_server() || std::filesystem::exists(file()); }

}  // namespace samvad::store
