#include <samvad/twitter/settings.hpp>

#include <charconv>
#include <cmath>
#include <regex>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/text.hpp>
#include <samvad/net/url.hpp>

namespace samvad::twitter {

namespace {

const std::vector<std::string> kDefaultKeys{"api_base", "ca_file", "prices", "monthly_budget", "threads"};
const std::vector<std::string> kDepartmentKeys{"handle", "api_base", "ca_file", "prices", "monthly_budget", "threads"};
const std::vector<std::string> kPriceKeys{"post", "post_with_url", "reply", "media_metadata", "read"};

// Far above any price or budget, far below what millionths of a dollar in a long long can hold.
constexpr double kMaxUsd = 1e9;

// An amount in US dollars ("0.015", "50") in millionths of a dollar.
std::optional<long long> read_usd(config::YamlReader& r, const YAML::Node& node, const std::string& what) {
  auto text = r.string(node, what);
  if (!text) return std::nullopt;
  double value = 0;
  const char* end = text->data() + text->size();
  auto [stop, ec] = std::from_chars(text->data(), end, value, std::chars_format::general);
  if (text->empty() || ec != std::errc() || stop != end || !std::isfinite(value)) {
    r.error(node, what + " is not a number; expected an amount in US dollars, like 0.015");
    return std::nullopt;
  }
  if (value < 0) {
    r.error(node, what + " is negative; expected an amount in US dollars of 0 or more, like 0.015");
    return std::nullopt;
  }
  if (value > kMaxUsd) {
    r.error(node, what + " is too large; expected an amount in US dollars of at most 1000000000");
    return std::nullopt;
  }
  return std::llround(value * static_cast<double>(channel::kMicroUsdPerUsd));
}

// twitter.prices: each key given replaces that price, the others stay as they were.
void read_prices(config::YamlReader& r, const YAML::Node& node, const std::string& what, Prices& prices) {
  for (const auto& e : r.map(node, what, kPriceKeys)) {
    auto v = read_usd(r, e.value, what + "." + e.key);
    if (!v) continue;
    if (e.key == "post") prices.post = *v;
    if (e.key == "post_with_url") prices.post_with_url = *v;
    if (e.key == "reply") prices.reply = *v;
    if (e.key == "media_metadata") prices.media_metadata = *v;
    if (e.key == "read") prices.read = *v;
  }
}

std::optional<channel::Budget> read_budget(config::YamlReader& r, const YAML::Node& node, const std::string& what) {
  auto v = read_usd(r, node, what);
  if (!v) return std::nullopt;
  return channel::Budget{std::nullopt, *v, r.where(node)};
}

class SectionReader : public config::SectionReader {
 public:
  std::string key() const override { return kChannel; }

  void read_defaults(config::YamlReader& r, const YAML::Node& node, const std::filesystem::path& dir) override {
    auto e = r.map(node, "twitter", kDefaultKeys);
    if (auto* a = config::find_entry(e, "api_base")) api_base(r, a->value, "twitter.api_base", defaults_.api_base);
    if (auto* c = config::find_entry(e, "ca_file"))
      defaults_.ca_file = config::read_file_path(r, c->value, "twitter.ca_file", dir);
    if (auto* p = config::find_entry(e, "prices")) read_prices(r, p->value, "twitter.prices", defaults_.prices);
    if (auto* b = config::find_entry(e, "monthly_budget"))
      defaults_.shared_budget = read_budget(r, b->value, "twitter.monthly_budget");
    if (auto* t = config::find_entry(e, "threads")) threads(r, t->value, "twitter.threads", defaults_);
  }

  std::shared_ptr<const config::ChannelSettings> read_department(config::YamlReader& r, const YAML::Node* node,
                                                                 const std::string& what,
                                                                 const std::filesystem::path& dir) override {
    if (!node) return nullptr;  // no X account
    auto e = r.map(*node, what, kDepartmentKeys);
    auto account = std::make_shared<Account>(defaults_);
    bool ok = true;
    if (auto h = r.required(*node, e, "handle", what)) {
      if (auto v = r.string(*h, what + ".handle")) {
        static const std::regex handle("[A-Za-z0-9_]{1,15}");
        if (!std::regex_match(*v, handle)) {
          r.error(*h, what + ".handle '" + shown(*v) +
                          "' is not an X handle; expected 1-15 letters, digits or _ without '@'");
          ok = false;
        }
        account->handle = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto* a = config::find_entry(e, "api_base")) api_base(r, a->value, what + ".api_base", account->api_base);
    if (auto* c = config::find_entry(e, "ca_file"))
      account->ca_file = config::read_file_path(r, c->value, what + ".ca_file", dir);
    if (auto* p = config::find_entry(e, "prices")) read_prices(r, p->value, what + ".prices", account->prices);
    if (auto* b = config::find_entry(e, "monthly_budget"))
      account->budget = read_budget(r, b->value, what + ".monthly_budget");
    if (auto* t = config::find_entry(e, "threads")) threads(r, t->value, what + ".threads", *account);
    if (!ok) return nullptr;
    return account;
  }

 private:
  static void api_base(config::YamlReader& r, const YAML::Node& node, const std::string& what, std::string& out) {
    auto v = r.string(node, what);
    if (!v) return;
    if (auto problem = net::check_endpoint(*v, {"https"}, {"http"})) {
      r.error(node, what + ": " + *problem);
      return;
    }
    // In the spelling the transport will use ("HTTPS://API.X.COM" is https://api.x.com).
    std::string url = net::parse_url(*v)->url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    out = url;
  }

  static void threads(config::YamlReader& r, const YAML::Node& node, const std::string& what, Account& out) {
    auto v = r.string(node, what);
    if (!v) return;
    if (*v == "reply") {
      out.threads = Threads::reply;
    } else if (*v == "none") {
      out.threads = Threads::none;
    } else {
      r.error(node, what + " '" + shown(*v) + "' is not known; expected reply (a long text goes as a thread) or none");
      return;
    }
    out.threads_where = r.where(node);
  }

  Account defaults_;
};

}  // namespace

std::vector<config::CredentialSection> credential_sections() {
  return {config::CredentialSection{kAppSection, {"consumer_key", "consumer_secret"}, true, true},
          config::CredentialSection{kTokenSection, {"access_token", "access_token_secret"}, false, true}};
}

std::unique_ptr<config::SectionReader> make_section_reader() { return std::make_unique<SectionReader>(); }

}  // namespace samvad::twitter
