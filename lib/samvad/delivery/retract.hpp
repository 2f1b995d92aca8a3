// `samvad retract`: takes back every delivery of an announcement through its channel (Spec::retract:
// X deletes the posts, replies first; an unsent email is withdrawn; a page is removed), each
// delivery claimed while it is done. A delivery is called retracted only when nothing of it is
// left out; otherwise it stays as it was and the result says why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/channel/channel.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/store/location.hpp>

namespace samvad::delivery {

struct RetractRequest {
  std::string announcement_id;
  std::vector<std::string> departments;  // empty: every department of the announcement
};

struct RetractResult {
  // The announcement's deliveries as recorded afterwards; those this run could not retract carry
  // the reason in `error`.
  RunReport report;
  // ok: every chosen delivery that can be taken back is retracted; temp_fail (75): something could
  // not be done now (a server unreachable or busy, another samvad process on the delivery) and a
  // rerun may finish it; unavailable (69): refused (a delete, a look-up), or the department does
  // not have the channel any more.
  ExitCode exit_code = ExitCode::ok;
};

// Throws Error(66) for an unknown announcement, (64) for a department it did not go to.
RetractResult retract(const RetractRequest& request, const config::Config& config,
                      const config::Credentials& credentials, const store::Location& store_path,
                      const channel::Services& services, Observer& observer);

}  // namespace samvad::delivery
