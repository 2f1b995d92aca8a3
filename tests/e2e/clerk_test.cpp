// The clerk's daily friction, tried as a new clerk would: hints that lead to the right content
// (how to give a missing variable, warnings for values that are valid but look wrong), a
// command line that forgives the usual slips and says what it expected, and help whose
// examples run and whose options match the man page and the bash completion.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <samvad/schedule/cron.hpp>

#include "support/e2e_helpers.hpp"
#include "support/process.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"

using samvad::test::ProcessOptions;
using samvad::test::ProcessResult;
using samvad::test::run_samvad;
using samvad::test::SampleSetup;
using samvad::test::XSetup;
using Catch::Contains;
using Catch::StartsWith;

namespace {

// A day `days` from today in the sample organization's time zone, as YYYY-MM-DD (and the time).
samvad::schedule::LocalTime kolkata_in(int days) {
  const std::string zone = "Asia/Kolkata";
  auto now = samvad::schedule::to_local(std::chrono::system_clock::now(), zone);
  return samvad::schedule::to_local(samvad::schedule::to_instant(now, zone) + std::chrono::hours(24 * days), zone);
}
std::string day_in(int days) { return samvad::schedule::to_iso(kolkata_in(days)).substr(0, 10); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The lines of one section of CLI11's help ("Options:", "Subcommands:"), up to the blank line.
std::vector<std::string> help_section(const std::string& help, const std::string& heading) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& line : lines_of(help)) {
    if (line == heading) {
      in = true;
      continue;
    }
    if (in && line.empty()) break;
    if (in) out.push_back(line);
  }
  return out;
}

// "  -d,--department TEXT ...  department id" -> {"-d", "--department"}, for every option line.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> out;
  for (const auto& line : help_section(help, "Options:")) {
    auto words = words_of(line);
    if (words.empty() || words.front().front() != '-') continue;
    std::istringstream names(words.front());
    for (std::string name; std::getline(names, name, ',');) out.insert(name);
  }
  return out;
}

std::vector<std::string> help_commands(const std::string& help) {
  std::vector<std::string> out;
  for (const auto& line : help_section(help, "Subcommands:")) out.push_back(words_of(line).front());
  return out;
}

// The example lines after "Examples:", which must end the help.
std::vector<std::string> help_examples(const std::string& help) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& line : lines_of(help)) {
    if (line == "Examples:") {
      in = true;
      continue;
    }
    if (in && !line.empty()) out.push_back(line.substr(line.find_first_not_of(' ')));
  }
  return out;
}

// The option names a roff line mentions: "\-d", "\-\-department", in any font.
std::set<std::string> roff_options(std::string line) {
  line = std::regex_replace(line, std::regex(R"(\\f[BIRP])"), "");
  line = std::regex_replace(line, std::regex(R"(\\-)"), "-");
  line = std::regex_replace(line, std::regex(R"(\\~)"), " ");
  line = std::regex_replace(line, std::regex(R"(^\.[A-Z]+ )"), " ");
  std::set<std::string> out;
  static const std::regex option(R"((?:^|[\s\[(|,"])(--?[A-Za-z][A-Za-z0-9-]*))");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), option); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

// What doc/samvad.1 documents: the tags (the line after .TP) of GLOBAL OPTIONS under "", and
// in COMMANDS each command's heading tag plus the tags of its .RS ... .RE block, by command.
std::map<std::string, std::set<std::string>> man_options(const std::string& roff) {
  std::map<std::string, std::set<std::string>> out;
  std::string section, command;
  int depth = 0;
  bool tag_next = false;
  for (const auto& line : lines_of(roff)) {
    if (line.rfind(".SH ", 0) == 0) {
      section = line.substr(4);
      depth = 0;
      continue;
    }
    if (line == ".RS") ++depth;
    if (line == ".RE") --depth;
    if (line == ".TP") {
      tag_next = true;
      continue;
    }
    if (!tag_next) continue;
    tag_next = false;
    if (section == "\"GLOBAL OPTIONS\"" || section == "GLOBAL OPTIONS") {
      auto names = roff_options(line);
      out[""].insert(names.begin(), names.end());
    } else if (section == "COMMANDS") {
      if (depth == 0) {
        std::string tag = std::regex_replace(line, std::regex(R"(\\-)"), "-");
        tag = std::regex_replace(tag, std::regex(R"(^\.[A-Z]+ |\\~.*)"), "");
        command = words_of(tag).front();
        out[command];  // a command without options is documented too
      }
      auto names = roff_options(line);
      out[command].insert(names.begin(), names.end());
    }
  }
  return out;
}

// What the bash completion offers: _samvad_global_options, _samvad_commands, and per command
// the words of its "name) echo ... ;;" case in _samvad_command_options.
std::map<std::string, std::set<std::string>> completion_options(const std::string& script, std::vector<std::string>& commands) {
  std::map<std::string, std::set<std::string>> out;
  std::smatch m;
  std::string flat = std::regex_replace(script, std::regex(R"(\\\n)"), " ");
  REQUIRE(std::regex_search(flat, m, std::regex(R"(_samvad_global_options='([^']*)')")));
  for (const auto& w : words_of(m[1])) out[""].insert(w);
  REQUIRE(std::regex_search(flat, m, std::regex(R"(_samvad_commands='([^']*)')")));
  commands = words_of(m[1]);
  auto begin = flat.find("_samvad_command_options() {");
  REQUIRE(begin != std::string::npos);
  std::string body = flat.substr(begin, flat.find("\n}", begin) - begin);
  static const std::regex entry(R"(([a-z-]+)\)\s*echo([^;]*);;)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry); it != std::sregex_iterator(); ++it)
    for (const auto& w : words_of((*it)[2])) out[(*it)[1]].insert(w);
  return out;
}

// Runs one example as the shell line it is, `samvad` being the binary under test.
ProcessResult run_example(const std::string& example, const XSetup& x, const std::string& input) {
  ProcessOptions o;
  o.cwd = x.sample.dir();
  o.env["SAMVAD_CONFIG"] = x.sample.config().string();
  o.env["SAMVAD_STATE"] = x.state().string();
  o.env["SAMVAD_BACKOFF_MS"] = "20";
  o.stdin_text = input;
  return samvad::test::run_process(
      {"/bin/sh", "-c", std::string("samvad() { '") + SAMVAD_BINARY + "' \"$@\"; }\n" + example}, o);
}

}  // namespace

// --- 21: hints that lead to the right content ---

TEST_CASE("a missing text variable's error shows both ways to give it", "[e2e][clerk]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "date=" + day_in(3), "--var",
                  "from=09:00", "--var", "to=17:00"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Contains("missing required variable 'areas' (Affected areas, comma-separated); expected "
                             "--var areas.mr=… --var areas.en=… (the text in each language), or --var areas=… for "
                             "every language, or --example"));
  // A date shows its form, not a per-language one.
  auto no_date = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=निगडी", "--var",
                        "areas.en=Nigdi", "--var", "from=09:00", "--var", "to=17:00"});
  CHECK(no_date.exit_code == 65);
  CHECK_THAT(no_date.err, Contains("expected --var date=YYYY-MM-DD, or --example"));
  // Given for one language only: the missing one.
  auto one = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=निगडी", "--var",
                    "date=" + day_in(3), "--var", "from=09:00", "--var", "to=17:00"});
  CHECK(one.exit_code == 65);
  CHECK_THAT(one.err, Contains("missing required variable 'areas' for en") && Contains("expected --var areas.en=…"));
}

TEST_CASE("a Marathi text value without Devanagari letters is a warning", "[e2e][clerk]") {
  SampleSetup s;
  const std::vector<std::string> rest{"--var", "date=" + day_in(3), "--var", "from=09:00", "--var", "to=17:00"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), rest.begin(), rest.end());
    return s.run(args);
  };
  auto common = with({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas=Nigdi, Akurdi"});
  CHECK(common.exit_code == 0);
  CHECK_THAT(common.err, Contains("warning: variable 'areas' has one value for every language, 'Nigdi, Akurdi', with no "
                                  "Devanagari letters, so the Marathi text shows it as it is; expected --var areas.mr=… "
                                  "--var areas.en=… (Marathi in Devanagari)"));

  auto latin_mr = with({"post", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=Nigdi", "--var",
                        "areas.en=Nigdi", "--dry-run"});
  CHECK(latin_mr.exit_code == 0);
  CHECK_THAT(latin_mr.err, Contains("warning: variable 'areas' for mr is 'Nigdi', with no Devanagari letters; expected "
                                    "Marathi written in Devanagari"));

  // Devanagari with an English name in it, and a value without letters, are fine.
  auto right = with({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=निगडी (Nigdi), ४२",
                     "--var", "areas.en=Nigdi"});
  CHECK(right.exit_code == 0);
  CHECK_THAT(right.err, !Contains("Devanagari"));
  // A department that posts in Marathi only is warned too.
  auto marathi_only = s.run({"preview", "health-camp", "-d", "education", "--example", "--var", "camp=Eye camp"});
  CHECK_THAT(marathi_only.err, Contains("variable 'camp' has one value for every language, 'Eye camp'"));
}

TEST_CASE("a date in the past and a from after its to are warnings in preview and post", "[e2e][clerk]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=निगडी", "--var",
                  "areas.en=Nigdi", "--var", "date=" + day_in(-1), "--var", "from=17:00", "--var", "to=09:00"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("warning: variable 'date' is " + day_in(-1) + ", before today, " + day_in(0) +
                             " in Asia/Kolkata; expected a date still to come"));
  CHECK_THAT(r.err, Contains("warning: variable 'from' (17:00) is after 'to' (09:00); expected from before to"));

  // Dates paired by name: from_date after to_date; a span that still runs is not in the past.
  auto road = s.run({"post", "road-closure", "-d", "roads", "--example", "--var", "from_date=" + day_in(5), "--var",
                     "to_date=" + day_in(2), "--dry-run"});
  CHECK(road.exit_code == 0);
  CHECK_THAT(road.err, Contains("variable 'from_date' (" + day_in(5) + ") is after 'to_date' (" + day_in(2) + ")"));
  auto ongoing = s.run({"post", "road-closure", "-d", "roads", "--example", "--var", "from_date=" + day_in(-2), "--var",
                        "to_date=" + day_in(2), "--dry-run"});
  CHECK(ongoing.exit_code == 0);
  CHECK_THAT(ongoing.err, !Contains("before today") && !Contains("is after"));

  auto fine = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas.mr=निगडी", "--var",
                     "areas.en=Nigdi", "--var", "date=" + day_in(0), "--var", "from=09:00", "--var", "to=17:00"});
  INFO(fine.err);
  CHECK(fine.exit_code == 0);
  CHECK_THAT(fine.err, !Contains("variable"));
}

TEST_CASE("check judges a scheduled entry's dates against its occurrences, --strict fails on them", "[e2e][clerk]") {
  SampleSetup s;
  s.edit("lists/water-supply.txt", "\nnot-an-address", "\n");  // the sample's deliberate warning
  auto entry = [](const std::string& id, const std::string& at, const std::string& date) {
    return "  - id: " + id + "\n    template: water-supply-interruption\n    departments: [water-supply]\n" +
           "    vars: {areas: {mr: \"निगडी\", en: \"Nigdi\"}, date: " + date + ", from: \"09:00\", to: \"17:00\"}\n" +
           "    at: [" + at + "]\n";
  };
  const std::string soon = day_in(10) + "T07:00";
  // The date is still to come today, but will have passed when the notice goes out.
  s.write("schedule.yaml", "entries:\n" + entry("late-notice", soon, day_in(5)) + entry("timely-notice", soon, day_in(10)));
  auto r = s.run({"check"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("schedule entry late-notice: variable 'date' is " + day_in(5) + ", before the occurrence at " + soon));
  CHECK_THAT(r.err, !Contains("timely-notice"));
  CHECK(s.run({"check", "--strict"}).exit_code == 65);

  s.write("schedule.yaml", "entries:\n" + entry("timely-notice", soon, day_in(10)));
  auto clean = s.run({"check", "--strict"});
  INFO(clean.err);
  CHECK(clean.exit_code == 0);
}

// --- 22: the command line ---

TEST_CASE("repeatable options take one value each, so the TEMPLATE may follow them", "[e2e][clerk]") {
  SampleSetup s;
  auto preview = s.run({"preview", "-d", "water-supply", "water-supply-interruption", "--example", "--json"});
  INFO(preview.err);
  REQUIRE(preview.exit_code == 0);
  CHECK(nlohmann::json::parse(preview.out).at("items").size() == 1);

  auto post = s.run({"post", "-d", "water-supply", "--var", "areas=x", "water-supply-interruption", "--example", "--dry-run"});
  INFO(post.err);
  CHECK(post.exit_code == 0);
  CHECK_THAT(post.out, Contains("announcement water-supply-interruption-"));

  auto retract = s.run({"retract", "-d", "water-supply", "some-announcement", "--yes"});
  CHECK_THAT(retract.err, !Contains("required"));  // the ID was taken as the ID
}

TEST_CASE("a comma-separated -d works like --channels", "[e2e][clerk]") {
  SampleSetup s;
  auto r = s.run({"preview", "scheme-launch", "-d", "water-supply,health", "--example", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto items = nlohmann::json::parse(r.out).at("items");
  REQUIRE(items.size() == 2);
  CHECK(items.at(0).at("department") == "water-supply");
  CHECK(items.at(1).at("department") == "health");
}

TEST_CASE("a mistyped command or option says what was meant", "[e2e][clerk]") {
  auto command = run_samvad({"preveiw", "water-supply-interruption"});
  CHECK(command.exit_code == 64);
  CHECK_THAT(command.err, StartsWith("samvad: error: unknown command 'preveiw' (did you mean 'preview'?); expected one of: check, "));
  auto option = run_samvad({"post", "--dryrun"});
  CHECK(option.exit_code == 64);
  CHECK_THAT(option.err, StartsWith("samvad: error: unknown option '--dryrun' for post (did you mean '--dry-run'?)"));
}

TEST_CASE("bare samvad prints the help", "[e2e][clerk]") {
  auto r = run_samvad({});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.out, Contains("Usage: samvad [OPTIONS] SUBCOMMAND") && Contains("Subcommands:") && Contains("preview") &&
                        Contains("Examples:"));
}

TEST_CASE("every parser error has the samvad: error: prefix and honours --json", "[e2e][clerk]") {
  const std::vector<std::vector<std::string>> bad{
      {"preveiw"},           {"post", "--dryrun"},     {"count", "--no-such-flag"}, {"post", "--jobs", "many"},
      {"preview"},           {"preview", "x", "--var"}, {"departments", "extra"},   {"-c"},
      {"history", "--limit"}, {"--quiet"}};
  for (const auto& args : bad) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    INFO(line);
    auto text = run_samvad(args);
    CHECK(text.exit_code == 64);
    CHECK_THAT(text.err, StartsWith("samvad: error: "));
    CHECK(lines_of(text.err).size() == 1);
    CHECK_THAT(text.err, !Contains("Run with --help"));

    auto with_json = args;
    with_json.insert(with_json.begin(), "--json");
    auto json = run_samvad(with_json);
    CHECK(json.exit_code == 64);
    auto j = samvad::test::parse_json(json);
    CHECK(j.at("exit_code") == 64);
    CHECK(j.at("problems").at(0).at("exit_code") == 64);
    CHECK_THAT(json.err, Contains(j.at("problems").at(0).at("message").get<std::string>()));
    CHECK_THAT(json.err, Contains(j.at("error").get<std::string>()));
  }
}

TEST_CASE("history -d with an unknown department is a usage error with a suggestion", "[e2e][clerk]") {
  XSetup x;
  auto none = x.run({"history", "-d", "water-suply"});  // no store yet
  CHECK(none.exit_code == 64);
  CHECK_THAT(none.err, Contains("unknown department 'water-suply' (did you mean 'water-supply'?)"));

  REQUIRE(x.run({"post", "--text", "पाणीपुरवठा सुरळीत #PCMC", "-d", "water-supply", "--yes"}).exit_code == 0);
  auto typo = x.run({"history", "-d", "water-suply", "--json"});
  CHECK(typo.exit_code == 64);
  CHECK(samvad::test::parse_json(typo).at("exit_code") == 64);
  auto right = x.run({"history", "-d", "water-supply", "--json"});
  CHECK(right.exit_code == 0);
  CHECK(samvad::test::parse_json(right).size() == 1);
  auto other = x.run({"history", "-d", "health", "--json"});  // configured, nothing sent to it yet
  CHECK(other.exit_code == 0);
  CHECK(samvad::test::parse_json(other).empty());
}

TEST_CASE("templates NAME shows each variable with its example as --var arguments that work", "[e2e][clerk]") {
  SampleSetup s;
  auto r = s.run({"templates", "water-supply-interruption"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("areas  text, required — Affected areas, comma-separated"));
  CHECK_THAT(r.out, Contains("link  url, optional"));
  std::string examples;
  for (const auto& line : lines_of(r.out)) {
    auto at = line.find("example: ");
    if (at != std::string::npos) examples += " " + line.substr(at + 9);
  }
  CHECK_THAT(examples, Contains("--var areas.mr='निगडी, आकुर्डी' --var areas.en='Nigdi, Akurdi'") &&
                           Contains("--var date=2026-12-03") && Contains("--var from=09:00"));
  // Copied into a shell, the arguments are the template's examples.
  ProcessOptions o;
  for (const auto& [k, v] : s.env()) o.env[k] = v;
  auto shell = samvad::test::run_process({"/bin/sh", "-c", std::string("'") + SAMVAD_BINARY + "' -c '" + s.config().string() +
                                                               "' preview water-supply-interruption -d water-supply --json" + examples},
                                         o);
  auto with_examples = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--json"});
  INFO(shell.err);
  REQUIRE(shell.exit_code == 0);
  CHECK(nlohmann::json::parse(shell.out) == nlohmann::json::parse(with_examples.out));

  auto json = s.run({"templates", "water-supply-interruption", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("name") == "water-supply-interruption");
  CHECK(j.at("variables").at(0).at("example").at("mr") == "निगडी, आकुर्डी");
  CHECK(j.at("variables").at(1).at("example") == "2026-12-03");

  auto typo = s.run({"templates", "water-suply-interruption"});
  CHECK(typo.exit_code == 66);
  CHECK_THAT(typo.err, Contains("did you mean 'water-supply-interruption'?"));
}

TEST_CASE("count without TEXT on a terminal says it reads standard input", "[e2e][clerk]") {
  auto r = samvad::test::run_in_terminal({SAMVAD_BINARY, "count"}, "पाणीपुरवठा खंडित\n\x04");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("samvad: reading the text from standard input; end it with Ctrl-D"));
  CHECK_THAT(r.out, Contains("16/280"));
  // From a pipe, as in scripts, nothing but the count.
  ProcessOptions piped;
  piped.stdin_text = "पाणीपुरवठा खंडित\n";
  auto p = run_samvad({"count"}, piped);
  CHECK(p.exit_code == 0);
  CHECK(p.err.empty());
}

// --- 24: help with examples, and documentation that matches the binary ---

TEST_CASE("every command's --help ends with examples that run on the sample configuration", "[e2e][clerk]") {
  XSetup x;
  x.with_email();
  x.sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
  // One-off texts need approval, so post's --text example is held and the reject example has it
  // to refuse (the sample itself needs none).
  x.sample.edit("departments.yaml", "\ndepartments:\n", "\napprovals: {required: [text]}\n\ndepartments:\n");
  // The citizen's post the inbox and reply examples name: `inbox sync` (listed before reply)
  // records it.
  x.standin.add_mention({{"id", "1866240000000000000"},
                         {"author", {{"username", "rahul_k"}, {"name", "Rahul K"}}},
                         {"text", "@PCMCWaterSupply निगडीत नळाला पाणी येत नाही"},
                         {"lang", "mr"}});
  auto top = run_samvad({"--help"});
  REQUIRE(top.exit_code == 0);
  std::vector<std::string> commands = help_commands(top.out);
  REQUIRE(commands.size() >= 12);
  commands.insert(commands.begin(), "");  // samvad --help itself
  for (const auto& command : commands) {
    INFO("samvad " << command << " --help");
    auto help = command.empty() ? top : run_samvad({command, "--help"});
    REQUIRE(help.exit_code == 0);
    auto examples = help_examples(help.out);
    CHECK(!examples.empty());
    CHECK(examples.size() <= 3);
    for (const auto& example : examples) {
      INFO(example);
      auto words = words_of(example);
      CHECK(std::find(words.begin(), words.end(), "samvad") != words.end());
      if (!command.empty()) CHECK(std::find(words.begin(), words.end(), command) != words.end());
      // The PIN is for `authorize`, the only example that reads standard input.
      auto r = run_example(example, x, "7654321\n");
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
    }
  }
}

TEST_CASE("the man page and the bash completion list exactly the options of the binary", "[e2e][clerk]") {
  auto top = run_samvad({"--help"});
  REQUIRE(top.exit_code == 0);
  const std::set<std::string> globals = help_options(top.out);
  REQUIRE(globals.count("--config"));
  const std::vector<std::string> commands = help_commands(top.out);

  auto man = man_options(samvad::test::read_file(samvad::test::source_dir() / "doc/samvad.1"));
  std::vector<std::string> completed_commands;
  auto completion = completion_options(
      samvad::test::read_file(samvad::test::source_dir() / "cli/completion/samvad.bash"), completed_commands);

  CHECK(man[""] == globals);
  CHECK(completion[""] == globals);
  std::set<std::string> man_commands;
  for (const auto& [name, options] : man)
    if (!name.empty()) man_commands.insert(name);
  CHECK(man_commands == std::set<std::string>(commands.begin(), commands.end()));
  CHECK(completed_commands == commands);

  for (const auto& command : commands) {
    INFO(command);
    auto help = run_samvad({command, "--help"});
    REQUIRE(help.exit_code == 0);
    std::set<std::string> own = help_options(help.out);
    own.erase("-h");
    own.erase("--help");
    auto documented = man[command];
    // A command's entry may mention a global option (run-due's schedule); those are documented
    // above, unless the command has an option of that name (approve --schedule ENTRY).
    for (const auto& g : globals)
      if (!own.count(g)) documented.erase(g);
    CHECK(documented == own);
    CHECK(completion[command] == own);
  }
}
