#include "standin/smtp_standin_process.hpp"

#include <cstdio>
#include <stdexcept>

#include "support/base64.hpp"

namespace samvad::test {

namespace {

using json = nlohmann::json;

constexpr const char* python = "/usr/bin/python3";  // Debian's, with python3-aiosmtpd (scripts/deps)

}  // namespace

SmtpStandinProcess::SmtpStandinProcess() = default;

SmtpStandinProcess::~SmtpStandinProcess() { stop(); }

void SmtpStandinProcess::start(const Options& options) {
  const std::filesystem::path tls_dir = child_.make_dir().path() / "tls";
  tls_ = options.tls;
  std::vector<std::string> argv{python,
                                SAMVAD_SMTP_STANDIN,
                                "--port",
                                "0",
                                "--control-port",
                                "0",
                                "--tls",
                                options.tls,
                                "--dir",
                                tls_dir.string(),
                                "--latency-ms",
                                std::to_string(options.latency_ms),
                                "--max-recipients",
                                std::to_string(options.max_recipients)};
  if (options.user) {
    argv.push_back("--auth");
    argv.push_back(*options.user + ":" + options.password.value_or(""));
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  const std::string line = child_.start(argv);

  int smtp = 0, control = 0;
  if (line.ends_with('\n') &&
      std::sscanf(line.c_str(), "listening on 127.0.0.1:%d control 127.0.0.1:%d", &smtp, &control) == 2) {
    port_ = smtp;
    control_port_ = control;
    return;
  }
  child_.fail("the SMTP stand-in", line);
}

int SmtpStandinProcess::stop() { return child_.stop(); }

std::string SmtpStandinProcess::smtp_url() const {
  return std::string(tls_ == "implicit" ? "smtps" : "smtp") + "://127.0.0.1:" + std::to_string(port_);
}

std::string SmtpStandinProcess::control_url() const { return "http://127.0.0.1:" + std::to_string(control_port_); }

std::filesystem::path SmtpStandinProcess::ca_file() const {
  if (tls_.empty() || tls_ == "none")
    throw std::logic_error("the SMTP stand-in has no CA: not started, or started without TLS");
  return child_.dir() / "tls" / "ca.pem";
}

std::string SmtpStandinProcess::stderr_text() const { return child_.stderr_text(); }

json SmtpStandinProcess::get(const std::string& path) const {
  return standin_detail::control_get(control_url() + path);
}

json SmtpStandinProcess::post_json(const std::string& path, const json& body) const {
  return standin_detail::control_post(control_url() + path, body);
}

std::string SmtpStandinProcess::raw_message(const json& message) {
  return base64_decode(message.at("raw_b64").get<std::string>());
}

}  // namespace samvad::test
