// What `samvad run-due` has to do at a given moment, from the schedule and what the store
// recorded: post the latest due occurrence of each entry, resume occurrences posted earlier
// that are not settled yet, and record the ones superseded or too late (never posted late).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <samvad/app/compose.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

struct DueItem {
  enum class Action { post, resume, superseded, skipped };
  Action action = Action::post;
  const schedule::Entry* entry = nullptr;
  schedule::LocalTime occurrence;
  std::string announcement_id;
  std::string reason;  // superseded / skipped: why; resume: the recorded status
};

std::string to_string(DueItem::Action action);

// What composing one occurrence of `entry` asks for: its template, departments and variables,
// with the occurrence as {{occurrence.*}}. Shared by run-due (posting) and check (validating).
ComposeRequest compose_request(const schedule::Entry& entry, const schedule::LocalTime& occurrence);

// In schedule order. Reads the store (nullptr: nothing recorded yet); writes nothing.
// `retry_failed`: occurrences whose announcement failed are resumed too (--retry-failed).
std::vector<DueItem> due_now(const schedule::Schedule& schedule, const store::Store* store,
                             const schedule::LocalTime& now, std::chrono::seconds catch_up, const std::string& time_zone,
                             bool retry_failed = false);

// The status of a scheduled occurrence for `samvad schedule`: "upcoming", "due", or what the
// store says ("delivered", "deferred", "superseded", "skipped", ...).
struct OccurrenceStatus {
  const schedule::Entry* entry = nullptr;
  schedule::LocalTime occurrence;
  std::string announcement_id;
  std::string status;
  std::string detail;
};

// Past occurrences recorded in the store (at most `past_limit` per entry, latest first), what
// run-due would do now with the ones not recorded (exactly as due_now with `catch_up` decides:
// "due", "superseded", "missed"), and every occurrence after `now` up to `now + days`, in time
// order. A recorded occurrence run-due would resume says so in its detail.
std::vector<OccurrenceStatus> schedule_overview(const schedule::Schedule& schedule, const store::Store* store,
                                                const schedule::LocalTime& now, int days, const std::string& time_zone,
                                                std::chrono::seconds catch_up = schedule::kDefaultCatchUp,
                                                std::size_t past_limit = 5);

}  // namespace samvad::app
