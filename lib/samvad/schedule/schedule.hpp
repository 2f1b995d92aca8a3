// schedule.yaml: the notices the PRO office wants posted at set times (`at:` a list of local
// times) or on a recurring rule (`cron:` five fields, between `start` and `until`), and the
// decision of which occurrences are due at a given moment. Loading reports every problem with
// file:line:column; deciding is a pure function of the entry, the moment and what was recorded.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/schedule/cron.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::schedule {

struct Entry {
  std::string id;
  std::string template_name;
  std::vector<std::string> departments;  // empty with all
  bool all = false;
  templates::Variables vars;
  std::vector<std::string> channels;  // empty: every channel
  std::vector<LocalTime> at;          // one-off times, in order
  std::optional<CronExpression> cron;
  std::optional<LocalTime> start, until;  // cron only: the first and last day (inclusive)
  std::optional<LocalTime> expires;       // never posted at or after this
  SourceLocation where;

  // Its occurrences in [from, to], in order (at-times, or cron matches within start..until).
  std::vector<LocalTime> occurrences(const LocalTime& from, const LocalTime& to) const;
  // The announcement id of one occurrence: "<id>@<2026-12-03T07:00>".
  std::string announcement_id(const LocalTime& occurrence) const;
};

struct Schedule {
  std::filesystem::path path;
  std::vector<Entry> entries;
  const Entry* find(const std::string& id) const;
};

// --schedule, else $SAMVAD_SCHEDULE, else schedule.yaml beside the configuration file.
std::filesystem::path find_schedule_path(const std::optional<std::string>& flag, const config::Config& config);

// Throws Error: 66 missing file, 78 invalid (every problem, with file:line:column).
Schedule load_schedule(const std::filesystem::path& path, const config::Config& config);
Schedule parse_schedule(const std::string& yaml, const std::filesystem::path& path, const config::Config& config);

// "2026-12-02T18:00:00+05:30": a local time with the offset it has in `time_zone`, as --json
// gives every time (for a moment the clock cannot hold, the local time alone).
std::string to_iso8601(const LocalTime& t, const std::string& time_zone);

// How late run-due may still post an occurrence unless told otherwise (--catch-up); `schedule`
// and `check` judge with the same window, so the three agree on what is still due.
inline constexpr std::chrono::seconds kDefaultCatchUp{2 * 60 * 60};

// "2h", "90m", "1d", "45s" -> seconds; nullopt when malformed.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// The command line's --now (run-due, schedule, check): parse_local_time's forms in the years
// kFirstCommandYear to kLastCommandYear. Error(64) naming `option` otherwise.
LocalTime parse_command_time(std::string_view text, std::string_view option = "--now");

// The command line's --catch-up (run-due, schedule): parse_duration, at most 366 days (it is
// compared with clock differences in nanoseconds, which hold about 292 years). Error(64) otherwise.
std::chrono::seconds parse_catch_up(std::string_view text);

// What run-due should do with one occurrence.
struct Decision {
  enum class Kind { post, superseded, skipped };
  Kind kind = Kind::post;
  LocalTime occurrence;
  std::string reason;  // for superseded and skipped
};

// The occurrences of `entry` due at `now` that nothing was recorded for: those after
// `latest_recorded` (the entry's latest occurrence with a record: everything up to it was
// handled) and within `look_back`, skipping any `recorded` says has a record. The latest is
// posted unless it is older than `catch_up` or at/after `expires` (then skipped); the earlier
// ones are superseded by it (at most the 20 latest are listed, the reason counts the rest).
std::vector<Decision> decide(const Entry& entry, const LocalTime& now, std::chrono::seconds catch_up,
                             const std::function<bool(const std::string& announcement_id)>& recorded,
                             const std::string& time_zone, const std::optional<LocalTime>& latest_recorded = std::nullopt,
                             std::chrono::hours look_back = std::chrono::hours(24 * 31));

}  // namespace samvad::schedule
