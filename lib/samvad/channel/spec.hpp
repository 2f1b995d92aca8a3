// A channel as the rest of samvad sees it: one Spec per channel, listed once in the registry
// (registry/channels.cpp), as ccache lists its storage backends. The configuration, the
// planner, the engine, retract, check, reports and the CLI loop over the registry and call these;
// nothing outside a channel's folder names it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/channel/channel.hpp>
#include <samvad/channel/cost.hpp>
#include <samvad/channel/listen.hpp>
#include <samvad/channel/report.hpp>
#include <samvad/config/channel_settings.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/store/store.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>

namespace samvad::channel {

// What the planner of one channel gets for one department that uses it.
struct PlanRequest {
  const config::Config& config;
  const config::Department& department;
  const std::string& announcement_id;
  const templates::Message* message = nullptr;  // the template rendered for the department; nullptr with --text
  const std::vector<std::string>* text_parts = nullptr;  // --text, split into posts; nullptr with a template
  const std::vector<MediaItem>& media;
  const std::vector<Attachment>& attachments;
};

struct PlanResult {
  std::vector<store::PlannedDelivery> deliveries;
  std::vector<std::string> skipped;  // "fire-brigade: the template has no tweet"
  std::vector<Diagnostic> warnings;  // e.g. invalid subscriber lines, with file:line
};

struct RetractContext {
  const config::Department* department = nullptr;  // nullptr: no longer configured
  const config::Credentials& credentials;
  const Services& services;
  std::function<void(const std::string&)> note;  // progress for -v
};

// What retracting one (claimed) delivery came to.
struct Retraction {
  enum class Kind {
    retracted,  // nothing of it is out any more: recorded as retracted
    kept,       // it cannot be taken back (a sent email); it stays as it is, `reason` says why
    stopped,    // something stood in the way: `code` 75 (try again) or 69 (refused), `reason`
  };
  Kind kind = Kind::retracted;
  ExitCode code = ExitCode::ok;
  std::string reason;
};

// What `check` learns from a channel beyond the configuration: lines for the list of what was
// checked, problems, warnings, notes (worth knowing, never a failure, not even with --strict) and
// counters for the summary ("subscribers", "accounts_checked").
struct CheckFindings {
  std::vector<std::string> checked;
  std::vector<Diagnostic> problems;
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> notes;
  std::map<std::string, std::size_t> counts;
};

// A template as `check` rendered it with its example values for one department.
struct Rendered {
  const config::Department& department;
  const templates::Message& message;
};

struct SummaryLine {
  std::string heading;  // "X @PCMCWaterSupply", "email water@lists.example.org"
  std::string item;     // "mr 1 post", "23 recipients"
};

struct Spec {
  std::string name;    // the key in departments.yaml, in --channels and in the store: "twitter"
  std::string title;   // for people: "X"
  std::string absent;  // why a department is passed over: "no X account"
  // What of a template it sends: posts (tweet/thread per language) and/or the message (email's
  // subject, text, html with every language).
  templates::Contents contents;
  bool takes_text = false;         // sends a one-off --text
  bool takes_attachments = false;  // sends --attach files
  // Why an --attach file's name cannot go out on this channel (a mail header needs it whole).
  std::function<std::optional<std::string>(const std::string& name)> attachment_name_problem;
  // Parts carry what is made anew at every planning (Message-IDs): a rerun compares the
  // delivery's content, not its parts' payloads.
  bool compare_content_only = false;

  std::function<std::unique_ptr<config::SectionReader>()> section_reader;
  // Values a department's texts may use as {{<name>.<key>}} for an announcement ({{feed.url}}):
  // known before rendering, from the announcement's id. Absent: the channel gives none.
  std::function<std::map<std::string, std::string>(const config::Department&, const std::string& announcement_id)>
      template_values;
  // `check`: the channel's own files and settings of every department (offline), and with
  // --online what its service says of the credentials (e.g. whose account a token is).
  std::function<void(const config::Config&, CheckFindings&)> check;
  std::function<void(const config::Config&, const config::Credentials&, const Services&, CheckFindings&)> check_online;
  // `check`: what the channel has to say of a template as rendered for every department (a post
  // with a URL costs more on X).
  std::function<void(const templates::Template&, const std::vector<Rendered>&, CheckFindings&)> check_template;
  // The sections of credentials.yaml the channel reads (registry::load_credentials accepts these).
  std::vector<config::CredentialSection> credential_sections;
  // What the department's use of the channel needs from credentials.yaml (ExitCode::config each).
  std::function<std::vector<Diagnostic>(const config::Credentials&, const config::Department&)> check_credentials;
  std::function<void(const PlanRequest&, PlanResult&)> plan;
  // What the department's settings for the channel refuse of a template rendered for it (a
  // thread where threads are off), each at the text's place, ExitCode::data: `check`, `preview`
  // and `post` report these before anything is planned or sent. Absent: whatever renders goes.
  std::function<std::vector<Diagnostic>(const templates::Template&, const config::Department&,
                                        const templates::Message&)>
      check_message;
  // Makes a planned delivery a reply to `remote_id`, an item heard on the channel (samvad
  // reply); absent: the channel cannot answer.
  std::function<void(store::PlannedDelivery&, const std::string& remote_id)> make_reply;
  // The department's settings for this channel made to reach exactly `addresses` (people, not
  // its audience: a department head's digest); absent: the channel cannot address people.
  std::function<std::shared_ptr<const config::ChannelSettings>(const config::ChannelSettings&,
                                                               const std::vector<std::string>& addresses)>
      addressed_to;
  // One per worker thread: need not be thread-safe.
  std::function<std::unique_ptr<Sender>(const Services&)> sender;
  // Hears what people said to a department's account (samvad inbox sync); absent: the channel
  // only speaks. One per worker thread; departments that do not use the channel are not asked.
  std::function<std::unique_ptr<Listener>(const Services&)> listener;
  // Takes back what a claimed delivery put out; records its parts as it goes.
  std::function<Retraction(store::Store&, const store::Delivery&, const RetractContext&)> retract;

  // Reports: the channel's reading of a delivery's content and parts (account, urls, recipients),
  // and its fields in the JSON shape of a delivery and of a part.
  std::function<void(const std::string& content, DeliveryReport&)> describe;
  std::function<void(const DeliveryReport&, nlohmann::json&)> json;
  std::function<nlohmann::json(const DeliveryReport&, const PartReport&)> part_json;
  // For people: what the delivery came to after the status ("3 of 5 recipients", the post URLs).
  std::function<std::string(const DeliveryReport&)> outcome_text;
  // Its fields in `departments --json` for every department (the X handle, or null).
  std::function<void(const config::Department&, nlohmann::json&)> department_json;
  // What a planned delivery will send, as lines of plain text (--dry-run, the confirmation);
  // `sent` marks parts a rerun leaves out. `heading` ends the delivery's title line (" — thread of 3").
  std::function<std::vector<std::string>(const store::PlannedDelivery&, const std::vector<bool>& sent)> show;
  std::function<std::string(const store::PlannedDelivery&)> heading;
  // Its piece of the confirmation summary: deliveries of one department and channel with the
  // same `heading` share a line ("X @PCMCWater: mr 1 post, en thread of 3").
  std::function<SummaryLine(const store::PlannedDelivery&, std::size_t recipients)> summary;

  // A channel that bills per request (cost.hpp); absent for one that costs nothing to send on.
  // What sending the parts of a planned delivery not marked `sent` costs the department:
  std::function<Cost(const config::Department&, const store::PlannedDelivery&, const std::vector<bool>& sent)> cost;
  // the estimate in words ("3 posts, 1 with a URL");
  std::function<std::string(const Cost&)> cost_text;
  // its field in `preview --json` ("x_cost_usd");
  std::string cost_field;
  // its field in `stats --json` for what the store recorded as spent ("x_spend_usd");
  std::string spend_field;
  // and the monthly budgets its recorded spend plus an estimate must stay within.
  std::function<std::vector<Budget>(const config::Config&)> budgets;
  // The least one sync of the department's account is billed (a listener reads until nothing is
  // left, so only its first read is known beforehand): what a budget must still have room for.
  std::function<Cost(const config::Department&)> listen_cost;
};

}  // namespace samvad::channel
