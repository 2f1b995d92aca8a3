#include "standin/smtp_standin_process.hpp"

#include <cstdio>
#include <stdexcept>

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
  const std::string encoded = message.at("raw_b64").get<std::string>();
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : encoded) {
    int value = -1;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+')
      value = 62;
    else if (c == '/')
      value = 63;
    else if (c == '=')
      break;
    else
      throw std::runtime_error("raw_b64 is not base64");
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return bytes;
}

}  // namespace samvad::test
