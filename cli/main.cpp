// The samvad executable: parses arguments with CLI11, calls libsamvad, prints the result.
// Every behaviour lives in the library; this file only maps words to requests and results to text.
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <samvad/twitter/settings.hpp>
#include <samvad/app/check.hpp>
#include <samvad/app/count.hpp>
#include <samvad/app/listing.hpp>
#include <samvad/app/preview.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/core/no_dump.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/core/version.hpp>
#include <samvad/templates/template.hpp>

#include "commands.hpp"
#include "terminal.hpp"

namespace {

using samvad::Error;
using samvad::ExitCode;
using samvad::cli::Terminal;

std::string plural(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

int run_check(Terminal& term, const samvad::app::Paths& paths, bool strict, const std::optional<std::string>& now,
              bool online) {
  samvad::channel::Services services;
  if (online) services.http = samvad::cli::http_factory();
  samvad::app::CheckReport report = samvad::app::check(paths, now, online ? &services : nullptr);
  ExitCode code = report.exit_code(strict);
  if (term.options().json) {
    term.json(samvad::app::to_json(report, strict));
  } else {
    for (const auto& line : report.checked) term.out() << term.green("ok") << "  " << line << "\n";
  }
  term.warnings(report.warnings);
  if (!report.problems.empty()) {
    if (!term.options().json) term.error(Error(report.problems));
    else for (const auto& d : report.problems) std::cerr << "samvad: error: " << d.to_string() << "\n";
  }
  if (!term.options().json) {
    if (code == ExitCode::ok)
      term.out() << "check passed" << (report.warnings.empty() ? "" : " with " + plural(report.warnings.size(), "warning")) << "\n";
    else
      std::cerr << "samvad: check failed: " << plural(report.problems.size(), "problem") << ", "
                << plural(report.warnings.size(), "warning") << "\n";
  }
  return samvad::to_int(code);
}

int run_departments(Terminal& term, const samvad::app::Paths& paths) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("config: " + ws.config.path.string());
  if (term.options().json) {
    term.json(samvad::app::departments_json(ws.config));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : ws.config.departments) {
    std::string channels, languages, names;
    for (const auto& c : d.channels()) channels += (channels.empty() ? "" : ",") + c;
    for (const auto& l : d.languages) {
      languages += (languages.empty() ? "" : ",") + l;
      if (const std::string* n = d.name.find(l)) names += (names.empty() ? "" : " / ") + *n;
    }
    const samvad::twitter::Account* account = samvad::twitter::account_of(d);
    rows.push_back({d.id, channels.empty() ? "-" : channels, languages, account ? "@" + account->handle : "-", names});
  }
  term.table({"ID", "CHANNELS", "LANGUAGES", "TWITTER", "NAME"}, rows);
  return 0;
}

// One template: each variable with its type, whether it is required, its description and its
// example written as the --var arguments that give it, then a preview line to start from.
int run_template(Terminal& term, const samvad::app::Workspace& ws, const std::string& name) {
  auto tmpl = samvad::templates::load_template(samvad::templates::find_template(ws.templates_dir, name));
  if (term.options().json) {
    term.json(samvad::app::template_json(tmpl));
    return 0;
  }
  const auto languages = samvad::app::display_languages(tmpl, ws.config);
  auto& out = term.out();
  std::string titles;
  for (const auto& lang : languages)
    if (const std::string* t = tmpl.title.find(lang)) titles += (titles.empty() ? "" : " / ") + *t;
  out << term.bold(tmpl.name) << " (" << tmpl.kind << "): " << titles << "\n";
  if (tmpl.variables.empty()) out << "no variables\n";
  for (const auto& v : tmpl.variables) {
    out << "\n  " << term.bold(v.name) << "  " << samvad::templates::to_string(v.type) << ", "
        << (v.required ? "required" : "optional") << (v.description.empty() ? "" : " — " + v.description) << "\n";
    if (v.example) {
      std::string args;
      for (const auto& a : samvad::app::example_arguments(v, languages)) args += (args.empty() ? "" : " ") + a;
      out << "    " << term.dim("example:") << " " << args << "\n";
    }
  }
  out << "\nTry it with every example, then change what differs:\n  samvad preview " << tmpl.name << " -d DEPT --example\n";
  return 0;
}

int run_templates(Terminal& term, const samvad::app::Paths& paths, const std::optional<std::string>& name) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("templates: " + ws.templates_dir.string());
  if (name) return run_template(term, ws, *name);
  auto all = samvad::templates::load_templates(ws.templates_dir);
  if (term.options().json) {
    term.json(samvad::app::templates_json(all));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : all) {
    std::string vars, titles;
    for (const auto& v : t.variables) vars += (vars.empty() ? "" : ",") + v.name + (v.required ? "" : "?");
    for (const auto& [lang, title] : t.title.text) titles += (titles.empty() ? "" : " / ") + title;
    rows.push_back({t.name, t.kind, vars, titles});
  }
  term.table({"NAME", "KIND", "VARIABLES (? = optional)", "TITLE"}, rows);
  return 0;
}

void print_preview(Terminal& term, const samvad::app::PreviewResult& result) {
  auto& out = term.out();
  for (const auto& item : result.items) {
    out << term.bold("== " + item.department + " (template " + result.template_name + ")") << "\n";
    for (const auto& t : item.tweets) {
      std::size_t n = t.parts.size();
      out << term.bold("twitter " + t.language) << (n > 1 ? " — thread of " + std::to_string(n) + " parts" : "") << "\n";
      for (std::size_t i = 0; i < n; ++i) {
        const auto& p = t.parts[i];
        std::string label = (n > 1 ? std::to_string(i + 1) + "/" + std::to_string(n) + " " : "") + "[" +
                            std::to_string(p.weighted_length) + "/280]";
        out << term.dim(label) << "\n" << p.text << "\n\n";
      }
    }
    if (item.email) {
      out << term.bold("email") << " to " << plural(item.email->recipients, "recipient") << "\n";
      out << "Subject: " << item.email->subject << "\n\n" << item.email->text << "\n\n";
    }
    if (item.tweets.empty() && !item.email) out << term.dim("(nothing to send: no channel of this department has content in this template)") << "\n\n";
  }
}

int run_preview(Terminal& term, const samvad::app::Paths& paths, const samvad::app::PreviewRequest& request) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("config: " + ws.config.path.string() + ", templates: " + ws.templates_dir.string());
  auto result = samvad::app::preview(ws, request);
  term.warnings(result.warnings);
  if (term.options().json)
    term.json(samvad::app::to_json(result));
  else
    print_preview(term, result);
  return 0;
}

int run_count(Terminal& term, const std::vector<std::string>& words) {
  std::string text;
  if (words.empty()) {
    // On a terminal nothing would show that samvad is waiting for the text.
    if (::isatty(STDIN_FILENO) == 1 && !term.options().quiet)
      std::cerr << "samvad: reading the text from standard input; end it with Ctrl-D "
                   "(or give it as an argument: samvad count TEXT)\n";
    text = samvad::app::read_count_input(std::cin);
  } else {
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  }
  auto result = samvad::app::count(text);
  if (term.options().json) {
    term.json(samvad::app::to_json(result));
  } else {
    std::string verdict = result.remaining() >= 0 ? std::to_string(result.remaining()) + " remaining"
                                                  : std::to_string(-result.remaining()) + " over the limit";
    term.out() << result.weighted_length << "/" << result.max << " (" << verdict << ")"
               << (result.valid ? "" : " — not valid as a single tweet") << "\n";
  }
  return result.valid ? 0 : samvad::to_int(ExitCode::data);
}

// Repeatable options take one value per use (-d a -d b, or -d a,b where a delimiter is set), so
// they never swallow the TEMPLATE or ID that follows them.
CLI::Option* one_value_per_use(CLI::Option* option) { return option->allow_extra_args(false); }

// "-c/--config FILE, --json, ..." for every global option, from the options themselves so the
// help cannot forget one.
std::string global_options_line(const CLI::App& app) {
  std::string line;
  for (const CLI::Option* o : app.get_options()) {
    if (o == app.get_help_ptr()) continue;
    std::string names;
    for (const auto& s : o->get_snames()) names += (names.empty() ? "-" : "/-") + s;
    for (const auto& l : o->get_lnames()) names += (names.empty() ? "--" : "/--") + l;
    const std::string type = o->get_type_name();
    line += (line.empty() ? "" : ", ") + names + (type.empty() ? "" : " " + type);
  }
  return line;
}

// Global options are accepted after the command too; CLI11 lists only the command's own, so the
// footer names the others. Then the examples, which tests/e2e/clerk_test.cpp runs.
void set_footer(CLI::App* command, const std::string& globals, std::initializer_list<const char*> examples) {
  std::string footer = "Global options, before or after the command: " + globals + ".\n\nExamples:";
  for (const char* e : examples) footer += std::string("\n  ") + e;
  command->footer(footer);
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// CLI11's message for a command line it refused, said the way samvad's other errors are:
// what was wrong, a suggestion when a word is one typo away from a known one, where to look.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  const auto parsed = app.get_subcommands();
  const CLI::App* command = parsed.empty() ? nullptr : parsed.front();
  const std::string help = command ? "samvad " + command->get_name() + " --help" : "samvad --help";
  std::vector<std::string> options = option_names(app);
  if (command)
    for (const auto& o : option_names(*command)) options.push_back(o);
  for (const std::string& word : app.remaining(true)) {
    if (word == "--") continue;
    if (!word.empty() && word.front() == '-') {
      std::string name = word.substr(0, word.find('='));
      return "unknown option '" + samvad::shown(name) + "'" + (command ? " for " + command->get_name() : "") +
             samvad::did_you_mean(name, options) + "; see '" + help + "'";
    }
    if (!command)
      return "unknown command '" + samvad::shown(word) + "'" + samvad::did_you_mean(word, commands) + "; expected one of: " +
             join(commands, ", ");
    return "unexpected argument '" + samvad::shown(word) + "' for " + command->get_name() + "; see '" + help + "'";
  }
  if (!command && dynamic_cast<const CLI::RequiredError*>(&e))
    return "no command given; expected one of: " + join(commands, ", ") + " (see 'samvad --help')";
  return (command ? command->get_name() + ": " : "") + e.what() + "; see '" + help + "'";
}

// Whether --json was asked for, read from argv itself: the parser may have stopped before it.
bool json_requested(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  samvad::forbid_core_dumps();  // before anything reads a secret
  CLI::App app{"samvad — publish municipal announcements to each department's X account and email list", "samvad"};
  app.set_version_flag("--version", std::string("samvad ") + samvad::version);
  app.require_subcommand(1);
  app.fallthrough();

  samvad::app::Paths paths;
  samvad::cli::OutputOptions output;
  app.add_option("-c,--config", paths.config, "departments.yaml to use (default: $SAMVAD_CONFIG, else ./departments.yaml)")->type_name("FILE");
  app.add_option("--credentials", paths.credentials, "credentials.yaml (default: $SAMVAD_CREDENTIALS, else beside the config)")->type_name("FILE");
  app.add_option("--templates", paths.templates, "templates folder (default: templates/ beside the config)")->type_name("DIR");
  app.add_option("--state", paths.state, "delivery store (default: $SAMVAD_STATE, else $XDG_STATE_HOME/samvad/state.db)")->type_name("FILE");
  app.add_option("--schedule", paths.schedule, "schedule.yaml (default: $SAMVAD_SCHEDULE, else beside the config)")->type_name("FILE");
  app.add_flag("--json", output.json, "print machine-readable JSON on stdout");
  app.add_flag("-q,--quiet", output.quiet, "print only problems");
  app.add_flag("-v,--verbose", output.verbose, "say which files are used (never secrets)");
  app.add_flag("--no-color", output.no_color, "no colours (also: NO_COLOR=1)");
  const std::string globals = global_options_line(app);
  app.footer("Global options may also follow the command.\n"
             "Exit codes: 0 ok, 64 usage, 65 data, 66 no input, 69 unavailable, 73 cannot create,\n"
             "  75 temporary failure (rerun later), 77 permission, 78 configuration.\n"
             "Files: -c/--config, else $SAMVAD_CONFIG, else ./departments.yaml; credentials.yaml and templates/ beside it.\n"
             "Each command's options: samvad COMMAND --help; everything: man samvad.\n\n"
             "Examples:\n"
             "  samvad templates water-supply-interruption\n"
             "  samvad preview water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml\n"
             "  samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --dry-run");

  bool strict = false;
  auto* check = app.add_subcommand("check", "validate configuration, credentials, subscriber files, every template and the schedule");
  check->add_flag("--strict", strict, "treat warnings (invalid subscriber lines, dates in the past, ...) as failures");
  bool check_online = false;
  check->add_flag("--online", check_online, "also ask X whose account each department's token belongs to (GET /2/users/me)");
  std::optional<std::string> check_now;
  check->add_option("--now", check_now, "check the schedule as of YYYY-MM-DDTHH:MM (default: now)");
  set_footer(check, globals, {"samvad check", "samvad -v check --json"});

  auto* departments_cmd = app.add_subcommand("departments", "list the configured departments");
  set_footer(departments_cmd, globals, {"samvad departments", "samvad departments --json"});

  std::optional<std::string> template_name;
  auto* templates_cmd = app.add_subcommand("templates", "list the announcement templates, or show one template's variables with examples");
  templates_cmd->add_option("name", template_name, "a template to show in full: each variable, its type and example");
  set_footer(templates_cmd, globals, {"samvad templates", "samvad templates water-supply-interruption"});

  samvad::app::PreviewRequest preview;
  auto* prev = app.add_subcommand("preview", "show exactly what would be sent, per department; sends nothing");
  prev->add_option("template", preview.compose.template_name, "template name (see 'samvad templates')")->required();
  one_value_per_use(prev->add_option("-d,--department", preview.compose.departments, "department id (repeatable, or comma-separated)"))->delimiter(',');
  prev->add_flag("--all", preview.compose.all, "every department");
  one_value_per_use(prev->add_option("--var", preview.compose.var_arguments, "variable: key=value, or key.LANG=value for one language (repeatable)"));
  prev->add_option("--vars", preview.compose.vars_file, "YAML file of variables (name: value or name: {mr: ..., en: ...})")->type_name("FILE");
  prev->add_flag("--example", preview.compose.use_examples, "fill every variable not given from the template's examples");
  prev->add_option("--lang", preview.language, "show tweets in one language: mr, en, ... or all")->default_val("all");
  set_footer(prev, globals,
             {"samvad preview water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml",
              "samvad preview water-supply-interruption -d water-supply --var areas.mr=\"निगडी, आकुर्डी\" --var areas.en=\"Nigdi, Akurdi\" --var date=2026-12-03 --var from=09:00 --var to=17:00",
              "samvad preview scheme-launch --all --example --lang mr"});

  std::vector<std::string> count_words;
  auto* count = app.add_subcommand("count", "weighted tweet length of TEXT (or standard input), as X counts it");
  count->add_option("text", count_words, "the text; read from standard input when absent");
  set_footer(count, globals, {"samvad count \"पाणीपुरवठा खंडित https://www.pcmcindia.gov.in\"",
                              "echo \"Water supply interrupted https://www.pcmcindia.gov.in\" | samvad count --json"});

  samvad::cli::PostOptions post;
  auto* post_cmd = app.add_subcommand("post", "post an announcement to departments' X accounts and email lists; a rerun resumes and never posts twice");
  post_cmd->add_option("template", post.compose.template_name, "template name (or use --text)");
  post_cmd->add_option("--text", post.text, "post this text instead of a template (a thread when too long)");
  one_value_per_use(post_cmd->add_option("-d,--department", post.compose.departments, "department id (repeatable, or comma-separated)"))->delimiter(',');
  post_cmd->add_flag("--all", post.compose.all, "every department");
  one_value_per_use(post_cmd->add_option("--var", post.compose.var_arguments, "variable: key=value, or key.LANG=value (repeatable)"));
  post_cmd->add_option("--vars", post.compose.vars_file, "YAML file of variables")->type_name("FILE");
  post_cmd->add_flag("--example", post.compose.use_examples, "fill every variable not given from the template's examples");
  one_value_per_use(post_cmd->add_option("--channels", post.channels, "channels to use: twitter,email (default: both; --text: twitter)"))
      ->delimiter(',');
  one_value_per_use(post_cmd->add_option("--media", post.media, "image to attach to the first post (repeatable, at most 4)"))->type_name("FILE");
  one_value_per_use(post_cmd->add_option("--alt", post.alts, "alt text for the --media at the same position (required)"));
  one_value_per_use(post_cmd->add_option("--attach", post.attachments, "file to attach to the email, e.g. the PDF circular (repeatable)"))
      ->type_name("FILE");
  post_cmd->add_option("--id", post.id, "announcement id (default: derived from the template, variables, departments and attachments)");
  post_cmd->add_flag("--dry-run", post.dry_run, "render and plan, print the deliveries; send and record nothing");
  post_cmd->add_flag("--full", post.full, "show every text above the confirmation, however long");
  post_cmd->add_flag("--retry-failed", post.retry_failed,
                     "send failed deliveries of this announcement again (after fixing the cause); delivered ones stay as they are");
  post_cmd->add_flag("-y,--yes", post.yes, "do not ask for confirmation (required when not on a terminal)");
  post_cmd->add_option("--max-wait", post.max_wait_seconds, "longest wait for an X rate limit before deferring, seconds")->default_val(60);
  post_cmd->add_option("--jobs", post.jobs, "departments posted at once")->default_val(8);
  set_footer(post_cmd, globals,
             {"samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --dry-run",
              "samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --yes",
              "samvad post --text \"आज दुपारी ३ वाजता पत्रकार परिषद. #PCMC\" -d health,roads --yes"});

  samvad::cli::RunDueOptions due;
  auto* due_cmd = app.add_subcommand("run-due", "post every scheduled notice whose time has come (for cron); never twice, never late");
  due_cmd->add_option("--now", due.now, "the moment to act for, YYYY-MM-DDTHH:MM in the organization's time zone (default: now)");
  due_cmd->add_option("--catch-up", due.catch_up, "how late an occurrence may still be posted, e.g. 2h, 90m, 1d")->default_val("2h");
  due_cmd->add_flag("-y,--yes", due.yes, "do not ask for confirmation (required when not on a terminal)");
  due_cmd->add_flag("--dry-run", due.dry_run, "show what is due and the content it would post; send and record nothing");
  due_cmd->add_flag("--retry-failed", due.retry_failed, "send failed deliveries of the due occurrences again");
  due_cmd->add_option("--max-wait", due.max_wait_seconds, "longest wait for an X rate limit before deferring, seconds")->default_val(60);
  due_cmd->add_option("--jobs", due.jobs, "departments posted at once")->default_val(8);
  set_footer(due_cmd, globals, {"samvad -q run-due --yes", "samvad run-due --catch-up 6h --yes --json"});

  int schedule_days = 7;
  std::optional<std::string> schedule_now;
  auto* schedule_cmd = app.add_subcommand("schedule", "upcoming scheduled notices and what happened to past ones");
  schedule_cmd->add_option("--days", schedule_days, "how far ahead to list, days")->default_val(7);
  schedule_cmd->add_option("--now", schedule_now, "list as of YYYY-MM-DDTHH:MM (default: now)");
  std::string schedule_catch_up = "2h";
  schedule_cmd->add_option("--catch-up", schedule_catch_up, "how late run-due may still post an occurrence (as run-due's --catch-up)")
      ->default_val("2h");
  set_footer(schedule_cmd, globals, {"samvad schedule", "samvad schedule --days 30 --json"});

  std::optional<std::string> status_id;
  auto* status_cmd = app.add_subcommand("status", "the deliveries of one announcement (default: the latest)");
  status_cmd->add_option("id", status_id, "announcement id");
  set_footer(status_cmd, globals, {"samvad status", "samvad status water-supply-interruption-5ec4b2a6c49c --json"});

  std::optional<std::string> history_department, history_since;
  int history_limit = 20;
  auto* history_cmd = app.add_subcommand("history", "announcements with time, template, departments and status");
  history_cmd->add_option("-d,--department", history_department, "only announcements to this department");
  history_cmd->add_option("--since", history_since, "only announcements on or after YYYY-MM-DD");
  history_cmd->add_option("--limit", history_limit, "at most this many")->default_val(20);
  set_footer(history_cmd, globals, {"samvad history", "samvad history -d water-supply --since 2026-12-01 --json"});

  std::string retract_id;
  std::vector<std::string> retract_departments;
  bool retract_yes = false;
  auto* retract_cmd = app.add_subcommand("retract", "delete every post of an announcement from X and record it");
  retract_cmd->add_option("id", retract_id, "announcement id (see 'samvad history')")->required();
  one_value_per_use(retract_cmd->add_option("-d,--department", retract_departments, "only these departments (repeatable, or comma-separated)"))
      ->delimiter(',');
  retract_cmd->add_flag("-y,--yes", retract_yes, "do not ask for confirmation");
  set_footer(retract_cmd, globals, {"samvad retract water-supply-interruption-5ec4b2a6c49c -d water-supply --yes"});

  std::string authorize_department;
  auto* authorize_cmd = app.add_subcommand("authorize", "get a department's X access token with the PIN flow and save it in credentials.yaml");
  authorize_cmd->add_option("department", authorize_department, "department id")->required();
  bool authorize_force = false;
  authorize_cmd->add_flag("--force", authorize_force,
                          "save the token even when it belongs to another X account than the department's handle");
  set_footer(authorize_cmd, globals, {"samvad authorize water-supply"});

  if (argc < 2) {
    // A first try without arguments gets the overview, not an error about a missing command.
    std::cout << app.help();
    return samvad::to_int(ExitCode::usage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    output.json = output.json || json_requested(argc, argv);
    Terminal term(std::cout, std::cerr, output);
    term.error(Error(ExitCode::usage, parse_error_message(app, e)));
    return samvad::to_int(ExitCode::usage);
  }

  Terminal term(std::cout, std::cerr, output);
  try {
    if (*check) return run_check(term, paths, strict, check_now, check_online);
    if (*departments_cmd) return run_departments(term, paths);
    if (*templates_cmd) return run_templates(term, paths, template_name);
    if (*prev) return run_preview(term, paths, preview);
    if (*count) return run_count(term, count_words);
    if (*post_cmd) return samvad::cli::run_post(term, paths, post);
    if (*status_cmd) return samvad::cli::run_status(term, paths, status_id);
    if (*due_cmd) return samvad::cli::run_due(term, paths, due);
    if (*schedule_cmd) return samvad::cli::run_schedule(term, paths, schedule_days, schedule_now, schedule_catch_up);
    if (*history_cmd) return samvad::cli::run_history(term, paths, history_department, history_since, history_limit);
    if (*retract_cmd) return samvad::cli::run_retract(term, paths, retract_id, retract_departments, retract_yes);
    if (*authorize_cmd) return samvad::cli::run_authorize(term, paths, authorize_department, authorize_force);
  } catch (const Error& e) {
    term.error(e);
    return samvad::to_int(e.code());
  } catch (const std::exception& e) {
    std::cerr << "samvad: internal error: " << e.what() << "\n";
    return samvad::to_int(ExitCode::software);
  }
  return samvad::to_int(ExitCode::usage);
}
