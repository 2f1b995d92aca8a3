#include <samvad/delivery/reconcile.hpp>

#include <samvad/registry/channels.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

namespace samvad::delivery {

namespace {

// A text on one line for a message: line ends shown as ⏎, other control characters as spaces.
icu::UnicodeString one_line(const std::string& text) {
  std::string flat;
  for (char c : text) {
    if (c == '\n') flat += " ⏎ ";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) flat += ' ';
    else flat += c;
  }
  return icu::UnicodeString::fromUTF8(flat);
}

// At most `max` characters (grapheme clusters, so a Devanagari conjunct is never cut) of `u`
// from UTF-16 offset `from` (moved back to a character boundary), with … where it is cut.
std::string window(const icu::UnicodeString& u, int32_t from, int32_t max = 60) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  std::string out;
  if (U_FAILURE(status)) {
    u.toUTF8String(out);
    return "«" + out + "»";
  }
  it->setText(u);
  int32_t start = from <= 0 ? 0 : (it->isBoundary(from) ? from : it->preceding(from));
  if (start == icu::BreakIterator::DONE) start = 0;
  int32_t end = start, count = 0;
  it->following(start);
  for (int32_t next = it->current(); count < max && next != icu::BreakIterator::DONE; next = it->next()) {
    end = next;
    ++count;
  }
  u.tempSubString(start, end - start).toUTF8String(out);
  return std::string("«") + (start > 0 ? "…" : "") + out + (end < u.length() ? "…" : "") + "»";
}

std::string excerpt(const std::string& text) { return window(one_line(text), 0); }

// Both texts from a little before where they first differ, so the difference is in view.
std::pair<std::string, std::string> excerpts(const std::string& a, const std::string& b) {
  const icu::UnicodeString ua = one_line(a), ub = one_line(b);
  int32_t i = 0;
  while (i < ua.length() && i < ub.length() && ua[i] == ub[i]) ++i;
  const int32_t from = i > 20 ? i - 20 : 0;
  return {window(ua, from), window(ub, from)};
}

std::string key_of(const std::string& department, const std::string& channel, const std::string& language) {
  return department + "\x1f" + channel + "\x1f" + language;
}

std::string label_of(const std::string& department, const std::string& channel, const std::string& language) {
  return department + " " + channel + (language == "*" ? "" : " " + language);
}

// The first top-level field of two JSON objects that differs, as "the subject: recorded «…», now «…»".
std::string json_difference(const std::string& recorded_text, const std::string& planned_text) {
  if (recorded_text == planned_text) return "";
  auto recorded = nlohmann::json::parse(recorded_text, nullptr, false);
  auto planned = nlohmann::json::parse(planned_text, nullptr, false);
  if (recorded.is_discarded() || planned.is_discarded() || !recorded.is_object() || !planned.is_object()) {
    if (recorded == planned && !recorded.is_discarded()) return "";
    return "the recorded content " + excerpt(recorded_text) + " differs from the planned " + excerpt(planned_text);
  }
  if (recorded == planned) return "";
  std::set<std::string> keys;
  for (const auto& [k, v] : recorded.items()) keys.insert(k);
  for (const auto& [k, v] : planned.items()) keys.insert(k);
  for (const auto& k : keys) {
    const auto r = recorded.value(k, nlohmann::json());
    const auto p = planned.value(k, nlohmann::json());
    if (r == p) continue;
    auto text = [](const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
    auto [before, after] = excerpts(text(r), text(p));
    std::string name = k;
    std::replace(name.begin(), name.end(), '_', ' ');
    return "the " + name + ": recorded " + before + ", now " + after;
  }
  return "";
}

// Parts that carry ids made at every planning (Message-IDs) compare by the delivery's content.
bool compares_content_only(const std::string& channel) {
  const channel::Spec* spec = registry::find(channel);
  return spec && spec->compare_content_only;
}

// The set of addresses changed between the list recorded and the list planned now: told by their
// counts and digests (store::RecipientTally::digest), since neither list is held in memory.
std::optional<std::string> list_change(const store::Delivery& recorded, const store::PlannedDelivery& planned) {
  if (recorded.recipients.total == planned.recipients.count && recorded.recipients.digest == planned.recipients.digest)
    return std::nullopt;
  return std::to_string(recorded.recipients.total) + " address(es) then, " + std::to_string(planned.recipients.count) +
         " now";
}

}  // namespace

std::string to_string(Fate fate) {
  switch (fate) {
    case Fate::send: return "send";
    case Fate::done: return "done";
    case Fate::failed: return "failed";
    case Fate::retry: return "retry";
    case Fate::replace: return "replace";
    case Fate::conflict: return "conflict";
  }
  return "?";
}

bool anything_out(const store::Delivery& d) {
  using store::PartStatus;
  for (const auto& p : d.parts)
    if (p.status == PartStatus::delivered || p.status == PartStatus::in_flight || p.status == PartStatus::ambiguous)
      return true;
  return d.recipients.delivered > 0;
}

std::string content_difference(const store::Delivery& recorded, const store::PlannedDelivery& planned) {
  if (compares_content_only(planned.channel)) return json_difference(recorded.content, planned.content);
  const std::size_t n = recorded.parts.size(), m = planned.part_payloads.size();
  for (std::size_t i = 0; i < std::min(n, m); ++i) {
    if (recorded.parts[i].payload == planned.part_payloads[i]) continue;
    auto [before, after] = excerpts(recorded.parts[i].payload, planned.part_payloads[i]);
    return "part " + std::to_string(i + 1) + " of " + std::to_string(m) + ": recorded " + before + ", now " + after;
  }
  if (n != m)
    return "the thread had " + std::to_string(n) + " part(s) and now has " + std::to_string(m);
  // A delivery recorded before its content was (an older samvad) is compared by its parts.
  if (recorded.content.empty()) return "";
  return json_difference(recorded.content, planned.content);
}

bool Reconciliation::conflicts() const {
  return std::any_of(decisions.begin(), decisions.end(), [](const Decision& d) { return d.fate == Fate::conflict; });
}

bool sends(Fate fate) { return fate == Fate::send || fate == Fate::retry || fate == Fate::replace; }

std::vector<bool> parts_sent(const Decision& decision, std::size_t parts) {
  std::vector<bool> sent(parts, false);
  if (!decision.recorded || decision.fate == Fate::replace) return sent;
  const auto& recorded = decision.recorded->parts;
  for (std::size_t i = 0; i < parts && i < recorded.size(); ++i)
    sent[i] = recorded[i].status == store::PartStatus::delivered;
  return sent;
}

bool Reconciliation::sends_anything() const {
  return std::any_of(decisions.begin(), decisions.end(), [](const Decision& d) { return sends(d.fate); });
}

void Reconciliation::refuse() const {
  Diagnostics problems;
  bool emails_out = false;
  for (const auto& d : decisions) {
    if (d.fate != Fate::conflict) continue;
    const auto& r = *d.recorded;
    const bool out = anything_out(r);
    if (out && compares_content_only(r.channel)) emails_out = true;
    problems.add(ExitCode::data, "announcement " + announcement_id + " is recorded with other content for " +
                                     label_of(r.department, r.channel, r.language) + " (" + store::to_string(r.status) +
                                     (out ? "" : ", none of it sent yet") + "): " + d.difference);
  }
  std::string how = "nothing was sent. To send the new content as a separate announcement, give it a new id (--id " +
                    announcement_id + "-2); to replace the recorded one, withdraw it first (samvad retract " +
                    announcement_id + ": deletes its posts from X, and stops its unsent emails) and run this command again";
  if (emails_out) how += "; emails already sent cannot be recalled";
  problems.add(ExitCode::data, how);
  problems.throw_if_any();
  throw Error(ExitCode::data, how);  // not reached: problems is never empty
}

Reconciliation reconcile(const Plan& plan, const std::vector<store::Delivery>& recorded, bool retry_failed) {
  using store::DeliveryStatus;
  Reconciliation out;
  out.announcement_id = plan.announcement.id;
  std::map<std::string, const store::Delivery*> by_key;
  for (const auto& d : recorded) by_key[key_of(d.department, d.channel, d.language)] = &d;

  for (std::size_t i = 0; i < plan.deliveries.size(); ++i) {
    const auto& p = plan.deliveries[i];
    Decision decision;
    decision.planned = i;
    auto found = by_key.find(key_of(p.department, p.channel, p.language));
    if (found == by_key.end()) {
      out.decisions.push_back(std::move(decision));
      continue;
    }
    const store::Delivery& r = *found->second;
    decision.recorded = r;
    decision.difference = content_difference(r, p);
    const bool changed = !decision.difference.empty();
    const bool out_there = anything_out(r);
    if (r.status == DeliveryStatus::failed && !retry_failed) {
      decision.fate = Fate::failed;
    } else if (!changed) {
      if (r.status == DeliveryStatus::failed) decision.fate = Fate::retry;
      else if (r.status == DeliveryStatus::delivered || r.status == DeliveryStatus::retracted) decision.fate = Fate::done;
      else decision.fate = Fate::send;
    } else if (!out_there && (r.status == DeliveryStatus::retracted || r.status == DeliveryStatus::failed)) {
      // Withdrawn, or failed and sent again on request: nothing of the old content is out and
      // the user asked for this content now.
      decision.fate = Fate::replace;
    } else {
      decision.fate = Fate::conflict;
    }
    if (decision.fate == Fate::replace)
      out.notes.push_back(Diagnostic{ExitCode::data,
                                     label_of(p.department, p.channel, p.language) + ": the content changed since announcement " +
                                         plan.announcement.id + " was " + store::to_string(r.status) +
                                         "; none of it is out, so the new content replaces it: " + decision.difference,
                                     std::nullopt});
    if (compares_content_only(p.channel) && (decision.fate == Fate::send || decision.fate == Fate::retry)) {
      if (auto change = list_change(r, p))
        out.notes.push_back(Diagnostic{ExitCode::data,
                                       label_of(p.department, p.channel, p.language) +
                                           ": the list changed since announcement " + plan.announcement.id +
                                           " was first planned (" + *change + "); this announcement goes to the " +
                                           std::to_string(r.recipients.total) +
                                           " recipient(s) recorded then (a new announcement reaches the new list)",
                                       std::nullopt});
    }
    out.decisions.push_back(std::move(decision));
  }
  return out;
}

}  // namespace samvad::delivery
