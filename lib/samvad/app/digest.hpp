// `samvad digest` as library calls: each department head's daily email of what citizens said
// and what is still open, sent through a channel that can address people (email), recorded as
// the announcement digest-<department>@<local date>: at most one a department a day, resumed
// (as recorded) when a run was cut short, and none when nothing is open and nothing is new.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/inbox/digest.hpp>

namespace samvad::app {

struct DigestRequest {
  std::vector<std::string> departments;  // -d; empty: every department with inbox.digest_to
  bool all = false;                      // --all (the default): 64 together with -d
  std::string since = "24h";             // --since DURATION: what counts as new
};

struct PreparedDigest {
  const config::Department* department = nullptr;
  std::string announcement_id;
  inbox::DigestFigures figures;
  std::optional<delivery::Plan> plan;  // what to send; nullopt when nothing is
  // What to send it with: the workspace whose department reaches its heads through the channel
  // that sends the digest (its own server and sender, else the top-level ones), set with `plan`.
  std::optional<Workspace> sending;
  std::string skipped;                 // why nothing is sent: "nothing open and nothing new", "sent already"
  bool resumes = false;                // today's digest was cut short: the rest goes out as recorded
};

// Throws 64 for a bad --since, an unknown department or one without inbox.digest_to; 78 for a
// department whose digest no channel can send (it needs email settings).
std::vector<PreparedDigest> prepare_digests(const Workspace& workspace, const DigestRequest& request,
                                            std::chrono::system_clock::time_point now);

nlohmann::json to_json(const PreparedDigest& digest, const std::optional<delivery::RunReport>& report);

}  // namespace samvad::app
