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
  const auto accounts_path = child_.make_dir().write("accounts.json", accounts.dump(2));
  std::vector<std::string> argv{SAMVAD_X_STANDIN, "--port", "0", "--accounts", accounts_path.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const std::string line = child_.start(argv);

  const std::string prefix = "listening on 127.0.0.1:";
  if (line.starts_with(prefix) && line.ends_with('\n')) {
    port_ = std::stoi(line.substr(prefix.size()));
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    return;
  }
  child_.fail("the X stand-in", line);
}

int StandinProcess::stop() { return child_.stop(); }

std::string StandinProcess::stderr_text() const { return child_.stderr_text(); }

json StandinProcess::get(const std::string& path) const { return standin_detail::control_get(base_url_ + path); }

json StandinProcess::post_json(const std::string& path, const json& body) const {
  return standin_detail::control_post(base_url_ + path, body);
}

}  // namespace samvad::test
