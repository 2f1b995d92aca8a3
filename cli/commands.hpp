// The delivery commands of the samvad executable (post, status, history, retract, authorize):
// each turns its parsed options into library calls and prints the result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/app/compose.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>

#include "terminal.hpp"

namespace samvad::cli {

// Real HTTP (libcurl), TLS verified (trusting a channel's ca_file too), as samvad/<version>.
channel::HttpFactory http_factory();

struct PostOptions {
  app::ComposeRequest compose;            // template_name empty with --text
  std::optional<std::string> text;        // --text
  std::vector<std::string> channels;      // --channels
  std::vector<std::string> media;         // --media FILE
  std::vector<std::string> alts;          // --alt TEXT
  std::vector<std::string> attachments;   // --attach FILE
  std::optional<std::string> id;          // --id
  bool dry_run = false;
  bool yes = false;
  bool retry_failed = false;  // --retry-failed
  bool full = false;          // --full: every text above the confirmation summary
  int max_wait_seconds = 60;
  int jobs = 8;
};

int run_post(Terminal& term, const app::Paths& paths, const PostOptions& options);

struct RunDueOptions {
  std::optional<std::string> now;  // --now YYYY-MM-DDTHH:MM (tests, back-fills)
  std::string catch_up = "2h";     // --catch-up DURATION
  bool yes = false;
  bool retry_failed = false;       // --retry-failed
  bool dry_run = false;            // --dry-run
  int max_wait_seconds = 60;
  int jobs = 8;
};

int run_due(Terminal& term, const app::Paths& paths, const RunDueOptions& options);
int run_schedule(Terminal& term, const app::Paths& paths, int days, const std::optional<std::string>& now,
                 const std::string& catch_up);
int run_status(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id);
int run_history(Terminal& term, const app::Paths& paths, const std::optional<std::string>& department,
                const std::optional<std::string>& since, int limit);
int run_retract(Terminal& term, const app::Paths& paths, const std::string& id, const std::vector<std::string>& departments,
                bool yes);
int run_authorize(Terminal& term, const app::Paths& paths, const std::string& department, bool force);

}  // namespace samvad::cli
