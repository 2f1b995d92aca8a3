#include <samvad/app/approval.hpp>

#include <algorithm>
#include <filesystem>

#include <samvad/app/due.hpp>
#include <samvad/core/digest.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/operator.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

std::vector<std::string> approval_kinds() {
  std::vector<std::string> kinds = templates::template_kinds();
  for (const char* k : {"text", "reply", "all"})
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.emplace_back(k);
  return kinds;
}

void check_approval_kinds(const config::Config& config) {
  const auto kinds = approval_kinds();
  std::string listed;
  for (const auto& k : kinds) listed += (listed.empty() ? "" : ", ") + k;
  Diagnostics problems;
  auto check = [&](const config::ApprovalSettings& a, const std::string& what) {
    for (std::size_t i = 0; i < a.required.size(); ++i) {
      const std::string& kind = a.required[i];
      if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) continue;
      problems.add(ExitCode::config,
                   what + ".required: '" + shown(kind) + "' is not a kind of content" + did_you_mean(kind, kinds) +
                       "; expected some of: " + listed +
                       " (the kinds of templates/*.yaml, text for post --text, reply for samvad reply)",
                   a.required_where[i]);
    }
  };
  if (config.approvals) check(*config.approvals, "approvals");
  for (const auto& d : config.departments)
    if (d.approvals) check(*d.approvals, "departments." + d.id + ".approvals");
  problems.throw_if_any();
}

ApprovalPolicy approval_policy(const config::Config& config, const std::string& kind,
                               const std::vector<std::string>& departments) {
  ApprovalPolicy policy;
  for (const auto& id : departments) {
    const config::Department* d = config.find_department(id);
    const config::ApprovalSettings* a = d ? config.approvals_for(*d) : config.approvals ? &*config.approvals : nullptr;
    if (!a || !a->requires_approval(kind)) continue;
    policy.required = true;
    policy.two_person = policy.two_person || a->two_person;
  }
  return policy;
}

namespace {

std::vector<std::string> plan_departments(const delivery::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& d : plan.deliveries)
    if (std::find(out.begin(), out.end(), d.department) == out.end()) out.push_back(d.department);
  return out;
}

std::string when(const Workspace& ws, std::optional<store::Clock::time_point> t) {
  return t ? text::format_timestamp(*t, ws.config.organization.timezone) : std::string("?");
}

[[noreturn]] void refuse_rejected(const Workspace& ws, const store::Approval& a) {
  throw Error(ExitCode::data, "announcement " + a.announcement_id + " was rejected by " + a.decided_by + " at " +
                                  when(ws, a.decided_at) + " (" + shown(a.reason) +
                                  "); a rejected announcement is never sent: expected new content (or another --id) "
                                  "to submit again");
}

// The images of the first post, pinned by their bytes: what the approver is shown is what is sent.
std::string media_json(const std::vector<channel::MediaItem>& media) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : media) {
    nlohmann::json alt = nlohmann::json::object();
    for (const auto& [lang, text] : m.alt.text) alt[lang] = text;
    out.push_back({{"file", m.file.string()},
                   {"sha256", sha256_hex(read_whole_file_or_throw(m.file, FileKind::media))},
                   {"alt", alt}});
  }
  return out.dump();
}

std::vector<channel::MediaItem> recorded_media(const store::Approval& a) {
  std::vector<channel::MediaItem> out;
  const nlohmann::json recorded = nlohmann::json::parse(a.media_json, nullptr, false);
  if (!recorded.is_array()) return out;
  for (const auto& m : recorded) {
    channel::MediaItem item;
    item.file = m.value("file", "");
    if (const auto alt = m.find("alt"); alt != m.end() && alt->is_object())
      for (const auto& [lang, text] : alt->items()) item.alt.text[lang] = text.get<std::string>();
    const std::string bytes = read_whole_file_or_throw(item.file, FileKind::media);
    if (sha256_hex(bytes) != m.value("sha256", ""))
      throw Error(ExitCode::data, "the image " + item.file.string() + " changed after announcement " +
                                      a.announcement_id +
                                      " was submitted; expected the image that was submitted: reject it and "
                                      "submit it again");
    out.push_back(std::move(item));
  }
  return out;
}

// The announcement exactly as recorded, as a plan the engine sends: its deliveries with their
// parts, content and recipients (read again from the store when needed), never rendered again.
delivery::Plan recorded_plan(const store::Store& st, const store::Location& location,
                             const store::Announcement& announcement, const store::Approval& approval) {
  delivery::Plan plan;
  plan.announcement = announcement;
  for (const auto& d : st.deliveries(announcement.id)) {
    store::PlannedDelivery p{d.department, d.channel, d.language, {}, d.content, {}};
    for (const auto& part : d.parts) p.part_payloads.push_back(part.payload);
    if (d.recipients.total > 0) p.recipients = store::recorded_recipients(location, d);
    plan.deliveries.push_back(std::move(p));
  }
  plan.media = recorded_media(approval);
  return plan;
}

store::Store open_existing_store(const Workspace& ws, const std::string& id) {
  if (!ws.state.path.exists())
    throw Error(ExitCode::no_input, "no announcement '" + shown(id) + "': there is no delivery store at " +
                                        ws.state.path.shown() + " yet; expected an id from 'samvad pending'");
  return store::Store::open(ws.state.path);
}

// The approval of an announcement the store holds (66 when it holds no such announcement, 65
// when it never needed approval).
store::Approval held_approval(const Workspace& ws, const store::Store& st, const std::string& id) {
  if (!st.announcement(id))
    throw Error(ExitCode::no_input, "no announcement '" + shown(id) + "' in " + ws.state.path.shown() +
                                        "; expected an id from 'samvad pending'");
  auto held = st.approval(id);
  if (!held)
    throw Error(ExitCode::data, "announcement " + id +
                                    " did not need approval (it was recorded without); expected an id from 'samvad "
                                    "pending'");
  return *held;
}

// Someone decided it already: by whom and when, and what is left to do.
[[noreturn]] void refuse_decided(const Workspace& ws, const store::Store& st, const store::Approval& a,
                                 bool approving) {
  if (a.state == store::ApprovalState::rejected) refuse_rejected(ws, a);
  const std::string& id = a.announcement_id;
  throw Error(ExitCode::data,
              "announcement " + id + " was approved already, by " + a.decided_by + " at " + when(ws, a.decided_at) +
                  " (it is " + st.status_of(id) + "); " +
                  (approving ? "nothing to approve: the command that submitted it, run again, resumes "
                               "what is left to send"
                             : "it cannot be rejected any more: samvad retract " + id + " takes back what was sent"));
}

bool two_people(const config::Config& config, const delivery::Plan& plan) {
  for (const auto& id : plan_departments(plan)) {
    const config::Department* d = config.find_department(id);
    const config::ApprovalSettings* a = d ? config.approvals_for(*d) : nullptr;
    if (a && a->two_person) return true;
  }
  return false;
}

}  // namespace

ApprovalPolicy approval_policy(const config::Config& config, const std::string& kind, const delivery::Plan& plan) {
  return approval_policy(config, kind, plan_departments(plan));
}

store::Approval submit_for_approval(const Workspace& ws, const PreparedPost& post,
                                    const std::optional<ReplyItem>& reply) {
  const delivery::Plan& plan = post.plan;
  store::Approval a;
  a.announcement_id = plan.announcement.id;
  a.kind = post.kind;
  a.submitted_by = plan.announcement.operator_name;
  a.submitted_at = store::Clock::now();
  a.media_json = media_json(plan.media);
  if (reply) {
    a.reply_channel = reply->channel;
    a.reply_item = reply->id;
  }
  auto st = store::Store::open(ws.state.path);
  if (auto held = st.approval(a.announcement_id); held && held->state != store::ApprovalState::awaiting) {
    if (held->state == store::ApprovalState::rejected) refuse_rejected(ws, *held);
    return *held;
  }
  return st.submit_for_approval(plan.announcement, plan.deliveries, a);
}

std::vector<PendingApproval> pending_approvals(const Workspace& ws) {
  std::vector<PendingApproval> out;
  if (!ws.state.path.exists()) return out;
  auto st = store::Store::open(ws.state.path);
  for (auto& a : st.awaiting_approval()) {
    PendingApproval p{a, st.announcement(a.announcement_id).value_or(store::Announcement{}), {}, {}};
    for (const auto& d : st.deliveries(a.announcement_id)) {
      if (std::find(p.departments.begin(), p.departments.end(), d.department) == p.departments.end())
        p.departments.push_back(d.department);
      if (std::find(p.channels.begin(), p.channels.end(), d.channel) == p.channels.end())
        p.channels.push_back(d.channel);
    }
    out.push_back(std::move(p));
  }
  return out;
}

nlohmann::json to_json(const std::vector<PendingApproval>& pending, const std::string& time_zone) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : pending) {
    const auto& tmpl = p.announcement.template_name;
    out.push_back({{"announcement", p.approval.announcement_id},
                   {"kind", p.approval.kind},
                   {"template", tmpl.empty() ? nlohmann::json(nullptr) : nlohmann::json(tmpl)},
                   {"departments", p.departments},
                   {"channels", p.channels},
                   {"operator", p.approval.submitted_by},
                   {"submitted_at", text::format_iso8601(p.approval.submitted_at, time_zone)}});
  }
  return out;
}

ApprovalTarget open_approval(const Workspace& ws, const std::string& id) {
  auto st = open_existing_store(ws, id);
  const store::Approval held = held_approval(ws, st, id);
  if (held.state != store::ApprovalState::awaiting) refuse_decided(ws, st, held, true);
  ApprovalTarget t;
  t.approval = held;
  t.plan = recorded_plan(st, ws.state.path, *st.announcement(id), held);
  if (two_people(ws.config, t.plan) && operator_name() == held.submitted_by)
    throw Error(ExitCode::data, "announcement " + id + " was submitted by " + held.submitted_by +
                                    ", who may not approve it too (approvals: two_person: true in " +
                                    ws.config.path.string() +
                                    "); expected another operator ($SAMVAD_OPERATOR) to approve it; nothing was sent");
  t.reconciliation = delivery::reconcile(t.plan, st.deliveries(id), false);
  t.cost = delivery::estimate_cost(t.plan, ws.config, &t.reconciliation);
  return t;
}

void approve(const Workspace& ws, const ApprovalTarget& target) {
  auto st = store::Store::open(ws.state.path);
  const std::string& id = target.approval.announcement_id;
  // Another operator may have decided it since it was shown.
  if (!st.decide_approval(id, store::ApprovalState::approved, operator_name(), "", store::Clock::now()))
    refuse_decided(ws, st, held_approval(ws, st, id), true);
}

void record_approved_reply(const Workspace& ws, const store::Approval& approval) {
  if (approval.reply_item.empty()) return;
  auto st = store::Store::open(ws.state.path);
  if (!st.inbox_item(approval.reply_item)) return;
  for (const auto& d : st.deliveries(approval.announcement_id))
    for (const auto& part : d.parts)
      if (part.status == store::PartStatus::delivered && !part.remote_id.empty())
        st.record_reply(approval.reply_channel, approval.reply_item, part.remote_id, part.updated_at);
}

store::Approval reject(const Workspace& ws, const std::string& id, const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ExitCode::usage, "a rejection needs its reason; expected --reason TEXT (the submitter reads it)");
  auto st = open_existing_store(ws, id);
  const store::Approval held = held_approval(ws, st, id);
  if (held.state != store::ApprovalState::awaiting) refuse_decided(ws, st, held, false);
  if (!st.decide_approval(id, store::ApprovalState::rejected, operator_name(), reason, store::Clock::now()))
    refuse_decided(ws, st, held_approval(ws, st, id), false);
  return *st.approval(id);
}

std::string schedule_digest(const Workspace& ws, const schedule::Entry& entry) {
  const auto file = templates::find_template(ws.templates_dir, entry.template_name);
  const auto tmpl = templates::load_template(file);
  nlohmann::json media = nlohmann::json::array();
  for (const auto& m : tmpl.media)
    media.push_back({{"file", m.file.filename().string()},
                     {"sha256", sha256_hex(read_whole_file_or_throw(m.file, FileKind::media))}});
  const nlohmann::json content{{"template", entry.template_name},
                               {"template_file", sha256_hex(read_whole_file_or_throw(file, FileKind::template_file))},
                               {"media", media},
                               {"variables", delivery::variables_json(entry.vars)},
                               {"departments", entry.all ? nlohmann::json("all") : nlohmann::json(entry.departments)},
                               {"channels", entry.channels}};
  return sha256_hex(content.dump());
}

store::ScheduleApproval approve_schedule_entry(const Workspace& ws, const schedule::Entry& entry) {
  store::ScheduleApproval a{entry.id, schedule_digest(ws, entry), operator_name(), store::Clock::now()};
  store::Store::open(ws.state.path).approve_schedule_entry(a);
  return a;
}

delivery::Plan schedule_entry_plan(const Workspace& ws, const schedule::Entry& entry, const schedule::LocalTime& now) {
  const std::string& zone = ws.config.organization.timezone;
  const auto year_on = schedule::to_local(schedule::to_instant(now, zone) + std::chrono::hours(24 * 366), zone);
  const auto coming = entry.occurrences(now, year_on);
  const schedule::LocalTime occurrence = coming.empty() ? now : coming.front();
  const auto composed = compose(ws, compose_request(entry, occurrence));
  return delivery::plan_template(template_request(composed), ws.config, delivery::select_channels(entry.channels), {},
                                 {}, entry.announcement_id(occurrence));
}

bool schedule_content_approved(const Workspace& ws, const schedule::Entry& entry) {
  if (!ws.state.path.exists()) return false;
  auto approved = store::Store::open(ws.state.path).schedule_approval(entry.id);
  return approved && approved->digest == schedule_digest(ws, entry);
}

}  // namespace samvad::app
