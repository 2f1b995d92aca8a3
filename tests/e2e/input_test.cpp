// Bad input, driven through the real samvad binary as a clerk or a script would give it: every
// kind gets a clear error naming where, with a documented exit code, before anything is sent;
// never 70 ("internal error"), never a hang; and whatever an error quotes from a file or the
// command line reaches the terminal escaped and short.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/process.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using samvad::test::ProcessOptions;
using samvad::test::ProcessResult;
using samvad::test::SampleSetup;
using samvad::test::XSetup;

namespace {

// samvad under timeout(1): a read that would wait forever (on a FIFO) fails the test with 137
// instead of hanging the suite.
ProcessResult run_bounded(const SampleSetup& s, std::vector<std::string> args, ProcessOptions options = {}) {
  std::vector<std::string> argv{"/usr/bin/timeout", "-s", "KILL", "60", SAMVAD_BINARY, "-c", s.config().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const auto& [k, v] : s.env()) options.env.emplace(k, v);
  return samvad::test::run_process(argv, options);
}

// A byte a terminal would act on: C0 controls other than the newline that ends each line, DEL, ESC.
bool has_raw_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && b != '\n') || b == 0x7F;
  });
}

std::size_t longest_line(const std::string& s) {
  std::size_t longest = 0, start = 0;
  for (std::size_t end; (end = s.find('\n', start)) != std::string::npos; start = end + 1) longest = std::max(longest, end - start);
  return std::max(longest, s.size() - start);
}

// A problem is reported, not a crash: a documented code and no "internal error".
void check_reported(const ProcessResult& r, int code) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == code);
  CHECK_THAT(r.err, !Contains("internal error"));
  CHECK_FALSE(has_raw_control(r.err));
}

std::string make_fifo(const SampleSetup& s, const std::string& name) {
  const auto path = s.dir() / name;
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path.string();
}

// A sparse file of `size` bytes (zeros): over a limit without using the disk.
std::string sparse(const SampleSetup& s, const std::string& name, std::uintmax_t size, const std::string& head = "") {
  const auto path = s.write(name, head, 0644);
  std::filesystem::resize_file(path, size);
  return path.string();
}

constexpr std::uintmax_t MiB = 1024 * 1024;

std::vector<std::string> water_preview(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"preview", "water-supply-interruption", "-d", "water-supply", "--example"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// `sentences` copies of a Marathi notice sentence: 60 weigh about 25 posts' worth.
std::string long_marathi(int sentences) {
  std::string out;
  for (int i = 0; i < sentences; ++i)
    out += "निगडी, आकुर्डी, चिंचवड, पिंपरी, भोसरी व परिसरातील जलवाहिनी दुरुस्तीच्या कामामुळे पाणीपुरवठा बंद राहील (भाग " +
           std::to_string(i + 1) + "). ";
  return out;
}

}  // namespace

TEST_CASE("an --attach file name with a line break, a control character or bytes that are not UTF-8 is refused when planning",
          "[e2e][input]") {
  SampleSetup s;
  for (const char* name : {"circular\n12.pdf", "circular\r\nBcc: x@example.org.pdf", "circular\x01.pdf", "circular\t12.pdf",
                           "\xE0\xA4\xAA\xFF.pdf", "caf\xE9.pdf"}) {
    INFO(name);
    const auto file = s.write(std::string("attach/") + name, "%PDF-1.7\n%samvad\n");
    auto r = s.run({"post", "property-tax-deadline", "-d", "property-tax", "--example", "--attach", file.string(), "--dry-run"});
    check_reported(r, 65);
    CHECK_THAT(r.err, Contains("--attach ") && Contains(": the file name cannot be a mail header value: it ") &&
                          Contains("(rename the file)"));
  }
  // The same for images, whose names go into the upload's header.
  const auto image = s.write("media/map\n1.png", std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, '\0'));
  auto r = s.run({"post", "property-tax-deadline", "-d", "property-tax", "--example", "--channels", "twitter", "--media",
                  image.string(), "--alt", "नकाशा", "--dry-run"});
  check_reported(r, 65);
  CHECK_THAT(r.err, Contains("the file name contains a line break (\\n)"));
}

TEST_CASE("a bad --attach file name stops the post before anything is sent, never a deferral later", "[e2e][input]") {
  XSetup x;
  x.with_email();
  const auto file = x.sample.write("attach/circular\r\n12.pdf", "%PDF-1.7\n%samvad\n");
  auto r = x.run({"post", "property-tax-deadline", "-d", "water-supply", "--example", "--attach", file.string(), "--yes"});
  check_reported(r, 65);
  CHECK_THAT(r.err, Contains("it contains a line break (CR or LF), which would end the header field"));
  CHECK(x.smtp.messages().empty());
  CHECK(x.live_posts().empty());
  CHECK_FALSE(std::filesystem::exists(x.state()));  // nothing was even planned into the store
}

TEST_CASE("command-line text that is not UTF-8 is refused with 65, naming the option", "[e2e][input]") {
  SampleSetup s;
  auto var = s.run(water_preview({"--var", "areas.mr=निगडी \xE0\xA4"}));
  check_reported(var, 65);
  CHECK_THAT(var.err, Contains("--var areas.mr: the value is not valid UTF-8"));
  auto json = s.run(water_preview({"--json", "--var", "areas=caf\xE9"}));
  check_reported(json, 65);
  CHECK(samvad::test::parse_json(json).at("exit_code") == 65);

  auto text = s.run({"post", "--text", "पाणीपुरवठा \xFF", "-d", "health", "--dry-run"});
  check_reported(text, 65);
  CHECK_THAT(text.err, Contains("--text is not valid UTF-8 (at byte 32)"));

  const auto image = s.write("map.png", std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, '\0'));
  auto alt = s.run({"post", "--text", "पाणीपुरवठा", "-d", "health", "--media", image.string(), "--alt", "नकाशा\xE9", "--dry-run"});
  check_reported(alt, 65);
  CHECK_THAT(alt.err, Contains("--alt for " + image.string() + " is not valid UTF-8"));

  auto count = s.run({"count", "--json", "abc\xFF"});
  CHECK(count.exit_code == 65);
  CHECK(samvad::test::parse_json(count).at("valid") == false);
  auto piped = s.run({"count"}, ProcessOptions{{}, std::string("पाणी\xE0\n"), {}});
  CHECK(piped.exit_code == 65);
  CHECK_THAT(piped.out, Contains("not valid as a single tweet"));
}

TEST_CASE("a file that is not UTF-8 is refused at its first bad byte with file:line:column", "[e2e][input]") {
  SampleSetup s;
  // A vars file saved as Latin-1: 65, like any other bad value.
  const auto vars = s.write("vars/latin1.yaml", "areas: Nigdi\ndate: 2026-12-03\nfrom: \"09:00\"\nto: \"17:00\"\nnote: caf\xE9\n");
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--vars", vars.string()});
  check_reported(r, 65);
  CHECK_THAT(r.err, Contains(vars.string() + ":5:10: the text is not valid UTF-8 here (byte 0xE9); expected UTF-8 text"));

  // A template, departments.yaml, schedule.yaml: 78.
  s.edit("templates/road-closure.yaml", "kind: service-notice", "kind: service-notice  # \xE0\xA4");
  auto t = s.run({"preview", "road-closure", "-d", "roads", "--example"});
  check_reported(t, 78);
  CHECK_THAT(t.err, Contains("road-closure.yaml:2:25: the text is not valid UTF-8 here (byte 0xE0)"));
  auto check = s.run({"check"});
  check_reported(check, 78);
  CHECK_THAT(check.err, Contains("road-closure.yaml:2:25"));

  const auto schedule = s.write("schedule.yaml", "entries:\n  - id: x\xFF\n");
  auto sched = s.run({"schedule", "--schedule", schedule.string()});
  check_reported(sched, 78);
  CHECK_THAT(sched.err, Contains("schedule.yaml:2:10: the text is not valid UTF-8 here (byte 0xFF)"));

  s.edit("departments.yaml", "    hashtags: [PCMC, RoadUpdate]", "    hashtags: [PCMC, RoadUpdate]  # caf\xE9");
  auto config = s.run({"departments"});
  check_reported(config, 78);
  CHECK_THAT(config.err, Contains("departments.yaml:") && Contains("not valid UTF-8 here (byte 0xE9)"));
}

TEST_CASE("a template file name or a path that is not UTF-8 is an error, and --json output stays JSON", "[e2e][input]") {
  SampleSetup s;
  s.write("templates/caf\xE9.yaml", samvad::test::read_file(s.dir() / "templates" / "road-closure.yaml"), 0644);
  auto templates = s.run({"templates", "--json"});
  check_reported(templates, 78);
  CHECK_THAT(templates.err, Contains("caf\\xE9.yaml: the template's name (its file name) contains a byte that is not UTF-8"));
  CHECK(samvad::test::parse_json(templates).at("exit_code") == 78);

  auto config = samvad::test::run_samvad({"-c", (s.dir() / "x\xFF.yaml").string(), "check", "--json"});
  check_reported(config, 66);
  CHECK(samvad::test::parse_json(config).at("exit_code") == 66);
}

TEST_CASE("a subscriber line that is not UTF-8 is reported with file:line and skipped", "[e2e][input]") {
  SampleSetup s;
  s.write("lists/roads.txt", "ok@example.org\ncaf\xE9@example.org\nalso-ok@example.org\n", 0644);
  auto r = s.run({"check"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("lists/roads.txt:2:4: 'caf\\xE9@example.org' is not valid UTF-8"));
  CHECK_FALSE(has_raw_control(r.err));
  CHECK(s.run({"check", "--strict"}).exit_code == 65);
  auto preview = s.run({"preview", "road-closure", "-d", "roads", "--example", "--json"});
  REQUIRE(preview.exit_code == 0);
  CHECK(samvad::test::parse_json(preview).at("items").at(0).at("email").at("recipients") == 2);
}

TEST_CASE("a directory, a FIFO or a device where a file is expected is refused at once with 66", "[e2e][input]") {
  SampleSetup s;
  auto dir = samvad::test::run_samvad({"-c", s.dir().string(), "departments"});
  check_reported(dir, 66);
  CHECK_THAT(dir.err, Contains(s.dir().string() + ": is a directory; expected a configuration file"));

  const std::string fifo = make_fifo(s, "pipe");
  auto vars = run_bounded(s, water_preview({"--vars", fifo}));
  check_reported(vars, 66);
  CHECK_THAT(vars.err, Contains(fifo + ": is a FIFO (named pipe), not a regular file; expected a vars file"));

  for (const std::string& file : {fifo, std::string("/dev/zero"), s.dir().string()}) {
    INFO(file);
    auto attach = run_bounded(s, {"post", "property-tax-deadline", "-d", "property-tax", "--example", "--attach", file, "--dry-run"});
    check_reported(attach, 66);
    CHECK_THAT(attach.err, Contains("--attach " + file + ": is a"));
    auto media = run_bounded(s, {"post", "--text", "x", "-d", "health", "--media", file, "--alt", "a", "--dry-run"});
    check_reported(media, 66);
    CHECK_THAT(media.err, Contains("--media " + file + ": is a"));
  }

  auto schedule = run_bounded(s, {"schedule", "--schedule", fifo});
  check_reported(schedule, 66);

  // A credentials "file" that is a directory is not a file with loose permissions (77).
  auto credentials = run_bounded(s, {"--credentials", s.dir().string(), "check"});
  check_reported(credentials, 66);
  CHECK_THAT(credentials.err, Contains(s.dir().string() + ": is a directory; expected a credentials file"));

  // A subscriber file that is a directory: 66 at the line of departments.yaml naming it.
  s.edit("departments.yaml", "subscribers: lists/roads.txt", "subscribers: lists");
  auto list = run_bounded(s, {"check"});
  check_reported(list, 66);
  CHECK_THAT(list.err, Contains("departments.yaml:") && Contains(": subscriber file ") &&
                           Contains("lists: is a directory; expected a subscriber file"));
}

TEST_CASE("a file over the limit for its kind is refused before it is read", "[e2e][input]") {
  SampleSetup s;
  auto vars = s.run(water_preview({"--vars", sparse(s, "vars/huge.yaml", 2 * MiB)}));
  check_reported(vars, 65);
  CHECK_THAT(vars.err, Contains("huge.yaml: is 2 MB; expected a vars file of at most 1 MB"));

  auto config = samvad::test::run_samvad({"-c", sparse(s, "huge-departments.yaml", 3 * MiB), "departments"});
  check_reported(config, 78);
  CHECK_THAT(config.err, Contains("is 3 MB; expected a configuration file of at most 1 MB"));

  auto attach = s.run({"post", "property-tax-deadline", "-d", "property-tax", "--example", "--attach",
                       sparse(s, "scan.pdf", 21 * MiB, "%PDF-1.7\n"), "--dry-run"});
  check_reported(attach, 65);
  CHECK_THAT(attach.err, Contains("scan.pdf: is 21 MB; expected a file to attach of at most 20 MB"));

  auto media = s.run({"post", "--text", "x", "-d", "health", "--media",
                      sparse(s, "huge.png", 16 * MiB, std::string("\x89PNG\r\n\x1A\n", 8)), "--alt", "a", "--dry-run"});
  check_reported(media, 65);
  CHECK_THAT(media.err, Contains("huge.png: is 16 MB; expected an image file of at most 15 MB"));

  sparse(s, "lists/roads.txt", 65 * MiB, "a@example.org\n");
  auto list = s.run({"check"});
  check_reported(list, 65);
  CHECK_THAT(list.err, Contains("is 65 MB; expected a subscriber file of at most 64 MB"));

  sparse(s, "templates/huge.yaml", 2 * MiB, "kind: scheme\n");
  auto templates = s.run({"templates"});
  check_reported(templates, 78);
  CHECK_THAT(templates.err, Contains("huge.yaml: is 2 MB; expected a template file of at most 1 MB"));
}

TEST_CASE("text from files and the command line is escaped and cut when an error or warning quotes it", "[e2e][input]") {
  SampleSetup s;
  s.write("lists/roads.txt",
          "ok@example.org\n\x1B]0;pwned\x07\x1B[2J@example.org\n" + std::string(5000, 'x') + "@example.org\n", 0644);
  auto check = s.run({"check"});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  CHECK_FALSE(has_raw_control(check.err));
  CHECK_THAT(check.err, Contains("lists/roads.txt:2:1: '\\x1B]0;pwned\\x07\\x1B[2J@example.org' is not a valid email address"));
  CHECK_THAT(check.err, Contains("lists/roads.txt:3:1: '" + std::string(79, 'x') + "…' is not a valid email address"));
  CHECK(longest_line(check.err) < 300);

  auto department = s.run({"preview", "road-closure", "-d", "\x1B[31mroads\x1B[0m", "--example"});
  check_reported(department, 64);
  CHECK_THAT(department.err, Contains("unknown department '\\x1B[31mroads\\x1B[0m'"));

  auto template_name = s.run({"preview", std::string(3000, 'w') + "\x1B[2J", "--all"});
  check_reported(template_name, 66);
  CHECK(longest_line(template_name.err) < 1000);

  const auto vars = s.write("vars/escape.yaml", "\"\\e[2Jareas\": x\n");
  auto var_key = s.run(water_preview({"--vars", vars.string()}));
  check_reported(var_key, 65);
  CHECK_THAT(var_key.err, Contains("'\\x1B[2Jareas' is not a variable name"));

  // yaml-cpp takes keys of up to 1024 characters.
  s.edit("departments.yaml", "    hashtags: [PCMC, RoadUpdate]", "    hashtags: [PCMC, RoadUpdate]\n    " + std::string(1000, 'k') + ": 1");
  auto key = s.run({"departments"});
  check_reported(key, 78);
  CHECK_THAT(key.err, Contains("unknown key '" + std::string(79, 'k') + "…'"));
  CHECK(longest_line(key.err) < 400);
}

TEST_CASE("post --channels email is not stopped by a tweet that would be too long", "[e2e][input]") {
  XSetup x;
  x.with_email();
  // road-closure says thread: false; this diversion makes its tweet too long for one post.
  const std::string diversion = "diversion=" + std::string(30, 'x') + " " + long_marathi(2);
  auto preview = x.run({"preview", "road-closure", "-d", "roads", "--example", "--var", diversion});
  check_reported(preview, 65);
  CHECK_THAT(preview.err, Contains("thread: false"));
  auto both = x.run({"post", "road-closure", "-d", "roads", "--example", "--var", diversion, "--yes"});
  check_reported(both, 65);
  CHECK(x.smtp.messages().empty());

  auto email = x.run({"post", "road-closure", "-d", "roads", "--example", "--var", diversion, "--channels", "email", "--yes", "--json"});
  INFO(email.err);
  REQUIRE(email.exit_code == 0);
  auto j = samvad::test::parse_json(email);
  CHECK(j.at("status") == "delivered");
  REQUIRE(j.at("deliveries").size() == 1);
  CHECK(j.at("deliveries").at(0).at("channel") == "email");
  CHECK(x.smtp.messages().size() == 1);
  CHECK(x.live_posts().empty());
}

TEST_CASE("an unescaped {{{name}}} or {{&name}} in email.html is a check warning", "[e2e][input]") {
  SampleSetup s;
  s.edit("lists/water-supply.txt", "not-an-address\n", "");  // the sample's own warning
  s.edit("templates/road-closure.yaml", "<p>", "<p>{{{road}}} ");
  auto r = s.run({"check"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("warning:") && Contains("road-closure.yaml:") &&
                        Contains(": '{{{road}}}' puts its value into the HTML unescaped") && Contains("expected {{road}}"));
  CHECK(s.run({"check", "--strict"}).exit_code == 78);
}

TEST_CASE("a thread of more than 25 posts is refused before anything is sent, in preview, check and post alike",
          "[e2e][input]") {
  XSetup x;
  x.with_email();
  // scheme-launch says thread: true; this eligibility makes its tweets about 30 posts long.
  const std::string eligibility = "eligibility=" + long_marathi(70);
  auto preview = x.run({"preview", "scheme-launch", "-d", "water-supply", "--example", "--var", eligibility});
  check_reported(preview, 65);
  CHECK_THAT(preview.err, Contains("the mr tweet of template 'scheme-launch' for department 'water-supply': the text is ") &&
                              Contains(" characters long as X counts them and needs ") && Contains(" posts as a thread") &&
                              Contains("a thread has at most 25 posts") && Contains("link to it"));

  auto post = x.run({"post", "scheme-launch", "-d", "water-supply", "--example", "--var", eligibility, "--yes"});
  check_reported(post, 65);
  auto text = x.run({"post", "--text", long_marathi(70), "-d", "health", "--yes"});
  check_reported(text, 65);
  CHECK_THAT(text.err, Contains("--text: the text is"));
  CHECK(x.live_posts().empty());
  CHECK(x.smtp.messages().empty());

  x.sample.edit("templates/scheme-launch.yaml", "example: {en: \"8888006666\"", "example: {en: \"" + long_marathi(70) + "\"");
  auto check = x.run({"check"});
  INFO(check.err);
  CHECK(check.exit_code == 65);
  CHECK_THAT(check.err, Contains("template scheme-launch for department water-supply: the en tweet") &&
                            Contains("a thread has at most 25 posts"));
}

TEST_CASE("odd values of every command's options give a documented exit code, never 70", "[e2e][input]") {
  SampleSetup s;
  s.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"), 0644);
  const std::string state = (s.dir() / "state" / "state.db").string();
  const std::string nine = "99999999999999999999";
  struct Case {
    std::vector<std::string> args;
    int code;
  };
  const std::vector<Case> cases{
      {{"schedule", "--now", "9999-12-31T23:59"}, 64},
      {{"schedule", "--now", "0001-01-01T00:00"}, 64},
      {{"schedule", "--now", "1969-12-31T23:59"}, 64},
      {{"schedule", "--now", "2199-12-31T23:59", "--days", "366"}, 0},
      {{"schedule", "--now", ""}, 64},
      {{"schedule", "--days", nine}, 64},
      {{"schedule", "--days", "-1"}, 64},
      {{"run-due", "--now", "9999-12-31T23:59", "--yes"}, 64},
      {{"check", "--now", "9999-12-31T23:59"}, 64},
      {{"check", "--now", "0001-01-01"}, 64},
      {{"schedule", "--catch-up", "999999d"}, 64},
      {{"schedule", "--catch-up", ""}, 64},
      {{"run-due", "--now", "2026-11-01T00:00", "--catch-up", "366d", "--dry-run"}, 0},
      {{"templates", ""}, 66},
      {{"templates", "\x1B[2J"}, 66},
      {{"run-due", "--now", "2026-12-03T07:00", "--catch-up", "", "--yes"}, 64},
      {{"run-due", "--now", "2026-12-03T07:00", "--catch-up", "1234567d", "--yes"}, 64},
      {{"run-due", "--now", "2026-12-03T07:00", "--catch-up", "1" + std::string(100000, ' ') + "x", "--yes"}, 64},
      {{"run-due", "--now", "2026-12-03T07:00", "--catch-up", "-2h", "--yes"}, 64},
      {{"run-due", "--now", "2026-12-03T07:00", "--catch-up", "999999d", "--yes"}, 64},
      {{"run-due", "--now", "2026-11-01T00:00", "--catch-up", "366d", "--yes"}, 0},
      {{"run-due", "--jobs", nine, "--yes"}, 64},
      {{"run-due", "--jobs", "0", "--yes"}, 64},
      {{"run-due", "--max-wait", nine, "--yes"}, 64},
      {{"history", "--since", "9999-12-31"}, 64},
      {{"history", "--since", "0000-01-01"}, 64},
      {{"history", "--since", ""}, 64},
      {{"history", "--limit", nine}, 64},
      {{"history", "--limit", "0"}, 64},
      {{"history", "--limit", "2147483647"}, 0},
      {{"post", "--text", "x", "-d", "health", "--jobs", nine, "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--jobs", "-5", "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--max-wait", nine, "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--max-wait", "-1", "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--max-wait", "2147483647", "--dry-run"}, 0},
      {{"post", "--text", "", "-d", "health", "--dry-run"}, 65},
      {{"post", "--text", "x", "-d", "", "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--id", "", "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--id", std::string(100000, 'a'), "--dry-run"}, 64},
      {{"post", "--text", "x", "-d", "health", "--media", "", "--alt", "a", "--dry-run"}, 66},
      {{"post", "--text", "x", "-d", "health", "--media", "/nonexistent.png", "--alt", "", "--dry-run"}, 66},
      {{"post", "water-supply-interruption", "-d", "water-supply", "--example", "--attach", "", "--dry-run"}, 66},
      {{"post", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "", "--dry-run"}, 64},
      {{"post", "water-supply-interruption", "-d", "water-supply", "--example", "--vars", "", "--dry-run"}, 66},
      {{"post", "water-supply-interruption", "-d", "water-supply", "--example", "--channels", "fax", "--dry-run"}, 64},
      {{"preview", "", "--all"}, 66},
      {{"preview", "water-supply-interruption", "--all", "--example", "--lang", ""}, 64},
      {{"preview", "water-supply-interruption", "-d", "water-supply", "--var", "date=9999-99-99", "--example"}, 65},
      {{"preview", "water-supply-interruption", "-d", "water-supply", "--var", "from=99:99", "--example"}, 65},
      {{"preview", "application-deadline-reminder", "--all", "--example", "--var", "days_left=" + nine + nine}, 65},
      {{"count", ""}, 65},
      {{"count", std::string(100000, 'a')}, 65},
      {{"status", ""}, 66},
      {{"retract", "", "--yes"}, 66},
      {{"authorize", ""}, 64},
      {{"--templates", "", "templates"}, 66},
      {{"--credentials", "", "check"}, 66},
      {{"history", "-d", ""}, 64},
  };
  for (const auto& c : cases) {
    std::string shown_args;
    for (const auto& a : c.args) shown_args += " '" + a.substr(0, 40) + (a.size() > 40 ? "…" : "") + "'";
    INFO("samvad" << shown_args);
    std::vector<std::string> args{"--state", state};  // never the state of whoever runs the tests
    args.insert(args.end(), c.args.begin(), c.args.end());
    check_reported(s.run(args), c.code);
  }
}
