// `samvad retract` as library calls: what a retraction needs (the workspace, the credentials
// when there are any, an existing store), then the retraction itself once the caller confirmed.
#pragma once

#include <filesystem>

#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/retract.hpp>

namespace samvad::app {

struct RetractTarget {
  Workspace workspace;
  // credentials.yaml when it exists: a channel that needs no secrets (the notice feed) retracts
  // without it, one that does says what it lacks.
  config::Credentials credentials;
  store::Location store;
};

// Throws as the workspace and credentials load, and 66 when there is no store yet.
RetractTarget open_retract(const Paths& paths);

// delivery::retract, with the report's email languages named from the configuration.
delivery::RetractResult retract(const RetractTarget& target, const delivery::RetractRequest& request,
                                const channel::Services& services, delivery::Observer& observer);

}  // namespace samvad::app
