// `samvad post` as a library call: from what the user asked to a plan checked against the store,
// then (once confirmed by the caller) to deliveries sent and recorded. The CLI only prints.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <samvad/app/compose.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/delivery/cost.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>

namespace samvad::app {

// What a reply answers (samvad reply): an item heard on a channel, in one language.
struct ReplyTarget {
  std::string remote_id;  // the item's id on its channel (a mention's post id)
  std::string language;   // the deliveries in this language (or in every one, "*") are kept
};

struct PostRequest {
  ComposeRequest compose;                // template_name empty with --text
  std::optional<std::string> text;       // --text
  std::vector<std::string> channels;     // --channels
  std::vector<std::string> media;        // --media FILE
  std::vector<std::string> alts;         // --alt TEXT
  std::vector<std::string> attachments;  // --attach FILE
  std::optional<std::string> id;         // --id
  bool retry_failed = false;             // --retry-failed
  std::optional<ReplyTarget> reply;      // set by samvad reply
};

// What a post would send, before anything is sent: the plan, what the store already holds of it
// (a changed content refused with 65 here, before any prompt), and the warnings to show.
struct PreparedPost {
  delivery::Plan plan;
  delivery::Reconciliation reconciliation;
  std::vector<Diagnostic> warnings;  // composing and planning warnings, then the reconciliation's notes
  delivery::CostEstimate cost;       // of what a run would send, on the channels that bill per request
  std::string kind;                  // of content, as approvals name it: a template's kind, "text", "reply"
};

// Throws Error: 64 (no template nor text, both, a channel that does not exist, nothing to send),
// 65/66/78 as compose and planning do.
PreparedPost prepare_post(const Workspace& workspace, const PostRequest& request);

// How a run sends: its store, parallelism, patience and what may cut it short.
struct SendOptions {
  int jobs = 8;               // 1-64 (64 otherwise)
  int max_wait_seconds = 60;  // 0 or more (64 otherwise)
  bool retry_failed = false;
  std::function<bool(std::chrono::milliseconds)> sleep;  // default: real sleep
  std::function<bool()> stopping;                        // default: never
};
void check_send_options(const SendOptions& options);

// Backoff between retries (SAMVAD_BACKOFF_MS shortens it for tests and benchmarks) and the
// longest wait for a rate limit.
channel::RetryPolicy retry_policy(int max_wait_seconds);

// credentials.yaml when a planned delivery's channel needs secrets (a notice feed needs none,
// so a feed-only post works without the file); an empty set naming the file otherwise.
bool needs_credentials(const delivery::Plan& plan);
config::Credentials credentials_for(const delivery::Plan& plan, const Workspace& workspace);
config::Credentials no_credentials(const Workspace& workspace);
// Every planned delivery's channel has what it needs from credentials.yaml (78 listing each).
void require_credentials(const delivery::Plan& plan, const config::Credentials& credentials,
                         const Workspace& workspace);

// Records and sends the plan (delivery::run); `observer` hears each delivery as it settles.
delivery::RunReport send_plan(const Workspace& workspace, const config::Credentials& credentials,
                              const delivery::Plan& plan, const SendOptions& options, const channel::Services& services,
                              delivery::Observer& observer);

}  // namespace samvad::app
