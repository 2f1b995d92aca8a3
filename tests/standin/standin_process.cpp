#include "standin/standin_process.hpp"

#include <stdexcept>

namespace samvad::test {

namespace {

using json = nlohmann::json;

}  // namespace

StandinProcess::StandinProcess() = default;

StandinProcess::~StandinProcess() { stop(); }

json StandinProcess::default_accounts() {
  return json{{"consumer_key", "standin-ck"},
              {"consumer_secret", "standin-cs"},
              {"pin", "1234567"},
              {"authorize_as", "1001"},
              {"accounts",
               {{{"user_id", "1001"},
                 {"username", "PCMCWaterSupply"},
                 {"name", "PCMC Water Supply"},
                 {"access_token", "1001-token"},
                 {"access_token_secret", "1001-secret"}},
                {{"user_id", "1002"},
                 {"username", "PCMCElectricity"},
                 {"name", "PCMC Electricity"},
                 {"access_token", "1002-token"},
                 {"access_token_secret", "1002-secret"}}}}};
}

void StandinProcess::start(const json& accounts, const std::vector<std::string>& extra_args) {
  launch(accounts, extra_args, false);
}

void StandinProcess::start_tls(const json& accounts, const std::vector<std::string>& extra_args) {
  launch(accounts, extra_args, true);
}

void StandinProcess::launch(const json& accounts, const std::vector<std::string>& extra_args, bool tls) {
  const auto& dir = child_.make_dir();
  const auto accounts_path = dir.write("accounts.json", accounts.dump(2));
  std::vector<std::string> argv{SAMVAD_X_STANDIN, "--port", "0", "--accounts", accounts_path.string()};
  ca_file_.clear();
  if (tls) {
    argv.insert(argv.end(), {"--tls-dir", (dir.path() / "tls").string()});
    ca_file_ = dir.path() / "tls" / "ca.pem";
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const std::string line = child_.start(argv);

  const std::string prefix = "listening on 127.0.0.1:";
  if (line.starts_with(prefix) && line.ends_with('\n')) {
    port_ = std::stoi(line.substr(prefix.size()));
    base_url_ = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    return;
  }
  child_.fail("the X stand-in", line);
}

int StandinProcess::stop() { return child_.stop(); }

std::string StandinProcess::stderr_text() const { return child_.stderr_text(); }

json StandinProcess::get(const std::string& path) const {
  return standin_detail::control_get(base_url_ + path, ca_file_);
}

json StandinProcess::post_json(const std::string& path, const json& body) const {
  return standin_detail::control_post(base_url_ + path, body, ca_file_);
}

std::string StandinProcess::add_mention(const json& mention) const {
  return post_json("/_standin/mentions", mention).at("data").at("id").get<std::string>();
}

}  // namespace samvad::test
