#include "commands.hpp"

#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include <samvad/config/credentials.hpp>
#include <samvad/core/version.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/retract.hpp>
#include <samvad/net/http.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/localize.hpp>
#include <samvad/text/timestamp.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::cli {

namespace {

bool interactive() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1; }

// Asks on the terminal; without one the caller must have passed --yes.
bool confirm(Terminal& term, const std::string& question, bool yes) {
  if (yes) return true;
  if (!interactive())
    throw Error(ExitCode::usage, "not running on a terminal, so samvad cannot ask for confirmation; pass --yes to go ahead (as cron lines do)");
  std::cout << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  bool ok = answer == "y" || answer == "Y" || answer == "yes";
  if (!ok) term.out() << "nothing was sent\n";
  return ok;
}

twitter::HttpFactory http_factory() {
  net::global_init();
  return [](const config::TwitterAccount& account) {
    net::HttpOptions options;
    options.ca_file = account.ca_file;
    options.user_agent = std::string("samvad/") + samvad::version;
    return net::make_curl_client(options);
  };
}

delivery::ChannelFactory channel_factory() {
  auto http = http_factory();
  return [http](const std::string& channel) -> std::unique_ptr<delivery::Channel> {
    if (channel == "twitter") return twitter::make_channel(http);
    return nullptr;
  };
}

// Backoff between retries; SAMVAD_BACKOFF_MS shortens it for tests and benchmarks.
delivery::RetryPolicy retry_policy(int max_wait_seconds) {
  delivery::RetryPolicy policy;
  policy.max_wait = std::chrono::seconds(max_wait_seconds);
  if (const char* ms = std::getenv("SAMVAD_BACKOFF_MS"); ms && *ms) policy.backoff_base = std::chrono::milliseconds(std::atoll(ms));
  return policy;
}

std::string delivery_label(const delivery::DeliveryReport& r) {
  return r.department + " " + r.channel + (r.language == "*" ? "" : " " + r.language);
}

class TerminalObserver : public delivery::Observer {
 public:
  explicit TerminalObserver(Terminal& term) : term_(term) {}
  void settled(const delivery::DeliveryReport& r) override {
    if (term_.options().json) return;
    std::string mark = r.status == "delivered" || r.status == "retracted" ? term_.green("✓")
                       : r.status == "failed"                             ? term_.red("✗")
                                                                          : "…";
    std::string ids;
    for (const auto& id : r.remote_ids) ids += (ids.empty() ? "" : " ") + id;
    std::string line = mark + " " + delivery_label(r) + ": " + r.status;
    if (!ids.empty()) line += " (" + ids + ")";
    if (r.error) line += " — " + *r.error;
    // Problems reach the user even with -q, so cron mails them.
    if (r.status == "delivered" || r.status == "retracted") term_.out() << line << "\n";
    else std::cerr << line << "\n";
  }
  void note(const std::string& line) override { term_.detail(line); }

 private:
  Terminal& term_;
};

std::filesystem::path store_path(const app::Paths& paths) { return store::Store::default_path(paths.state); }

void print_plan(Terminal& term, const delivery::Plan& plan) {
  auto& out = term.out();
  out << term.bold("announcement " + plan.announcement.id) << "\n";
  for (const auto& d : plan.deliveries) {
    out << term.bold(d.department + " " + d.channel + (d.language == "*" ? "" : " " + d.language))
        << (d.part_payloads.size() > 1 ? " — thread of " + std::to_string(d.part_payloads.size()) : "") << "\n";
    for (const auto& p : d.part_payloads) out << term.dim("[" + std::to_string(text::measure_tweet(p).weighted_length) + "/280]") << " " << p << "\n";
  }
  for (const auto& m : plan.media) out << "image " << m.file.string() << " (alt: " << m.alt_for("") << ")\n";
  for (const auto& s : plan.skipped) out << term.dim("skipped " + s) << "\n";
}

nlohmann::json plan_json(const delivery::Plan& plan) {
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& d : plan.deliveries) {
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : d.part_payloads) parts.push_back({{"text", p}, {"weighted_length", text::measure_tweet(p).weighted_length}});
    deliveries.push_back({{"department", d.department}, {"channel", d.channel}, {"language", d.language}, {"parts", parts}});
  }
  return {{"announcement", plan.announcement.id}, {"dry_run", true}, {"deliveries", deliveries}, {"skipped", plan.skipped}};
}

void print_report(Terminal& term, const delivery::RunReport& report) {
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return;
  }
  std::size_t delivered = 0;
  for (const auto& d : report.deliveries) delivered += d.status == "delivered" ? 1 : 0;
  std::string line = "announcement " + report.announcement_id + ": " + report.status + " (" + std::to_string(delivered) +
                     " of " + std::to_string(report.deliveries.size()) + " deliveries delivered)";
  if (report.exit_code() == ExitCode::ok) term.out() << line << "\n";
  else std::cerr << line << "\n";
}

}  // namespace

int run_post(Terminal& term, const app::Paths& paths, const PostOptions& options) {
  if (options.text && !options.compose.template_name.empty())
    throw Error(ExitCode::usage, "give either a TEMPLATE or --text, not both");
  if (!options.text && options.compose.template_name.empty())
    throw Error(ExitCode::usage, "nothing to post; expected a TEMPLATE name or --text TEXT");
  if (options.jobs < 1 || options.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  if (options.max_wait_seconds < 0) throw Error(ExitCode::usage, "--max-wait must be 0 or more seconds");

  auto ws = app::open_workspace(paths);
  auto channels = delivery::select_channels(options.channels);
  auto media = delivery::check_media(options.media, options.alts);
  delivery::Plan plan;
  std::vector<Diagnostic> warnings;
  if (options.text) {
    auto departments = app::select_departments(ws.config, options.compose.departments, options.compose.all);
    plan = delivery::plan_text(*options.text, departments, channels, media, options.id);
  } else {
    auto composed = app::compose(ws, options.compose);
    warnings = composed.warnings;
    plan = delivery::plan_template(composed, channels, media, options.id);
  }
  term.warnings(warnings);
  if (plan.deliveries.empty())
    throw Error(ExitCode::usage, "nothing to send: none of the chosen departments has a channel this announcement uses (" +
                                     std::to_string(plan.skipped.size()) + " skipped)");
  if (options.dry_run) {
    if (term.options().json) term.json(plan_json(plan));
    else print_plan(term, plan);
    return 0;
  }

  auto credentials = config::load_credentials(ws.credentials_path);
  Diagnostics missing;
  for (const auto& d : plan.deliveries) {
    if (d.channel != "twitter") continue;
    if (!credentials.twitter_app_for(d.department) || !credentials.twitter_token_for(d.department))
      missing.add(ExitCode::config, "no X credentials for department " + d.department + " in " + ws.credentials_path.string() +
                                        "; expected twitter_app and departments." + d.department + ".twitter (samvad authorize " +
                                        d.department + ")");
  }
  missing.throw_if_any();

  if (!options.yes) {
    if (interactive()) print_plan(term, plan);
    if (!confirm(term, "Post announcement " + plan.announcement.id + " (" + std::to_string(plan.deliveries.size()) + " deliveries)?", false))
      return to_int(ExitCode::ok);
  }

  delivery::EngineOptions engine;
  engine.store_path = store_path(paths);
  engine.jobs = options.jobs;
  engine.retry = retry_policy(options.max_wait_seconds);
  term.detail("state: " + engine.store_path.string());
  TerminalObserver observer(term);
  auto report = delivery::run(plan, ws.config, credentials, channel_factory(), engine, observer);
  print_report(term, report);
  return to_int(report.exit_code());
}

int run_status(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  auto path = store_path(paths);
  if (!std::filesystem::exists(path))
    throw Error(ExitCode::no_input, "no delivery store at " + path.string() + " yet; expected one after the first 'samvad post'");
  auto st = store::Store::open(path);
  std::string announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (announcement.empty()) throw Error(ExitCode::no_input, "nothing has been posted yet (" + path.string() + " is empty)");
  if (!st.announcement(announcement))
    throw Error(ExitCode::no_input, "no announcement '" + announcement + "' in " + path.string() + "; expected an id from 'samvad history'");
  auto report = delivery::report_of(announcement, st.deliveries(announcement));
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.deliveries) {
    std::string ids;
    for (const auto& r : d.remote_ids) ids += (ids.empty() ? "" : " ") + r;
    rows.push_back({d.department, d.channel, d.language, d.status, std::to_string(d.attempts),
                    d.error ? *d.error : ids});
  }
  term.out() << term.bold("announcement " + announcement + ": " + report.status) << "\n";
  term.table({"DEPARTMENT", "CHANNEL", "LANG", "STATUS", "ATTEMPTS", "IDS / ERROR"}, rows);
  return 0;
}

int run_history(Terminal& term, const app::Paths& paths, const std::optional<std::string>& department,
                const std::optional<std::string>& since, int limit) {
  if (limit < 1) throw Error(ExitCode::usage, "--limit must be at least 1");
  std::string timezone = "Asia/Kolkata";
  try {
    timezone = app::open_workspace(paths).config.organization.timezone;
  } catch (const Error&) {
    // History is readable without a valid configuration; times are then shown in the default zone.
  }
  std::optional<store::Clock::time_point> from;
  if (since) {
    auto date = text::parse_iso_date(*since);
    if (!date) throw Error(ExitCode::usage, "--since '" + *since + "': expected a date as YYYY-MM-DD");
    from = text::start_of_day(*date, timezone);
  }
  auto path = store_path(paths);
  if (!std::filesystem::exists(path)) {
    if (term.options().json) term.json(nlohmann::json::array());
    else term.out() << "nothing has been posted yet\n";
    return 0;
  }
  auto st = store::Store::open(path);
  auto entries = st.history(department, from, limit);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries)
      out.push_back({{"announcement", e.announcement.id},
                     {"time", text::format_timestamp(e.announcement.created_at, timezone)},
                     {"template", e.announcement.template_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.announcement.template_name)},
                     {"departments", e.departments},
                     {"deliveries", e.deliveries},
                     {"status", e.status}});
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    std::string deps;
    for (const auto& d : e.departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({text::format_timestamp(e.announcement.created_at, timezone), e.announcement.id,
                    e.announcement.template_name.empty() ? "(text)" : e.announcement.template_name, e.status, deps});
  }
  term.table({"TIME", "ANNOUNCEMENT", "TEMPLATE", "STATUS", "DEPARTMENTS"}, rows);
  return 0;
}

int run_retract(Terminal& term, const app::Paths& paths, const std::string& id, const std::vector<std::string>& departments,
                bool yes) {
  auto ws = app::open_workspace(paths);
  auto credentials = config::load_credentials(ws.credentials_path);
  auto path = store_path(paths);
  if (!std::filesystem::exists(path)) throw Error(ExitCode::no_input, "no delivery store at " + path.string());
  if (!confirm(term, "Delete every post of announcement " + id + (departments.empty() ? "" : " for the chosen departments") + " from X?", yes))
    return 0;
  TerminalObserver observer(term);
  delivery::RetractRequest request{id, departments};
  auto report = delivery::retract(request, ws.config, credentials, path, http_factory(), observer);
  if (term.options().json) term.json(delivery::to_json(report));
  for (const auto& d : report.deliveries) {
    bool chosen = departments.empty() || std::find(departments.begin(), departments.end(), d.department) != departments.end();
    if (chosen && d.channel == "twitter" && d.status != "retracted") return to_int(ExitCode::unavailable);
  }
  if (!term.options().json) term.out() << "announcement " << id << ": retracted\n";
  return 0;
}

int run_authorize(Terminal& term, const app::Paths& paths, const std::string& department_id) {
  auto ws = app::open_workspace(paths);
  auto selected = app::select_departments(ws.config, {department_id}, false);
  auto credentials = config::load_credentials(ws.credentials_path);
  auto result = twitter::authorize(
      *selected.front(), credentials, http_factory(),
      [&](const std::string& url) {
        std::cout << "Sign in to X as @" << selected.front()->twitter->handle << ", then open:\n  " << url
                  << "\nand authorize the app. X then shows a PIN.\n";
      },
      [&] {
        std::cout << "PIN: " << std::flush;
        std::string pin;
        std::getline(std::cin, pin);
        return pin;
      });
  const std::string& handle = selected.front()->twitter->handle;
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  if (lower(result.username) != lower(handle))
    term.warning(Diagnostic{ExitCode::config, "the token belongs to @" + result.username + ", but " + ws.config.path.string() +
                                                  " says departments." + department_id + ".twitter.handle is " + handle, {}});
  term.out() << "authorized " << department_id << " as @" << result.username << "; token saved in "
             << ws.credentials_path.string() << "\n";
  return 0;
}

}  // namespace samvad::cli
