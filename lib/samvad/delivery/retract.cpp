#include <samvad/delivery/retract.hpp>

#include <algorithm>

#include <samvad/core/suggest.hpp>
#include <samvad/twitter/client.hpp>
#include <samvad/core/text.hpp>

namespace samvad::delivery {

RunReport retract(const RetractRequest& request, const config::Config& config, const config::Credentials& credentials,
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

  const store::Holder me = store::Holder::self();
  for (const auto& d : deliveries) {
    if (d.channel != "twitter") continue;
    if (!request.departments.empty() &&
        std::find(request.departments.begin(), request.departments.end(), d.department) == request.departments.end())
      continue;
    if (!st.claim(d.id, me)) {
      DeliveryReport r = report_of(d);
      r.error = "another samvad process is working on this delivery; try again when it has finished";
      observer.settled(r);
      continue;
    }
    const config::Department* department = config.find_department(d.department);
    std::string error;
    bool all_gone = true;
    if (!department || !department->twitter) {
      error = "department " + d.department + " has no X account in the configuration any more";
      all_gone = false;
    } else {
      auto client_http = http(*department->twitter);
      twitter::Client client(*client_http, twitter::Endpoint{department->twitter->api_base,
                                                             twitter::keys_for(credentials, d.department)});
      // Replies first, so no post is left replying to a deleted one.
      for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it) {
        if (it->remote_id.empty() || it->status == store::PartStatus::retracted) continue;
        auto deleted = client.delete_post(it->remote_id);
        if (deleted.ok() || deleted.error().kind == twitter::ApiError::Kind::not_found) {
          st.set_part_status(d.id, it->index, store::PartStatus::retracted, it->remote_id);
          observer.note(d.department + ": deleted " + it->remote_id);
        } else {
          all_gone = false;
          error = "deleting " + it->remote_id + ": " + deleted.error().detail;
          break;
        }
      }
    }
    if (all_gone) st.set_delivery_status(d.id, store::DeliveryStatus::retracted);
    else st.set_delivery_status(d.id, d.status, error);
    st.release(d.id, me);
    auto after = st.delivery(d.id);
    DeliveryReport r = report_of(*after);
    if (!all_gone) r.error = error;
    observer.settled(r);
  }
  return report_of(request.announcement_id, st.deliveries(request.announcement_id));
}

}  // namespace samvad::delivery
