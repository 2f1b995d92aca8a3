#include <samvad/app/due.hpp>

#include <algorithm>

namespace samvad::app {

std::string to_string(DueItem::Action action) {
  switch (action) {
    case DueItem::Action::post: return "post";
    case DueItem::Action::resume: return "resume";
    case DueItem::Action::superseded: return "superseded";
    case DueItem::Action::skipped: return "skipped";
  }
  return "?";
}

ComposeRequest compose_request(const schedule::Entry& entry, const schedule::LocalTime& occurrence) {
  ComposeRequest request;
  request.template_name = entry.template_name;
  request.departments = entry.departments;
  request.all = entry.all;
  request.vars = entry.vars;
  request.channels = entry.channels;
  request.occurrence = schedule::to_iso(occurrence);
  request.id = entry.announcement_id(occurrence);  // what run-due posts it as
  return request;
}

namespace {

bool unsettled(const std::string& status, bool retry_failed) {
  // Awaiting approval: each run looks again whether its entry's content was approved since (and
  // says it still waits); a rejected occurrence is left alone.
  return status == "pending" || status == "deferred" || status == "partial" || status == "awaiting-approval" ||
         (retry_failed && status == "failed");
}

}  // namespace

std::vector<DueItem> due_now(const schedule::Schedule& schedule, const store::Store* st, const schedule::LocalTime& now,
                             std::chrono::seconds catch_up, const std::string& time_zone, bool retry_failed) {
  std::vector<DueItem> out;
  const auto now_instant = schedule::to_instant(now, time_zone);
  for (const auto& entry : schedule.entries) {
    // Occurrences posted by an earlier run and not settled (an outage, a rate limit, a kill)
    // are finished while they are still timely.
    const auto records = st ? st->occurrences(entry.id) : std::vector<store::OccurrenceRecord>{};  // latest first
    std::optional<schedule::LocalTime> latest_recorded;
    if (!records.empty()) latest_recorded = schedule::parse_local_time(records.front().occurrence);
    for (const auto& r : records) {
      if (r.outcome != "posted") continue;
      const std::string status = st->status_of(r.announcement_id);
      if (!unsettled(status, retry_failed)) continue;
      auto when = schedule::parse_local_time(r.occurrence);
      if (!when) continue;
      if (entry.expires && now >= *entry.expires) continue;
      if (now_instant - schedule::to_instant(*when, time_zone) > catch_up) continue;
      out.push_back(DueItem{DueItem::Action::resume, &entry, *when, r.announcement_id, status});
    }
    auto recorded = [&](const std::string& id) {
      return st && (st->occurrence(id).has_value() || st->announcement(id).has_value());
    };
    for (const auto& d : schedule::decide(entry, now, catch_up, recorded, time_zone, latest_recorded)) {
      DueItem item;
      item.entry = &entry;
      item.occurrence = d.occurrence;
      item.announcement_id = entry.announcement_id(d.occurrence);
      item.reason = d.reason;
      item.action = d.kind == schedule::Decision::Kind::post         ? DueItem::Action::post
                    : d.kind == schedule::Decision::Kind::superseded ? DueItem::Action::superseded
                                                                     : DueItem::Action::skipped;
      out.push_back(std::move(item));
    }
  }
  return out;
}

std::vector<OccurrenceStatus> schedule_overview(const schedule::Schedule& schedule, const store::Store* st,
                                                const schedule::LocalTime& now, int days, const std::string& time_zone,
                                                std::chrono::seconds catch_up, std::size_t past_limit) {
  std::vector<OccurrenceStatus> out;
  const auto now_instant = schedule::to_instant(now, time_zone);
  const schedule::LocalTime until = schedule::to_local(now_instant + std::chrono::hours(24 * days), time_zone);
  // What run-due would do at this moment, decided by the same function.
  const auto due = due_now(schedule, st, now, catch_up, time_zone);
  for (const auto& entry : schedule.entries) {
    if (st) {
      auto records = st->occurrences(entry.id);
      if (records.size() > past_limit) records.resize(past_limit);
      for (const auto& r : records) {
        OccurrenceStatus s{&entry, schedule::parse_local_time(r.occurrence).value_or(schedule::LocalTime{}), r.announcement_id,
                           r.outcome, r.reason};
        if (r.outcome == "posted") s.status = st->status_of(r.announcement_id);
        for (const auto& item : due)
          if (item.action == DueItem::Action::resume && item.announcement_id == r.announcement_id)
            s.detail = "run-due resumes it";
        out.push_back(std::move(s));
      }
    }
    for (const auto& item : due) {
      if (item.entry != &entry || item.action == DueItem::Action::resume) continue;
      OccurrenceStatus s{&entry, item.occurrence, item.announcement_id, "", item.reason};
      switch (item.action) {
        case DueItem::Action::post:
          s.status = "due";
          s.detail = "run-due posts it until " +
                     schedule::to_iso(schedule::to_local(schedule::to_instant(item.occurrence, time_zone) + catch_up, time_zone));
          break;
        case DueItem::Action::superseded: s.status = "superseded"; break;
        case DueItem::Action::skipped: s.status = "missed"; break;
        case DueItem::Action::resume: break;
      }
      out.push_back(std::move(s));
    }
    for (const auto& t : entry.occurrences(now, until)) {
      if (t <= now) continue;  // now itself was decided above
      const std::string id = entry.announcement_id(t);
      if (st && st->occurrence(id)) continue;
      std::string status = "upcoming";
      if (entry.expires && t >= *entry.expires) status = "after expiry";
      out.push_back(OccurrenceStatus{&entry, t, id, status, ""});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OccurrenceStatus& a, const OccurrenceStatus& b) { return a.occurrence < b.occurrence; });
  return out;
}

}  // namespace samvad::app
