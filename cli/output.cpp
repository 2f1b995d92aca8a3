#include "output.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include <sys/ioctl.h>
#include <unistd.h>

#include <samvad/app/status.hpp>
#include <samvad/core/text.hpp>
#include <samvad/core/version.hpp>
#include <samvad/net/http.hpp>
#include <samvad/registry/channels.hpp>

#include "signals.hpp"

namespace samvad::cli {

channel::HttpFactory http_factory() {
  net::global_init();
  return [](const std::optional<std::string>& ca_file) {
    net::HttpOptions options;
    options.ca_file = ca_file;
    options.user_agent = std::string("samvad/") + samvad::version;
    return net::make_curl_client(options);
  };
}

bool interactive() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1; }

// Asks on the terminal; without one the caller must have passed --yes.
bool confirm(Terminal& term, const std::string& question, bool yes) {
  if (yes) return true;
  if (!interactive())
    throw Error(
        ExitCode::usage,
        "not running on a terminal, so samvad cannot ask for confirmation; pass --yes to go ahead (as cron lines do)");
  std::cout << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  bool ok = answer == "y" || answer == "Y" || answer == "yes";
  if (!ok) term.out() << "nothing was sent\n";
  return ok;
}

static std::string delivery_label(const delivery::DeliveryReport& r) {
  return r.department + " " + r.channel + (r.language == "*" ? "" : " " + r.language);
}

void TerminalObserver::settled(const delivery::DeliveryReport& r) {
  if (term_.options().json) return;
  using store::DeliveryStatus;
  const bool done = r.status == DeliveryStatus::delivered || r.status == DeliveryStatus::retracted;
  std::string mark = done ? term_.green("✓") : r.status == DeliveryStatus::failed ? term_.red("✗") : "…";
  std::string line =
      mark + " " + delivery_label(r) + (r.account.empty() ? "" : " " + r.account) + ": " + store::to_string(r.status);
  if (const channel::Spec* spec = registry::find(r.channel); spec && spec->outcome_text)
    if (auto outcome = spec->outcome_text(r); !outcome.empty()) line += " " + outcome;
  if (r.error) line += " — " + escape_for_terminal(*r.error);  // X's or the mail server's words
  // Problems reach the user even with -q, so cron mails them.
  if (done)
    term_.out() << line << "\n";
  else
    std::cerr << line << "\n";
}

// The store of a command that can run without a valid configuration (status, history): the
// configuration's state: when it loads, else --state, $SAMVAD_STATE or the per-user default.
store::Location readable_store_path(Terminal& term, const app::Paths& paths) {
  auto store = app::readable_store(paths);
  if (store.warning) term.warning(*store.warning);
  return store.path;
}

static std::string delivery_heading(const store::PlannedDelivery& d) {
  return d.department + " " + d.channel + (d.language == "*" ? "" : " " + d.language);
}

// What the rerun of a recorded delivery does, in words; "" for a new delivery.
static std::string fate_note(const delivery::Decision& decision) {
  using delivery::Fate;
  if (!decision.recorded) return "";
  const auto& r = *decision.recorded;
  switch (decision.fate) {
    case Fate::done:
      return r.status == store::DeliveryStatus::retracted ? "retracted earlier; not sent again"
                                                          : "already delivered; not sent again";
    case Fate::failed:
      return "failed earlier (" + r.last_error + "); not sent: add --retry-failed to send it again";
    case Fate::retry:
      return "failed earlier; sent again (--retry-failed)";
    case Fate::replace:
      return "replaces the content recorded earlier, none of which was sent";
    case Fate::send: {
      std::size_t sent = 0;
      for (const auto& p : r.parts) sent += p.status == store::PartStatus::delivered ? 1 : 0;
      return sent == 0 ? "recorded earlier, not sent yet"
                       : "resumes: " + std::to_string(sent) + " of " + std::to_string(r.parts.size()) + " already sent";
    }
    case Fate::conflict:
      return "conflict";
  }
  return "";
}

// Every text the announcement sends, delivery by delivery, with what a rerun does to each.
void print_plan(Terminal& term, std::ostream& out, const delivery::Plan& plan,
                const delivery::Reconciliation& reconciliation) {
  out << term.bold("announcement " + plan.announcement.id) << "\n";
  for (const auto& decision : reconciliation.decisions) {
    const auto& d = plan.deliveries[decision.planned];
    const std::string note = fate_note(decision);
    if (decision.fate == delivery::Fate::done || decision.fate == delivery::Fate::failed) {
      out << term.bold(delivery_heading(d)) << " — " << note << "\n";
      continue;
    }
    const channel::Spec* spec = registry::find(d.channel);
    out << term.bold(delivery_heading(d)) << (spec && spec->heading ? spec->heading(d) : std::string());
    if (!note.empty()) out << " — " << note;
    out << "\n";
    const std::vector<bool> sent = delivery::parts_sent(decision, d.part_payloads.size());
    if (spec && spec->show)
      for (const auto& line : spec->show(d, sent)) out << line << "\n";
  }
  for (const auto& m : plan.media) out << "image " << m.file.string() << " (alt: " << m.alt_for("") << ")\n";
  for (const auto& s : plan.skipped) out << term.dim("skipped " + s) << "\n";
}

void print_plan(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation) {
  print_plan(term, term.out(), plan, reconciliation);
}

// One department's line per channel heading, its deliveries' items joined ("X @PCMCWater",
// "mr 1 post, en 1 post (already sent)").
static std::vector<std::pair<std::string, std::string>> department_heads(
    const std::string& dep, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation) {
  std::vector<std::pair<std::string, std::string>> heads;
  for (const auto& decision : reconciliation.decisions) {
    const auto& d = plan.deliveries[decision.planned];
    const channel::Spec* spec = registry::find(d.channel);
    if (d.department != dep || !spec || !spec->summary) continue;
    std::string state;
    if (decision.fate == delivery::Fate::done)
      state = " (already sent)";
    else if (decision.fate == delivery::Fate::failed)
      state = " (failed earlier, not sent)";
    else if (decision.fate == delivery::Fate::retry)
      state = " (sent again)";
    std::size_t recipients = 0;
    if (decision.recorded && decision.fate != delivery::Fate::replace)
      recipients = decision.recorded->recipients.total;
    else
      recipients = d.recipients.count;
    const channel::SummaryLine line = spec->summary(d, recipients);
    auto it = std::find_if(heads.begin(), heads.end(), [&](const auto& h) { return h.first == line.heading; });
    if (it == heads.end())
      heads.emplace_back(line.heading, line.item + state);
    else
      it->second += ", " + line.item + state;
  }
  return heads;
}

// One screen to answer the prompt from: per department the X account with its languages and
// thread lengths, the list address with its recipients, and what sending costs; what a rerun
// leaves out says so. Then the cost in total.
static std::vector<std::string> summary_lines(Terminal& term, const delivery::Plan& plan,
                                              const delivery::Reconciliation& reconciliation,
                                              const delivery::CostEstimate& cost) {
  std::vector<std::string> departments;
  std::size_t width = 0;
  for (const auto& d : plan.deliveries) {
    if (std::find(departments.begin(), departments.end(), d.department) == departments.end())
      departments.push_back(d.department);
    width = std::max(width, d.department.size());
  }
  std::vector<std::string> lines{term.bold("announcement " + plan.announcement.id + ":")};
  for (const auto& dep : departments) {
    std::string pad(width - dep.size() + 2, ' ');
    bool first = true;
    for (const auto& [heading, items] : department_heads(dep, plan, reconciliation)) {
      lines.push_back("  " + (first ? dep + pad : std::string(width + 2, ' ')) + heading + ": " + items);
      first = false;
    }
    for (const auto& c : cost.of(dep)) lines.push_back("  " + std::string(width + 2, ' ') + delivery::cost_line(c));
  }
  if (!plan.media.empty()) {
    std::string images;
    for (const auto& m : plan.media) images += (images.empty() ? "" : ", ") + m.file.filename().string();
    lines.push_back("  images: " + images);
  }
  if (!plan.skipped.empty())
    lines.push_back(term.dim("  skipped: " + std::to_string(plan.skipped.size()) + " (" + plan.skipped.front() +
                             (plan.skipped.size() > 1 ? ", ..." : "") + ")"));
  for (const auto& c : cost.total) lines.push_back("  " + term.bold(delivery::cost_line(c, " in total")));
  return lines;
}

// Rows of a terminal a text takes, wrapped at `columns` (characters, not bytes).
static std::size_t rows_of(const std::string& text, std::size_t columns) {
  std::size_t rows = 0, col = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++rows;
      col = 0;
    } else if ((c & 0xC0) != 0x80 && ++col > columns) {
      ++rows;
      col = 1;
    }
  }
  return rows + (col > 0 ? 1 : 0);
}

// Before the prompt: every text in full when they fit on the screen with the summary (or with
// --full), then the summary, so what is decided on is what is in view.
void print_confirmation(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation,
                        const delivery::CostEstimate& cost, bool full) {
  std::size_t height = 24, columns = 80;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
    height = ws.ws_row;
    columns = ws.ws_col;
  }
  std::ostringstream texts;
  print_plan(term, texts, plan, reconciliation);
  const auto summary = summary_lines(term, plan, reconciliation, cost);
  std::size_t summary_rows = 1;  // the prompt
  for (const auto& l : summary) summary_rows += rows_of(l, columns);
  const std::size_t text_rows = rows_of(texts.str(), columns);
  if (full || text_rows + summary_rows + 1 <= height) {
    term.out() << texts.str() << "\n";
  } else {
    term.out() << term.dim("(the texts take " + std::to_string(text_rows) +
                           " lines; --full shows them here, 'samvad preview' too)")
               << "\n";
  }
  for (const auto& l : summary) term.out() << l << "\n";
}

void print_report(Terminal& term, const delivery::RunReport& report) {
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return;
  }
  std::size_t delivered = 0;
  for (const auto& d : report.deliveries) delivered += d.status == store::DeliveryStatus::delivered ? 1 : 0;
  std::string line = "announcement " + report.announcement_id + ": " + report.status + " (" +
                     std::to_string(delivered) + " of " + std::to_string(report.deliveries.size()) +
                     " deliveries delivered)";
  if (report.exit_code() == ExitCode::ok)
    term.out() << line << "\n";
  else
    std::cerr << line << "\n";
  if (report.exit_code() == ExitCode::temp_fail)
    std::cerr << "samvad: run the same command again to finish it: what was sent is recorded and is not sent twice\n";
  else if (report.exit_code() == ExitCode::unavailable)
    std::cerr
        << "samvad: failed deliveries are not sent again by a rerun; after fixing the cause, add --retry-failed\n";
}

int print_held(Terminal& term, const store::Approval& held, const delivery::Plan& plan) {
  const std::string& id = held.announcement_id;
  if (term.options().json) {
    term.json({{"announcement", id},
               {"status", "awaiting-approval"},
               {"kind", held.kind},
               {"operator", held.submitted_by},
               {"deliveries", plan.deliveries.size()}});
    return 0;
  }
  term.out() << "announcement " << id << ": awaits approval (" << held.kind << ", " << plan.deliveries.size()
             << " deliveries, submitted by " << held.submitted_by << "); nothing was sent\n";
  term.detail("samvad approve " + id + " sends it; samvad reject " + id + " --reason TEXT refuses it");
  return 0;
}

// A run cut short by SIGINT/SIGTERM exits 75 (run again) unless everything was delivered anyway.
ExitCode stopped_code(ExitCode code) {
  if (!stop_requested() || code == ExitCode::ok || code == ExitCode::unavailable) return code;
  std::cerr << "samvad: stopped by a signal; what was not sent is recorded and the next run sends it\n";
  return ExitCode::temp_fail;
}

channel::Services services() { return channel::Services{http_factory()}; }

}  // namespace samvad::cli
