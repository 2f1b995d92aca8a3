#include "support/x_setup.hpp"

#include <regex>

#include <catch2/catch.hpp>

namespace samvad::test {

XSetup::XSetup(const std::vector<std::string>& extra_args, Transport transport) {
  std::string config = read_file(sample.config());
  static const std::regex dept_line(R"(^  ([a-z0-9-]+):\s*$)");
  static const std::regex handle(R"(handle: ([A-Za-z0-9_]+))");
  std::string current;
  int next_id = 1001;
  std::size_t pos = 0;
  while (pos < config.size()) {
    std::size_t end = config.find('\n', pos);
    std::string line = config.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::smatch m;
    if (std::regex_match(line, m, dept_line)) current = m[1];
    if (std::regex_search(line, m, handle)) accounts.push_back(XAccount{current, std::to_string(next_id++), m[1]});
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  REQUIRE(accounts.size() >= 8);

  nlohmann::json accounts_json{{"consumer_key", "ck-samvad-e2e"}, {"consumer_secret", "cs-samvad-e2e-Qx7"}, {"pin", "7654321"}};
  std::string credentials = "twitter_app: {consumer_key: ck-samvad-e2e, consumer_secret: cs-samvad-e2e-Qx7}\ndepartments:\n";
  for (const auto& a : accounts) {
    accounts_json["accounts"].push_back({{"user_id", a.user_id},
                                         {"username", a.handle},
                                         {"access_token", a.user_id + "-tok-Zr4"},
                                         {"access_token_secret", a.user_id + "-sec-Wm8"}});
    credentials += "  " + a.department + ":\n    twitter: {access_token: " + a.user_id + "-tok-Zr4, access_token_secret: " +
                   a.user_id + "-sec-Wm8}\n";
  }
  accounts_json["authorize_as"] = accounts.front().user_id;
  if (transport == Transport::https)
    standin.start_tls(accounts_json, extra_args);
  else
    standin.start(accounts_json, extra_args);
  credentials_ = credentials;
  sample.write("credentials.yaml", credentials, 0600);
  sample.edit("departments.yaml", "api_base: https://api.x.com", "api_base: " + standin.base_url());
}

SmtpStandinProcess::Options XSetup::default_smtp_options() {
  SmtpStandinProcess::Options o;
  o.user = kSmtpUser;
  o.password = kSmtpPassword;
  return o;
}

void XSetup::with_email(SmtpStandinProcess::Options options) {
  smtp.start(options);
  sample.edit("departments.yaml", "smtp_url: smtp://mail.example.org:587", "smtp_url: " + smtp.smtp_url());
  // property-tax has a server of its own in the sample; here it shares the stand-in.
  sample.edit("departments.yaml", "smtp_url: smtps://smtp-tax.example.org:465", "smtp_url: " + smtp.smtp_url());
  if (options.tls == "none") {
    sample.edit("departments.yaml", "  # tls: starttls ", "  tls: none  # ");
  } else {
    sample.edit("departments.yaml", "  # ca_file: /etc/ssl/certs/extra-ca.pem\n\n# One entry",
                "  ca_file: " + smtp.ca_file().string() + "\n\n# One entry");
  }
  std::string login = std::string("{username: ") + kSmtpUser + ", password: " + kSmtpPassword + "}";
  credentials_.insert(credentials_.find("departments:\n"), "smtp: " + login + "\n");
  sample.write("credentials.yaml", credentials_, 0600);
}

void XSetup::with_postgres_state(const std::string& url, const std::string& password) {
  state_url_ = url;
  state_password_ = password;
  credentials_.insert(credentials_.find("departments:\n"), "state: {password: " + password + "}\n");
  sample.write("credentials.yaml", credentials_, 0600);
}

std::vector<std::string> XSetup::received_by() const {
  std::vector<std::string> out;
  for (const auto& m : smtp.messages())
    for (const auto& r : m.at("rcpt_tos")) out.push_back(r.get<std::string>());
  return out;
}

const XAccount& XSetup::account(const std::string& department) const {
  for (const auto& a : accounts)
    if (a.department == department) return a;
  FAIL("no account for " << department);
  return accounts.front();
}

std::vector<std::string> XSetup::with_globals(std::vector<std::string> args) const {
  args.insert(args.begin(), {"-c", sample.config().string(), "--state", state_location()});
  return args;
}

ProcessOptions XSetup::with_env(ProcessOptions options) const {
  options.env.emplace("SAMVAD_BACKOFF_MS", "20");
  return options;
}

ProcessResult XSetup::run(std::vector<std::string> args, ProcessOptions options) const {
  return run_samvad(with_globals(std::move(args)), with_env(std::move(options)));
}

TerminalRun XSetup::run_in_terminal(std::vector<std::string> args, int rows, int columns,
                                   const std::vector<std::pair<std::string, std::string>>& answers) const {
  return run_samvad_in_terminal(with_globals(std::move(args)), with_env({}), rows, columns, answers);
}

std::unique_ptr<BackgroundProcess> XSetup::start(std::vector<std::string> args, ProcessOptions options) const {
  return start_samvad(with_globals(std::move(args)), with_env(std::move(options)));
}

std::vector<nlohmann::json> XSetup::live_posts(const std::string& department) const {
  std::vector<nlohmann::json> out;
  std::string user = department.empty() ? "" : account(department).user_id;
  for (const auto& p : standin.posts())
    if (!p.at("deleted").get<bool>() && (user.empty() || p.at("user_id") == user)) out.push_back(p);
  return out;
}

std::vector<std::string> XSetup::secrets() const {
  std::vector<std::string> out{"cs-samvad-e2e-Qx7", kSmtpPassword};
  if (!state_password_.empty()) out.push_back(state_password_);
  for (const auto& a : accounts) {
    out.push_back(a.user_id + "-tok-Zr4");
    out.push_back(a.user_id + "-sec-Wm8");
  }
  return out;
}

}  // namespace samvad::test
