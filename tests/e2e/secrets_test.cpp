// Never a leaked secret, and bad configuration a clear error: the real samvad binary against the
// X and SMTP stand-ins on loopback. TLS cannot be switched off by the spelling of a URL, the
// shared SMTP login goes only to the shared server, published values never take a secret from
// the environment, a running samvad cannot be dumped, authorize writes credentials.yaml safely,
// and every header value from departments.yaml is checked when it is loaded.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <csignal>

#include <sys/resource.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/base64.hpp"
#include "support/e2e_helpers.hpp"
#include "support/tcp_recorder.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::base64_encode;
using samvad::test::ProcessOptions;
using samvad::test::ProcessResult;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;
using samvad::test::eventually;

std::string vars_file(const XSetup& x) { return (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string(); }

std::vector<std::string> email_notice(const XSetup& x, const std::string& department) {
  return {"post", "water-supply-interruption", "-d", department, "--channels", "email", "--vars", vars_file(x), "--yes"};
}

// The SMTP password in every form a client could send it: as typed, AUTH PLAIN, AUTH LOGIN.
std::vector<std::string> password_forms() {
  const std::string user = XSetup::kSmtpUser, password = XSetup::kSmtpPassword;
  return {password, base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password),
          base64_encode(password)};
}

void check_no_password_in(const std::string& bytes) {
  for (const auto& form : password_forms()) {
    INFO("form: " << form);
    CHECK(bytes.find(form) == std::string::npos);
  }
}

// A line of /proc/PID/FILE that starts with `key`, e.g. "Dumpable:\t0".
std::string proc_line(int pid, const std::string& file, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return line;
  return {};
}

}  // namespace

TEST_CASE("an upper-case SMTP:// URL still requires STARTTLS: the mail goes over TLS and the login never in clear",
          "[e2e][secrets]") {
  XSetup x;
  x.with_email();
  samvad::test::TcpRecorder wire(x.smtp.port());
  x.sample.edit("departments.yaml", "smtp_url: " + x.smtp.smtp_url(), "smtp_url: SMTP://127.0.0.1:" + std::to_string(wire.port()));
  auto r = x.run(email_notice(x, "water-supply"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].at("tls") == true);
  CHECK(messages[0].at("auth_user") == XSetup::kSmtpUser);
  const std::string sent = wire.client_bytes();
  CHECK_THAT(sent, Contains("STARTTLS"));
  CHECK_THAT(sent, !Contains("AUTH"));  // after STARTTLS every byte is encrypted
  check_no_password_in(sent);
}

TEST_CASE("an SMTP:// server without STARTTLS is refused before the login, whatever the URL's case", "[e2e][secrets]") {
  for (const std::string scheme : {"SMTP", "Smtp", "smtp"}) {
    DYNAMIC_SECTION(scheme << "://") {
      XSetup x;
      auto options = XSetup::default_smtp_options();
      options.tls = "none";  // the server offers no STARTTLS; samvad is not told tls: none
      x.with_email(options);
      x.sample.edit("departments.yaml", "  tls: none  # ", "  # tls: starttls ");
      samvad::test::TcpRecorder wire(x.smtp.port());
      x.sample.edit("departments.yaml", "smtp_url: " + x.smtp.smtp_url(),
                    "smtp_url: " + scheme + "://127.0.0.1:" + std::to_string(wire.port()));
      auto r = x.run(email_notice(x, "water-supply"));
      INFO(r.err);
      CHECK(r.exit_code == 69);
      CHECK_THAT(r.err, Contains("does not offer STARTTLS"));
      CHECK(x.smtp.messages().empty());
      for (const auto& c : x.smtp.connections()) CHECK(c.at("auth_user").is_null());
      const std::string sent = wire.client_bytes();
      CHECK_THAT(sent, Contains("EHLO"));  // the conversation did go through the recorder
      CHECK_THAT(sent, !Contains("AUTH"));
      check_no_password_in(sent);
    }
  }
}

TEST_CASE("an upper-case HTTPS unsubscribe URL still gets the one-click header", "[e2e][secrets]") {
  XSetup x;
  x.with_email();
  x.sample.edit("departments.yaml", "unsubscribe: https://lists.example.org/u/water-supply",
                "unsubscribe: HTTPS://Lists.Example.org/u/water-supply");
  auto r = x.run(email_notice(x, "water-supply"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  const json& a = messages[0].at("analysis");
  CHECK(a.at("list_unsubscribe") == "<https://lists.example.org/u/water-supply>");
  CHECK(a.at("list_unsubscribe_post") == "List-Unsubscribe=One-Click");
}

TEST_CASE("a department with an SMTP server of its own never gets the shared login", "[e2e][secrets]") {
  XSetup x;
  x.with_email();
  // property-tax sends through a second server, which knows only its own login.
  samvad::test::SmtpStandinProcess tax_server;
  samvad::test::SmtpStandinProcess::Options tax;
  tax.user = "tax-mailer";
  tax.password = "tax-pw-Uu8-secret";
  tax_server.start(tax);
  x.sample.edit("departments.yaml", "smtp_url: " + x.smtp.smtp_url() + "     # implicit TLS",
                "smtp_url: " + tax_server.smtp_url() + "\n      ca_file: " + tax_server.ca_file().string());

  auto check = x.run({"check"});
  CHECK(check.exit_code == 78);
  CHECK_THAT(check.err, Contains("departments.yaml:") && Contains("department property-tax sends email through its own SMTP server") &&
                            Contains("expected departments.property-tax.smtp: {username: ..., password: ...}"));
  auto refused = x.run(email_notice(x, "property-tax"));
  CHECK(refused.exit_code == 78);
  CHECK_THAT(refused.err, Contains("departments.property-tax.smtp"));
  CHECK(tax_server.connections().empty());  // the shared login never reached the other host
  CHECK(x.smtp.connections().empty());

  // Its own login: it goes to its own server, and only there.
  std::string credentials = samvad::test::read_file(x.sample.credentials());
  const std::string anchor = "  property-tax:\n";
  credentials.insert(credentials.find(anchor) + anchor.size(), "    smtp: {username: tax-mailer, password: tax-pw-Uu8-secret}\n");
  x.sample.write("credentials.yaml", credentials, 0600);
  CHECK(x.run({"check"}).exit_code != 78);
  auto sent = x.run(email_notice(x, "property-tax"));
  INFO(sent.err);
  REQUIRE(sent.exit_code == 0);
  REQUIRE(tax_server.messages().size() == 1);
  CHECK(tax_server.messages()[0].at("auth_user") == "tax-mailer");
  CHECK(tax_server.messages()[0].at("tls") == true);
  CHECK(x.smtp.connections().empty());
  // The others still use the shared login with the shared server.
  REQUIRE(x.run(email_notice(x, "roads")).exit_code == 0);
  CHECK(x.smtp.messages().at(0).at("auth_user") == XSetup::kSmtpUser);
}

TEST_CASE("a ${VARIABLE} in a vars file or in schedule vars is published as written, never filled from the environment",
          "[e2e][secrets]") {
  XSetup x;
  const std::string secret = "env-secret-Pp4-value";
  ProcessOptions env;
  env.env.emplace("SAMVAD_TEST_AREAS", secret);

  x.sample.write("vars/env.yaml", "areas: \"${SAMVAD_TEST_AREAS}\"\ndate: 2026-12-03\nfrom: \"09:00\"\nto: \"17:00\"\n");
  auto preview = x.run({"--json", "preview", "water-supply-interruption", "-d", "water-supply", "--vars",
                        (x.sample.dir() / "vars" / "env.yaml").string()},
                       env);
  INFO(preview.err);
  REQUIRE(preview.exit_code == 0);
  CHECK_THAT(preview.out, Contains("${SAMVAD_TEST_AREAS}") && !Contains(secret));
  auto posted = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--vars",
                       (x.sample.dir() / "vars" / "env.yaml").string(), "--yes"},
                      env);
  INFO(posted.err);
  REQUIRE(posted.exit_code == 0);

  x.sample.write("schedule.yaml", R"(entries:
  - id: env-notice
    template: water-supply-interruption
    departments: [roads]
    channels: [twitter]
    vars: {areas: {mr: "${SAMVAD_TEST_AREAS}", en: "${SAMVAD_TEST_AREAS}"}, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T18:00]
)");
  auto due = x.run({"run-due", "--now", "2026-12-02T18:03", "--yes"}, env);
  INFO(due.err);
  REQUIRE(due.exit_code == 0);

  const auto posts = x.live_posts();
  REQUIRE(posts.size() == 4);  // water-supply and roads, mr and en
  for (const auto& p : posts) {
    INFO(p.dump());
    CHECK_THAT(p.at("text").get<std::string>(), Contains("${SAMVAD_TEST_AREAS}") && !Contains(secret));
  }
}

TEST_CASE("a samvad process that holds credentials cannot be dumped", "[e2e][secrets]") {
  XSetup x;
  samvad::test::TempDir cwd;  // where the kernel writes a core file ("core" in core_pattern)
  // The test allows core files, as a shell with `ulimit -c unlimited` would; samvad must not
  // leave one all the same.
  rlimit old_limit{};
  ::getrlimit(RLIMIT_CORE, &old_limit);
  const rlimit allow{old_limit.rlim_max, old_limit.rlim_max};
  REQUIRE(::setrlimit(RLIMIT_CORE, &allow) == 0);
  // Slow enough to look at the process while it waits for X with every secret loaded.
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"latency_ms", 5000}, {"times", 1}});
  ProcessOptions options;
  options.cwd = cwd.path();
  auto running = x.start({"post", "--channels", "twitter", "road-closure", "-d", "roads", "--example", "--yes"}, options);
  ::setrlimit(RLIMIT_CORE, &old_limit);
  REQUIRE(eventually([&] { return x.standin.get("/_standin/faults").empty(); }));  // the request is at X
  CHECK_THAT(proc_line(running->pid(), "limits", "Max core file size"), Contains(" 0 ") && !Contains("unlimited"));
  // SIGQUIT's default action is to dump core: what a crash would do with the secrets in memory.
  running->kill(SIGQUIT);
  auto r = running->wait();
  CHECK(r.exit_code == 128 + SIGQUIT);
  std::string pattern;
  std::getline(std::ifstream("/proc/sys/kernel/core_pattern"), pattern);
  if (pattern.empty() || pattern[0] == '|' || pattern[0] == '/') {
    WARN("core_pattern '" << pattern << "' does not write into the process's folder; only the limit was observed");
    return;
  }
  for (const auto& e : std::filesystem::directory_iterator(cwd.path())) {
    INFO(e.path());
    CHECK(e.path().filename().string().rfind("core", 0) != 0);
  }
}

TEST_CASE("authorize replaces a symlinked credentials.yaml's target through a fresh private file", "[e2e][secrets]") {
  namespace fs = std::filesystem;
  XSetup x;
  const fs::path dir = x.sample.dir();
  // credentials.yaml -> private/credentials.yaml, without water-supply's token yet.
  std::string credentials = samvad::test::read_file(x.sample.credentials());
  const std::string token_line = "  water-supply:\n    twitter: {access_token: 1001-tok-Zr4, access_token_secret: 1001-sec-Wm8}\n";
  REQUIRE(credentials.find(token_line) != std::string::npos);
  credentials.erase(credentials.find(token_line), token_line.size());
  fs::remove(x.sample.credentials());
  x.sample.write("private/credentials.yaml", credentials, 0600);
  fs::create_symlink("private/credentials.yaml", x.sample.credentials());

  // Links planted where a predictable temporary name would be (credentials.yaml.tmp-<pid>, for
  // the next pids): writing through one would put the secrets in stolen.yaml.
  std::ifstream last_pid_file("/proc/sys/kernel/ns_last_pid");
  long last_pid = 0;
  last_pid_file >> last_pid;
  for (long pid = last_pid + 1; pid <= last_pid + 300; ++pid)
    for (const fs::path& folder : {dir, dir / "private"})
      fs::create_symlink(dir / "stolen.yaml", folder / ("credentials.yaml.tmp-" + std::to_string(pid)));

  ProcessOptions pin;
  pin.stdin_text = "7654321\n";
  const mode_t old_umask = ::umask(0277);  // a strict umask must not leave the file unwritable for the next run
  auto r = x.run({"authorize", "water-supply"}, pin);
  ::umask(old_umask);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  CHECK(fs::is_symlink(x.sample.credentials()));
  CHECK(fs::read_symlink(x.sample.credentials()) == "private/credentials.yaml");
  const std::string saved = samvad::test::read_file(dir / "private" / "credentials.yaml");
  CHECK_THAT(saved, Contains("1001-tok-Zr4") && Contains("cs-samvad-e2e-Qx7"));
  CHECK(fs::status(dir / "private" / "credentials.yaml").permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_FALSE(fs::exists(dir / "stolen.yaml"));
  // Nothing left beside it but the planted links: the temporary file became credentials.yaml.
  for (const auto& e : fs::directory_iterator(dir / "private")) {
    INFO(e.path());
    CHECK((e.path().filename() == "credentials.yaml" || e.is_symlink()));
  }
  CHECK(x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example", "--yes"})
            .exit_code == 0);
}

TEST_CASE("every header value in departments.yaml is checked when it is loaded: 78 with file:line, never 70 later",
          "[e2e][secrets]") {
  struct Case {
    const char* what;
    const char* from;
    const char* to;
    const char* expected;
  };
  const Case cases[] = {
      {"a line break in the sender's name", "name: {en: PCMC,", R"(name: {en: "PCMC\r\nBcc: everyone@example.org",)",
       "email.from.name.en cannot be a sender's name: it contains a line break"},
      {"a tab in the sender's name", "name: {en: PCMC,", R"(name: {en: "PCMC\tOffice",)",
       "email.from.name.en cannot be a sender's name: it contains the control character U+0009"},
      {"a sender with a non-ASCII domain", "address: announcements@example.org", "address: announcements@उदाहरण.परीक्षा",
       "is not written in ASCII, as email headers need it; write its domain in ASCII form: announcements@xn--p1b6ci4b4b3a.xn--11b5bs3a9aj6g"},
      {"a sender at an address literal", "address: announcements@example.org", R"(address: "announcements@[192.0.2.1]")",
       "has an address literal for a domain, which cannot end a Message-ID"},
      {"a list address with a non-ASCII domain", "list: water-supply@lists.example.org", "list: water-supply@उदाहरण.परीक्षा",
       "departments.water-supply.email.list 'water-supply@उदाहरण.परीक्षा' is not written in ASCII"},
      {"a line break in a mailto unsubscribe", R"(unsubscribe: "mailto:health-unsubscribe@lists.example.org?subject=unsubscribe")",
       R"(unsubscribe: "mailto:health-unsubscribe@lists.example.org\r\nBcc: everyone@example.org")",
       "departments.health.email.unsubscribe cannot be a List-Unsubscribe URL: it holds a character a URL cannot"},
      {"a '>' in a mailto unsubscribe", R"(unsubscribe: "mailto:health-unsubscribe@lists.example.org?subject=unsubscribe")",
       R"(unsubscribe: "mailto:health-unsubscribe@lists.example.org?subject=a>b")", "it holds a character a URL cannot"},
      {"a non-ASCII unsubscribe URL", "unsubscribe: https://lists.example.org/u/water-supply",
       "unsubscribe: https://lists.example.org/u/पाणी", "it holds a character a URL cannot"},
      {"a mailto unsubscribe without a valid address", R"(unsubscribe: "mailto:health-unsubscribe@lists.example.org?subject=unsubscribe")",
       R"(unsubscribe: "mailto:nobody?subject=unsubscribe")", "the mailto: address is not a valid ASCII email address"},
      {"an http unsubscribe URL", "unsubscribe: https://lists.example.org/u/water-supply",
       "unsubscribe: http://lists.example.org/u/water-supply", "it is neither an https:// nor a mailto: URL"},
      {"a password in the SMTP URL", "smtp_url: smtp://mail.example.org:587", "smtp_url: smtp://user:pw-in-url-Ee5@mail.example.org:587",
       "email.smtp_url: the URL holds a user name or password"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      samvad::test::SampleSetup sample;
      sample.edit("departments.yaml", c.from, c.to);
      auto check = sample.run({"check"});
      INFO(check.err);
      CHECK(check.exit_code == 78);
      CHECK_THAT(check.err, Contains("departments.yaml:") && Contains(c.expected));
      CHECK_THAT(check.err, !Contains("pw-in-url-Ee5"));
      auto post = sample.run({"post", "water-supply-interruption", "-d", "water-supply", "-d", "health", "--channels",
                              "email", "--example", "--dry-run"});
      CHECK(post.exit_code == 78);
      CHECK_THAT(post.err, !Contains("internal error"));
    }
  }
}
