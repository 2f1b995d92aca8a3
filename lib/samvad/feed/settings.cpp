#include <samvad/feed/settings.hpp>

#include <vector>

#include <samvad/net/url.hpp>

namespace samvad::feed {

namespace {

const std::vector<std::string> kFeedKeys{"dir", "base_url"};

std::optional<std::filesystem::path> read_dir(config::YamlReader& r, const YAML::Node& node, const std::string& what,
                                              const std::filesystem::path& config_dir) {
  auto v = r.string(node, what);
  if (!v) return std::nullopt;
  if (v->empty()) {
    r.error(node, what + " is empty; expected the folder the web server publishes, like /var/www/notices");
    return std::nullopt;
  }
  std::filesystem::path p(*v);
  if (p.is_relative()) p = std::filesystem::absolute(config_dir / p);
  p = p.lexically_normal();
  // "/var/www/notices/" normalizes to a trailing empty name; the folder itself is meant.
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

std::optional<std::string> read_base_url(config::YamlReader& r, const YAML::Node& node, const std::string& what) {
  auto v = r.string(node, what);
  if (!v) return std::nullopt;
  // Plain http only to this machine (a test server): pages are read by citizens over the internet.
  if (auto problem = net::check_endpoint(*v, {"https"}, {"http"})) {
    r.error(node, what + ": " + *problem);
    return std::nullopt;
  }
  // Page and feed URLs are made by appending "/<department>/<file>": a query or fragment would
  // end up in the middle of them.
  auto parts = net::parse_url(*v);
  if (parts->query || v->find('#') != std::string::npos) {
    r.error(node, what + " has a query or fragment; expected the folder's URL, like https://www.example.org/notices");
    return std::nullopt;
  }
  std::string url = parts->url;  // in one spelling: "HTTPS://WWW.Example.org" is https://www.example.org
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::optional<FeedSettings> read_feed_section(config::YamlReader& r, const YAML::Node& node, std::string_view what,
                                              const std::filesystem::path& config_dir, const FeedSettings* defaults) {
  const std::string name(what);
  if (!node.IsMap()) {
    r.map(node, name, kFeedKeys);  // reports what the node is instead, at its position
    return std::nullopt;
  }
  auto entries = r.map(node, name, kFeedKeys);
  std::optional<std::filesystem::path> dir;
  std::optional<std::string> base_url;
  bool ok = true;
  if (auto* d = config::find_entry(entries, "dir")) {
    dir = read_dir(r, d->value, name + ".dir", config_dir);
    ok = ok && dir;
  } else if (defaults) {
    dir = defaults->dir;
  }
  if (auto* u = config::find_entry(entries, "base_url")) {
    base_url = read_base_url(r, u->value, name + ".base_url");
    ok = ok && base_url;
  } else if (defaults) {
    base_url = defaults->base_url;
  }
  if (!dir && !config::find_entry(entries, "dir")) {
    r.error(node,
            "missing key 'dir' in " + name + "; expected the folder the web server publishes, like /var/www/notices");
    ok = false;
  }
  if (!base_url && !config::find_entry(entries, "base_url")) {
    r.error(node, "missing key 'base_url' in " + name +
                      "; expected the URL of that folder, like https://www.example.org/notices");
    ok = false;
  }
  if (!ok || entries.size() != node.size())
    return std::nullopt;  // size differs: unknown or duplicate keys were reported
  return FeedSettings{*dir, *base_url};
}

}  // namespace samvad::feed
