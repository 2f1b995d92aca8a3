#include <samvad/schedule/schedule.hpp>

#include <samvad/text/timestamp.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/text.hpp>
#include <samvad/registry/channels.hpp>

namespace samvad::schedule {

namespace {

const std::vector<std::string> kEntryKeys{"id",   "template", "departments", "vars",  "channels",
                                          "at",   "cron",     "start",       "until", "expires"};

std::optional<LocalTime> local_time(config::YamlReader& reader, const YAML::Node& node, const std::string& what) {
  auto text = reader.string(node, what);
  if (!text) return std::nullopt;
  auto t = parse_local_time(*text);
  if (!t) reader.error(node, what + " is not a local time; expected YYYY-MM-DDTHH:MM (or YYYY-MM-DD) in organization.timezone");
  return t;
}

LocalTime end_of_day(LocalTime t) {
  t.hour = 23;
  t.minute = 59;
  return t;
}

}  // namespace

std::vector<LocalTime> Entry::occurrences(const LocalTime& from, const LocalTime& to) const {
  std::vector<LocalTime> out;
  for (const auto& t : at)
    if (t >= from && t <= to) out.push_back(t);
  if (cron) {
    LocalTime lo = start ? std::max(from, *start) : from;
    LocalTime hi = until ? std::min(to, end_of_day(*until)) : to;
    if (lo <= hi) {
      auto found = occurrences_between(*cron, lo, hi);
      out.insert(out.end(), found.begin(), found.end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Entry::announcement_id(const LocalTime& occurrence) const { return id + "@" + to_iso(occurrence); }

const Entry* Schedule::find(const std::string& id) const {
  for (const auto& e : entries)
    if (e.id == id) return &e;
  return nullptr;
}

std::filesystem::path find_schedule_path(const std::optional<std::string>& flag, const config::Config& config) {
  if (flag && !flag->empty()) return *flag;
  if (const char* env = std::getenv("SAMVAD_SCHEDULE"); env && *env) return env;
  return config.dir / "schedule.yaml";
}

Schedule load_schedule(const std::filesystem::path& path, const config::Config& config) {
  auto text = read_whole_file(path, FileKind::schedule);
  if (!text && text.error().reason == FileProblem::Reason::missing)
    throw Error(ExitCode::no_input, "no schedule file; expected schedule.yaml beside departments.yaml, $SAMVAD_SCHEDULE or --schedule FILE",
                SourceLocation{path.string(), 0, 0});
  if (!text) throw Error(text.error().code, text.error().message, SourceLocation{path.string(), 0, 0});
  return parse_schedule(*text, path, config);
}

namespace {

// When an entry is due: fixed times (at), a cron rule with its start and until, its expiry.
void read_timing(config::YamlReader& reader, const YAML::Node& node, const std::vector<config::MapEntry>& fields,
                 const std::string& what, Entry& e) {
  if (auto* v = config::find_entry(fields, "at")) {
    if (v->value.IsSequence()) {
      for (const auto& item : v->value)
        if (auto t = local_time(reader, item, what + ".at")) e.at.push_back(*t);
    } else if (auto t = local_time(reader, v->value, what + ".at")) {
      e.at.push_back(*t);
    }
    std::sort(e.at.begin(), e.at.end());
  }
  if (auto* v = config::find_entry(fields, "cron")) {
    if (auto text = reader.string(v->value, what + ".cron")) {
      auto parsed = CronExpression::parse(*text);
      if (parsed.ok())
        e.cron = *parsed;
      else
        reader.error(v->value, what + ".cron '" + shown(*text) + "': " + parsed.error());
    }
  }
  for (auto [key, slot] : {std::pair{"start", &e.start}, {"until", &e.until}, {"expires", &e.expires}})
    if (auto* v = config::find_entry(fields, key)) *slot = local_time(reader, v->value, what + "." + key);
  if (e.at.empty() && !e.cron)
    reader.error(node,
                 what + " says neither when nor how often; expected 'at: [times]' or 'cron: \"m h dom mon dow\"'");
  if ((e.start || e.until) && !e.cron)
    reader.error(node, what + ": start and until go with cron; expected a cron rule or no start/until");
  if (e.start && e.until && *e.until < *e.start) reader.error(node, what + ": until is before start");
}

// One '- id: ...' entry: what to post, to whom, and when.
Entry read_entry(config::YamlReader& reader, const YAML::Node& node, const config::Config& config,
                 const Schedule& schedule) {
  static const std::regex id_pattern("[A-Za-z0-9._-]{1,100}");
  Entry e;
  e.where = reader.where(node);
  auto fields = reader.map(node, "a schedule entry", kEntryKeys);
  std::string what = "entry";
  if (auto v = reader.required(node, fields, "id", "a schedule entry")) {
    if (auto id = reader.string(*v, "id")) {
      what = "entry " + *id;
      if (!std::regex_match(*id, id_pattern))
        reader.error(*v, "id '" + shown(*id) + "': expected 1-100 letters, digits or . _ -");
      else if (schedule.find(*id))
        reader.error(*v, "id '" + shown(*id) + "' is used by another entry; expected each id once");
      e.id = *id;
    }
  }
  if (auto v = reader.required(node, fields, "template", what))
    if (auto t = reader.string(*v, what + ".template")) e.template_name = *t;
  if (auto v = reader.required(node, fields, "departments", what)) {
    if (v->IsScalar() && v->as<std::string>() == "all") {
      e.all = true;
    } else if (auto list = reader.string_list(*v, what + ".departments")) {
      for (const auto& d : *list)
        if (!config.find_department(d))
          reader.error(
              *v, what + ": unknown department '" + shown(d) + "'; expected one of departments.yaml's ids or 'all'");
      e.departments = *list;
      if (list->empty()) reader.error(*v, what + ".departments is empty; expected department ids or 'all'");
    }
  }
  if (auto* v = config::find_entry(fields, "vars")) e.vars = templates::read_vars(reader, v->value, what + ".vars");
  if (auto* v = config::find_entry(fields, "channels")) {
    if (auto list = reader.string_list(v->value, what + ".channels")) {
      for (const auto& c : *list)
        if (!registry::find(c))
          reader.error(v->value,
                       what + ": unknown channel '" + shown(c) + "'; expected " + registry::listing(registry::names()));
      e.channels = *list;
    }
  }
  read_timing(reader, node, fields, what, e);
  return e;
}

}  // namespace

Schedule parse_schedule(const std::string& yaml, const std::filesystem::path& path, const config::Config& config) {
  config::YamlDocument doc = config::parse_yaml(yaml, path.string(), ExitCode::config);
  Diagnostics diagnostics;
  config::YamlReader reader(doc.file, ExitCode::config, diagnostics);
  Schedule schedule;
  schedule.path = path;
  auto top = reader.map(doc.root, "the schedule", {"entries"});
  const config::MapEntry* entries = config::find_entry(top, "entries");
  if (!entries || !entries->value.IsSequence()) {
    reader.error(entries ? entries->value : doc.root, "the schedule has no list of entries; expected 'entries:' with one '- id: ...' per notice");
    diagnostics.throw_if_any();
  }
  for (const auto& node : entries->value) schedule.entries.push_back(read_entry(reader, node, config, schedule));
  diagnostics.throw_if_any();
  return schedule;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  // By hand, not std::regex: libstdc++'s executor recurses once per character, and a long run
  // of spaces in --catch-up overflowed the stack.
  std::size_t i = 0;
  long long n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') n = n * 10 + (text[i++] - '0');
  if (i == 0 || i > 6) return std::nullopt;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i + 1 != text.size() || std::string_view("smhd").find(text[i]) == std::string_view::npos) return std::nullopt;
  switch (text[i]) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    default: return std::chrono::hours(24 * n);
  }
}

LocalTime parse_command_time(std::string_view text, std::string_view option) {
  auto t = parse_local_time(text);
  if (!t) throw Error(ExitCode::usage, std::string(option) + " '" + shown(text) + "': expected YYYY-MM-DDTHH:MM");
  if (t->year < kFirstCommandYear || t->year > kLastCommandYear)
    throw Error(ExitCode::usage, std::string(option) + " '" + shown(text) + "': expected a time in the years " +
                                     std::to_string(kFirstCommandYear) + " to " + std::to_string(kLastCommandYear));
  return *t;
}

std::chrono::seconds parse_catch_up(std::string_view text) {
  auto d = parse_duration(text);
  if (!d) throw Error(ExitCode::usage, "--catch-up '" + shown(text) + "': expected a duration like 2h, 90m or 1d");
  if (*d > std::chrono::hours(24 * 366)) throw Error(ExitCode::usage, "--catch-up '" + shown(text) + "': expected at most 366d");
  return *d;
}

std::string to_iso8601(const LocalTime& t, const std::string& time_zone) {
  try {
    return text::format_iso8601(to_instant(t, time_zone), time_zone);
  } catch (const std::exception&) {
    return to_iso(t);
  }
}

std::vector<Decision> decide(const Entry& entry, const LocalTime& now, std::chrono::seconds catch_up,
                             const std::function<bool(const std::string&)>& recorded, const std::string& time_zone,
                             const std::optional<LocalTime>& latest_recorded, std::chrono::hours look_back) {
  constexpr std::size_t kListedSuperseded = 20;
  const auto now_instant = to_instant(now, time_zone);
  const LocalTime from = to_local(now_instant - look_back, time_zone);
  std::vector<LocalTime> due;
  for (const auto& t : entry.occurrences(from, now))
    if ((!latest_recorded || t > *latest_recorded) && !recorded(entry.announcement_id(t))) due.push_back(t);
  std::vector<Decision> out;
  if (due.empty()) return out;
  const LocalTime latest = due.back();
  const std::size_t earlier = due.size() - 1;
  const std::size_t first_listed = earlier > kListedSuperseded ? earlier - kListedSuperseded : 0;
  for (std::size_t i = first_listed; i < earlier; ++i) {
    std::string reason = "superseded by the occurrence at " + to_iso(latest);
    if (i == first_listed && first_listed > 0) reason += " (as were " + std::to_string(first_listed) + " earlier ones, not listed)";
    out.push_back(Decision{Decision::Kind::superseded, due[i], reason});
  }
  const auto age = now_instant - to_instant(latest, time_zone);
  if (entry.expires && now >= *entry.expires)
    out.push_back(Decision{Decision::Kind::skipped, latest, "expired at " + to_iso(*entry.expires) + "; never posted late"});
  else if (age > catch_up)
    out.push_back(Decision{Decision::Kind::skipped, latest,
                           "due " + std::to_string(std::chrono::duration_cast<std::chrono::minutes>(age).count()) +
                               " minutes ago, more than the catch-up window; never posted late"});
  else
    out.push_back(Decision{Decision::Kind::post, latest, ""});
  return out;
}

}  // namespace samvad::schedule
