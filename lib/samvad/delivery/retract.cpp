#include <samvad/delivery/retract.hpp>

#include <algorithm>
#include <map>

#include <samvad/core/suggest.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/twitter/client.hpp>
#include <samvad/core/text.hpp>

namespace samvad::delivery {

namespace {

// What stopped a delivery from being retracted: 75 when trying again later may work, 69 when X
// (or the configuration) refuses.
struct Stop {
  ExitCode code = ExitCode::ok;
  std::string reason;
};

ExitCode code_for(const twitter::ApiError& e) {
  switch (e.kind) {
    case twitter::ApiError::Kind::transient:
    case twitter::ApiError::Kind::ambiguous:
    case twitter::ApiError::Kind::rate_limited:
      return ExitCode::temp_fail;
    default:
      return ExitCode::unavailable;
  }
}

ExitCode worse(ExitCode a, ExitCode b) {
  if (a == ExitCode::unavailable || b == ExitCode::unavailable) return ExitCode::unavailable;
  if (a == ExitCode::temp_fail || b == ExitCode::temp_fail) return ExitCode::temp_fail;
  return ExitCode::ok;
}

// Deletes what is left of one delivery on X, newest part first; records each part retracted as
// it goes. Returns what stopped it, if anything.
Stop retract_parts(store::Store& st, const store::Delivery& d, twitter::Client& client, Observer& observer) {
  std::optional<std::string> user_id;
  const std::string count = std::to_string(d.parts.size());
  for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it) {
    const store::Part& part = *it;
    const std::string label = "part " + std::to_string(part.index + 1) + "/" + count;
    if (part.status == store::PartStatus::retracted) continue;
    std::string id = part.remote_id;
    if (id.empty()) {
      // Never sent, or refused by X: nothing of it is on X.
      if (part.status == store::PartStatus::pending || part.status == store::PartStatus::failed) continue;
      // Sent, but its answer (and so its id) was lost: the account's recent posts tell.
      auto ids = twitter::posts_with_text(client, user_id, part.payload);
      if (!ids.ok())
        return {code_for(ids.error()), label + " was sent but its answer was lost, and X could not be asked whether it "
                                                "is posted: " + twitter::describe(ids.error())};
      for (const auto& candidate : *ids) {
        if (!st.adopt_remote_id(d.id, part.index, candidate, store::PartStatus::delivered)) {
          id = candidate;
          break;
        }
      }
      if (id.empty()) {
        // Not there (or only another announcement's post of the same text, which X's duplicate
        // rule says means ours was never made): the same conclusion a rerun of the post draws.
        st.set_part_status(d.id, part.index, store::PartStatus::retracted);
        observer.note(d.department + ": " + label + " was never posted (not among the account's recent posts)");
        continue;
      }
      observer.note(d.department + ": " + label + " was found as " + id);
    }
    auto deleted = client.delete_post(id);
    if (deleted.ok() && !*deleted)
      return {ExitCode::unavailable, "deleting " + id + " (" + label + "): X answered that it was not deleted"};
    if (!deleted.ok() && deleted.error().kind != twitter::ApiError::Kind::not_found)
      return {code_for(deleted.error()), "deleting " + id + " (" + label + "): " + twitter::describe(deleted.error())};
    st.set_part_status(d.id, part.index, store::PartStatus::retracted, id);
    observer.note(d.department + ": deleted " + id);
  }
  return {};
}

// An email cannot be recalled, but one none of which was sent can be withdrawn, so that no
// rerun sends it: marked retracted, as a deleted post is. One that went out stays as it is.
void withdraw_email(store::Store& st, const store::Delivery& d, const store::Holder& me, Observer& observer) {
  if (d.status == store::DeliveryStatus::retracted) {
    observer.settled(report_of(d));
    return;
  }
  if (!st.claim(d.id, me)) {
    observer.note(d.department + ": its email is being sent by another samvad process; it cannot be withdrawn now");
    return;
  }
  auto current = st.delivery(d.id);
  if (anything_out(*current)) {
    observer.note(d.department + ": its email was already sent (emails cannot be recalled); it stays " +
                  store::to_string(current->status));
  } else {
    for (const auto& part : current->parts) st.set_part_status(d.id, part.index, store::PartStatus::retracted);
    st.set_delivery_status(d.id, store::DeliveryStatus::retracted, "withdrawn before it was sent");
    observer.settled(report_of(*st.delivery(d.id)));
  }
  st.release(d.id, me);
}

}  // namespace

RetractResult retract(const RetractRequest& request, const config::Config& config, const config::Credentials& credentials,
                      const std::filesystem::path& store_path, const twitter::HttpFactory& http, Observer& observer) {
  store::Store st = store::Store::open(store_path);
  if (!st.announcement(request.announcement_id))
    throw Error(ExitCode::no_input, "no announcement '" + shown(request.announcement_id) + "' in " + store_path.string() +
                                        "; expected an id from 'samvad history'");
  auto deliveries = st.deliveries(request.announcement_id);
  std::vector<std::string> departments;
  for (const auto& d : deliveries)
    if (std::find(departments.begin(), departments.end(), d.department) == departments.end()) departments.push_back(d.department);
  for (const auto& dep : request.departments)
    if (std::find(departments.begin(), departments.end(), dep) == departments.end())
      throw Error(ExitCode::usage, "announcement " + shown(request.announcement_id) + " did not go to department '" + shown(dep) + "'" +
                                       did_you_mean(dep, departments));

  RetractResult result;
  std::map<long long, std::string> not_retracted;  // delivery id -> why
  const store::Holder me = store::Holder::self();
  for (const auto& d : deliveries) {
    if (!request.departments.empty() &&
        std::find(request.departments.begin(), request.departments.end(), d.department) == request.departments.end())
      continue;
    if (d.channel == "email") {
      withdraw_email(st, d, me, observer);
      continue;
    }
    if (d.channel != "twitter") continue;
    if (d.status == store::DeliveryStatus::retracted) {
      observer.settled(report_of(d));
      continue;
    }
    Stop stop;
    if (!st.claim(d.id, me)) {
      stop = {ExitCode::temp_fail, "another samvad process is working on this delivery; try again when it has finished"};
    } else {
      auto current = st.delivery(d.id);  // what the previous holder left, now that it is ours
      const config::Department* department = config.find_department(d.department);
      if (!department || !department->twitter) {
        stop = {ExitCode::unavailable, "department " + d.department + " has no X account in the configuration any more"};
      } else {
        auto client_http = http(*department->twitter);
        twitter::Client client(*client_http, twitter::Endpoint{department->twitter->api_base,
                                                               twitter::keys_for(credentials, d.department)});
        stop = retract_parts(st, *current, client, observer);
      }
      // Called retracted only when nothing of it is left on X; otherwise it stays as it was.
      if (stop.code == ExitCode::ok) st.set_delivery_status(d.id, store::DeliveryStatus::retracted);
      st.release(d.id, me);
    }
    auto after = st.delivery(d.id);
    DeliveryReport r = report_of(*after);
    if (stop.code != ExitCode::ok) {
      // What happened to the retraction; the delivery itself keeps its recorded status.
      r.error = stop.reason + "; not retracted, it stays " + r.status;
      r.status = stop.code == ExitCode::temp_fail ? "deferred" : "failed";
      not_retracted[d.id] = *r.error;
      result.exit_code = worse(result.exit_code, stop.code);
    }
    observer.settled(r);
  }
  auto after = st.deliveries(request.announcement_id);
  result.report = report_of(request.announcement_id, after);
  for (std::size_t i = 0; i < after.size(); ++i)
    if (auto it = not_retracted.find(after[i].id); it != not_retracted.end()) result.report.deliveries[i].error = it->second;
  return result;
}

}  // namespace samvad::delivery
