#include <samvad/app/digest.hpp>

#include <filesystem>

#include <samvad/core/operator.hpp>
#include <samvad/core/text.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

namespace {

std::vector<const config::Department*> digest_departments(const config::Config& config,
                                                          const std::vector<std::string>& ids, bool all) {
  std::vector<const config::Department*> out;
  if (all && !ids.empty()) throw Error(ExitCode::usage, "use either -d DEPT or --all, not both");
  if (ids.empty()) {
    for (const auto& d : config.departments)
      if (!d.inbox.digest_to.empty()) out.push_back(&d);
    return out;
  }
  Diagnostics problems;
  for (const auto* d : select_departments(config, ids, false)) {
    if (d->inbox.digest_to.empty())
      problems.add(ExitCode::usage, "department " + d->id + " has no inbox.digest_to in " + config.path.string() +
                                        "; expected the head's address there, e.g. inbox: {digest_to: [head@...]}");
    else
      out.push_back(d);
  }
  problems.throw_if_any();
  return out;
}

// The department as the channel that addresses people sees it for the digest: reaching its
// heads, not its audience, through the department's own server and sender, else the top-level
// ones (a department without a list of its own still has a head). 78 when no channel can.
std::pair<const channel::Spec*, config::Department> addressed_department(const config::Config& config,
                                                                         const config::Department& d) {
  for (const auto& spec : registry::channels()) {
    if (!spec.addressed_to) continue;
    const config::ChannelSettings* base = d.settings_of(spec.name);
    if (!base) base = config.organization_settings_of(spec.name);
    if (!base) continue;
    config::Department copy = d;
    copy.channel_settings = {config::Department::Channel{spec.name, spec.addressed_to(*base, d.inbox.digest_to)}};
    return {&spec, std::move(copy)};
  }
  throw Error(ExitCode::config,
              "department " + d.id + " has inbox.digest_to but no server to send its digest through; " +
                  "expected email settings for it (the top-level email: block with smtp_url and from, or its own)",
              d.inbox.where);
}

delivery::Plan digest_plan(const Workspace& ws, const config::Department& department, PreparedDigest& digest,
                           std::chrono::system_clock::time_point since, std::chrono::system_clock::time_point now) {
  auto [spec, addressed] = addressed_department(ws.config, department);
  digest.sending = ws;
  for (auto& d : digest.sending->config.departments)
    if (d.id == department.id) d = addressed;
  const auto message = inbox::digest_message(department, ws.config, digest.figures, since, now);
  const std::vector<channel::MediaItem> no_media;
  const std::vector<channel::Attachment> no_attachments;
  channel::PlanRequest request{ws.config, addressed, digest.announcement_id, &message,
                               nullptr,   no_media,  no_attachments};
  channel::PlanResult result;
  spec->plan(request, result);
  delivery::Plan plan;
  const nlohmann::json asked{{"digest", department.id}, {"to", department.inbox.digest_to}};
  plan.announcement = store::Announcement{digest.announcement_id, "", asked.dump(), now, operator_name()};
  plan.deliveries = std::move(result.deliveries);
  plan.skipped = std::move(result.skipped);
  plan.warnings = std::move(result.warnings);
  return plan;
}

}  // namespace

std::vector<PreparedDigest> prepare_digests(const Workspace& ws, const DigestRequest& request,
                                            std::chrono::system_clock::time_point now) {
  const auto window = schedule::parse_duration(request.since);
  if (!window || window->count() <= 0)
    throw Error(ExitCode::usage, "--since '" + shown(request.since) + "': expected a duration like 24h, 90m or 7d");
  const auto since = now - *window;
  const std::string& tz = ws.config.organization.timezone;
  const auto departments = digest_departments(ws.config, request.departments, request.all);
  std::optional<store::Store> st;
  if (ws.state.path.exists()) st.emplace(store::Store::open(ws.state.path));
  std::vector<PreparedDigest> out;
  for (const auto* d : departments) {
    PreparedDigest digest;
    digest.department = d;
    digest.announcement_id = "digest-" + d->id + "@" + text::format_timestamp(now, tz).substr(0, 10);
    if (st) digest.figures = inbox::digest_figures(st->inbox_items({{d->id}, {}, {}}), since, now);
    const auto recorded = st ? st->deliveries(digest.announcement_id) : std::vector<store::Delivery>{};
    if (!recorded.empty() && store::announcement_status(recorded) == "delivered") {
      digest.skipped = "today's digest was sent already";
    } else if (recorded.empty() && !inbox::worth_sending(digest.figures)) {
      digest.skipped = "nothing open and nothing new";
    } else {
      digest.resumes = !recorded.empty();
      digest.plan = digest_plan(ws, *d, digest, since, now);
    }
    out.push_back(std::move(digest));
  }
  return out;
}

nlohmann::json to_json(const PreparedDigest& digest, const std::optional<delivery::RunReport>& report) {
  const auto& f = digest.figures;
  nlohmann::json j{{"department", digest.department->id},
                   {"announcement", digest.announcement_id},
                   {"to", digest.department->inbox.digest_to},
                   {"new", f.new_items},
                   {"answered", f.answered},
                   {"open", f.open},
                   {"open_over_24h", f.open_over_24h}};
  j["sent"] = report.has_value();
  j["skipped"] = digest.skipped.empty() ? nlohmann::json() : nlohmann::json(digest.skipped);
  j["status"] = report ? nlohmann::json(report->status) : nlohmann::json();
  return j;
}

}  // namespace samvad::app
