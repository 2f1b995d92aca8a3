#include <samvad/app/post.hpp>

#include <cstdlib>
#include <set>

#include <samvad/registry/channels.hpp>

namespace samvad::app {

namespace {

// Keeps the deliveries in the reply's language and makes each a reply to the item, before the
// plan meets the store (a rerun compares the same content).
void make_replies(delivery::Plan& plan, const ReplyTarget& target) {
  std::erase_if(plan.deliveries,
                [&](const store::PlannedDelivery& d) { return d.language != "*" && d.language != target.language; });
  if (plan.deliveries.empty())
    throw Error(ExitCode::data, "nothing to reply: the text has no '" + target.language +
                                    "' version; expected a template with a tweet in " + target.language +
                                    " (or --lang with one it has)");
  for (auto& d : plan.deliveries) {
    const channel::Spec* spec = registry::find(d.channel);
    if (spec == nullptr || !spec->make_reply)
      throw Error(ExitCode::usage, "the " + d.channel + " channel cannot reply to what it heard");
    spec->make_reply(d, target.remote_id);
  }
}

// A reply template answers someone (samvad reply); any other speaks to everyone (samvad post).
void check_kind(const templates::Template& tmpl, bool replying) {
  if (replying && tmpl.kind != "reply")
    throw Error(ExitCode::usage,
                "template '" + tmpl.name + "' is of kind " + tmpl.kind +
                    "; a reply takes a template of kind reply (samvad templates lists them) or --text");
  if (!replying && tmpl.kind == "reply")
    throw Error(ExitCode::usage,
                "template '" + tmpl.name + "' is a reply; it answers one citizen's post: samvad reply ID " + tmpl.name);
}

}  // namespace

PreparedPost prepare_post(const Workspace& ws, const PostRequest& request) {
  if (request.text && !request.compose.template_name.empty())
    throw Error(ExitCode::usage, "give either a TEMPLATE or --text, not both");
  if (!request.text && request.compose.template_name.empty())
    throw Error(ExitCode::usage, "nothing to post; expected a TEMPLATE name or --text TEXT");
  auto channels = delivery::select_channels(request.channels);
  auto media = delivery::check_media(request.media, request.alts);
  auto attachments = delivery::check_attachments(request.attachments);
  PreparedPost out;
  if (request.text) {
    if (!attachments.empty())
      throw Error(ExitCode::usage, "--attach goes with a template's email; --text posts to X only");
    auto departments = select_departments(ws.config, request.compose.departments, request.compose.all);
    out.plan = delivery::plan_text(*request.text, ws.config, departments, channels, media, request.id);
    out.kind = "text";
  } else {
    ComposeRequest compose_request = request.compose;
    compose_request.channels = channels;
    compose_request.media = media;
    compose_request.attachments = attachments;
    compose_request.id = request.id;
    auto composed = compose(ws, compose_request);
    check_kind(composed.tmpl, request.reply.has_value());
    out.kind = composed.tmpl.kind;
    out.warnings = composed.warnings;
    out.plan = delivery::plan_template(template_request(composed), ws.config, channels, media, attachments, request.id);
  }
  out.warnings.insert(out.warnings.end(), out.plan.warnings.begin(), out.plan.warnings.end());
  if (request.reply) out.kind = "reply";
  if (request.reply && !out.plan.deliveries.empty()) make_replies(out.plan, *request.reply);
  if (out.plan.deliveries.empty()) {
    std::string why;
    for (std::size_t i = 0; i < out.plan.skipped.size() && i < 3; ++i) why += (i ? "; " : "") + out.plan.skipped[i];
    throw Error(ExitCode::usage,
                "nothing to send: none of the chosen departments has a channel this announcement uses (" +
                    std::to_string(out.plan.skipped.size()) + " skipped" + (why.empty() ? "" : ": " + why) +
                    (out.plan.skipped.size() > 3 ? "; ..." : "") + ")");
  }
  // What the store already holds under this id decides what a run would really send (and a
  // changed content is refused here, before anything is shown or asked).
  out.reconciliation = delivery::reconcile_with_store(out.plan, ws.state.path, request.retry_failed);
  out.warnings.insert(out.warnings.end(), out.reconciliation.notes.begin(), out.reconciliation.notes.end());
  out.cost = delivery::estimate_cost(out.plan, ws.config, &out.reconciliation);
  return out;
}

void check_send_options(const SendOptions& options) {
  if (options.jobs < 1 || options.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  if (options.max_wait_seconds < 0) throw Error(ExitCode::usage, "--max-wait must be 0 or more seconds");
}

channel::RetryPolicy retry_policy(int max_wait_seconds) {
  channel::RetryPolicy policy;
  policy.max_wait = std::chrono::seconds(max_wait_seconds);
  if (const char* ms = std::getenv("SAMVAD_BACKOFF_MS"); ms && *ms)
    policy.backoff_base = std::chrono::milliseconds(std::atoll(ms));
  return policy;
}

bool needs_credentials(const delivery::Plan& plan) {
  for (const auto& d : plan.deliveries)
    if (const channel::Spec* spec = registry::find(d.channel); spec && spec->check_credentials) return true;
  return false;
}

config::Credentials no_credentials(const Workspace& ws) {
  config::Credentials none;
  none.path = ws.credentials_path;
  return none;
}

config::Credentials credentials_for(const delivery::Plan& plan, const Workspace& ws) {
  if (needs_credentials(plan)) return registry::load_credentials(ws.credentials_path, ws.config.department_ids());
  return no_credentials(ws);
}

void require_credentials(const delivery::Plan& plan, const config::Credentials& credentials, const Workspace& ws) {
  Diagnostics missing;
  std::set<std::string> checked;
  for (const auto& d : plan.deliveries) {
    const auto* department = ws.config.find_department(d.department);
    if (!department || !checked.insert(d.department + "\x1f" + d.channel).second) continue;
    for (auto& problem : registry::check_credentials(credentials, *department, d.channel))
      missing.add(std::move(problem));
  }
  missing.throw_if_any();
}

delivery::RunReport send_plan(const Workspace& ws, const config::Credentials& credentials, const delivery::Plan& plan,
                              const SendOptions& options, const channel::Services& services,
                              delivery::Observer& observer) {
  check_send_options(options);
  delivery::EngineOptions engine;
  engine.retry_failed = options.retry_failed;
  engine.store_path = ws.state.path;
  engine.jobs = options.jobs;
  engine.retry = retry_policy(options.max_wait_seconds);
  engine.sleep = options.sleep;
  engine.stopping = options.stopping;
  return delivery::run(plan, ws.config, credentials, services, engine, observer);
}

}  // namespace samvad::app
