// `samvad retract`: deletes every post of an announcement (replies first, so a thread never
// dangles), records each as retracted; a post that is already gone counts as retracted. A part
// whose answer was lost (its id never learned) is first looked for on the account by its exact
// text. A delivery is called retracted only when nothing of it is left on X; otherwise it stays
// as it was and the result says why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::delivery {

struct RetractRequest {
  std::string announcement_id;
  std::vector<std::string> departments;  // empty: every department of the announcement
};

struct RetractResult {
  // The announcement's deliveries as recorded afterwards; those this run could not retract carry
  // the reason in `error`.
  RunReport report;
  // ok: every chosen X delivery is retracted; temp_fail (75): something could not be done now (X
  // unreachable or busy, a look-up that failed, another samvad process on the delivery) and a
  // rerun may finish it; unavailable (69): X refused (a delete, a look-up), or the department has
  // no X account any more.
  ExitCode exit_code = ExitCode::ok;
};

// Throws Error(66) for an unknown announcement, (64) for a department it did not go to.
RetractResult retract(const RetractRequest& request, const config::Config& config, const config::Credentials& credentials,
                      const std::filesystem::path& store_path, const twitter::HttpFactory& http, Observer& observer);

}  // namespace samvad::delivery
