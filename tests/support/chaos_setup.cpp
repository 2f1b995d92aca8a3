#include "support/chaos_setup.hpp"

#include <cstdio>
#include <thread>

#include <catch2/catch.hpp>

namespace samvad::test {

namespace {

std::string two_digits(int n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d", n);
  return buffer;
}

}  // namespace

std::vector<std::string> ChaosDepartment::recipients() const {
  std::vector<std::string> out{list};
  out.insert(out.end(), subscribers.begin(), subscribers.end());
  return out;
}

ChaosSetup::ChaosSetup(const ChaosOptions& options) : options_(options) {
  namespace fs = std::filesystem;
  REQUIRE(options.departments >= 1);
  REQUIRE(options.departments <= 99);

  nlohmann::json accounts{{"consumer_key", "ck-samvad-chaos"}, {"consumer_secret", "cs-samvad-chaos-Jt5"}};
  std::string credentials = "twitter_app: {consumer_key: ck-samvad-chaos, consumer_secret: cs-samvad-chaos-Jt5}\n";
  credentials += std::string("smtp: {username: ") + kSmtpUser + ", password: " + kSmtpPassword + "}\n";
  if (!options.state_password.empty()) credentials += "state: {password: " + options.state_password + "}\n";
  credentials += "departments:\n";
  for (int i = 1; i <= options.departments; ++i) {
    ChaosDepartment d;
    d.id = "ward-" + two_digits(i);
    d.user_id = std::to_string(3000 + i);
    d.handle = "PCMCWard" + two_digits(i);
    d.list = d.id + "@lists.example.org";
    for (int s = 1; s <= options.subscribers; ++s)
      d.subscribers.push_back("w" + two_digits(i) + ".citizen" + two_digits(s) + "@example.org");
    accounts["accounts"].push_back({{"user_id", d.user_id},
                                    {"username", d.handle},
                                    {"access_token", d.user_id + "-tok-Chx"},
                                    {"access_token_secret", d.user_id + "-sec-Chx"}});
    credentials += "  " + d.id + ":\n    twitter: {access_token: " + d.user_id +
                   "-tok-Chx, access_token_secret: " + d.user_id + "-sec-Chx}\n";
    departments.push_back(std::move(d));
  }

  std::vector<std::string> x_args;
  if (options.x_latency_ms > 0) x_args = {"--latency-ms", std::to_string(options.x_latency_ms)};
  x.start(accounts, x_args);
  SmtpStandinProcess::Options smtp_options;
  smtp_options.user = kSmtpUser;
  smtp_options.password = kSmtpPassword;
  smtp_options.latency_ms = options.smtp_latency_ms;
  smtp.start(smtp_options);

  std::string config;
  config += "organization:\n";
  config += "  name: {en: Pimpri Chinchwad Municipal Corporation, mr: पिंपरी चिंचवड महानगरपालिका}\n";
  config += "  short_name: PCMC\n";
  config += "  website: https://www.pcmcindia.gov.in\n";
  config += "  timezone: Asia/Kolkata\n";
  config += "  languages: [mr, en]\n";
  config += "twitter:\n";
  config += "  api_base: " + x.base_url() + "\n";
  config += "email:\n";
  config += "  smtp_url: " + smtp.smtp_url() + "\n";
  config += "  from: {address: announcements@example.org, name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}}\n";
  config += "  batch_size: " + std::to_string(options.batch_size) + "\n";
  config += "  ca_file: " + smtp.ca_file().string() + "\n";
  config += "departments:\n";
  for (const auto& d : departments) {
    const std::string n = d.id.substr(5);  // "01"
    config += "  " + d.id + ":\n";
    config += "    name: {en: Ward Office " + n + ", mr: क्षेत्रीय कार्यालय " + n + "}\n";
    config += "    hashtags: [PCMC, Ward" + n + "]\n";
    config += "    twitter: {handle: " + d.handle + "}\n";
    config += "    email:\n";
    config += "      list: " + d.list + "\n";
    config += "      subscribers: lists/" + d.id + ".txt\n";
    config += "      unsubscribe: https://lists.example.org/u/" + d.id + "\n";
    std::string list_file = "# " + d.id + "\n";
    for (const auto& s : d.subscribers) list_file += s + "\n";
    dir_.write("lists/" + d.id + ".txt", list_file, 0644);
  }
  dir_.write("departments.yaml", config, 0644);
  dir_.write("credentials.yaml", credentials, 0600);
  fs::copy(source_dir() / "templates", dir() / "templates", fs::copy_options::recursive);
}

store::Location ChaosSetup::state() const {
  if (options_.state_url.empty()) return dir() / "state" / "state.db";
  store::Location out(options_.state_url);
  if (!options_.state_password.empty()) out.password = Secret(options_.state_password);
  return out;
}

ProcessResult ChaosSetup::run(std::vector<std::string> args) const {
  args.insert(args.begin(), {"-c", config().string(), "--state", state().text});
  ProcessOptions options;
  options.env.emplace("SAMVAD_BACKOFF_MS", "20");
  return run_samvad(args, options);
}

std::unique_ptr<BackgroundProcess> ChaosSetup::start(std::vector<std::string> args) const {
  args.insert(args.begin(), {"-c", config().string(), "--state", state().text});
  ProcessOptions options;
  options.env.emplace("SAMVAD_BACKOFF_MS", "20");
  return start_samvad(args, options);
}

std::vector<nlohmann::json> ChaosSetup::live_posts(const ChaosDepartment& department) const {
  std::vector<nlohmann::json> out;
  for (const auto& p : x.posts())
    if (!p.at("deleted").get<bool>() && p.at("user_id") == department.user_id) out.push_back(p);
  return out;
}

nlohmann::json ChaosSetup::messages() const {
  nlohmann::json out = kept_messages_;
  for (const auto& m : smtp.messages()) out.push_back(m);
  return out;
}

bool ChaosSetup::smtp_quiet(std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool open = false;
    for (const auto& c : smtp.connections()) open = open || !c.at("closed").get<bool>();
    if (!open) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ChaosSetup::clear_smtp_faults() {
  REQUIRE(smtp_quiet());
  for (const auto& m : smtp.messages()) kept_messages_.push_back(m);
  smtp.reset();
}

std::vector<std::string> ChaosSetup::secrets() const {
  std::vector<std::string> out{"cs-samvad-chaos-Jt5", kSmtpPassword};
  if (!options_.state_password.empty()) out.push_back(options_.state_password);
  for (const auto& d : departments) {
    out.push_back(d.user_id + "-tok-Chx");
    out.push_back(d.user_id + "-sec-Chx");
  }
  return out;
}

}  // namespace samvad::test
