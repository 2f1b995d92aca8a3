#include <samvad/delivery/retract.hpp>

#include <algorithm>
#include <map>

#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/registry/channels.hpp>

namespace samvad::delivery {

namespace {

// What stopped a delivery from being retracted, if anything.
struct Stop {
  ExitCode code = ExitCode::ok;
  std::string reason;
};

ExitCode worse(ExitCode a, ExitCode b) {
  if (a == ExitCode::unavailable || b == ExitCode::unavailable) return ExitCode::unavailable;
  if (a == ExitCode::temp_fail || b == ExitCode::temp_fail) return ExitCode::temp_fail;
  return ExitCode::ok;
}

// Only departments the announcement went to can be named.
void check_departments(const RetractRequest& request, const std::vector<store::Delivery>& deliveries) {
  std::vector<std::string> departments;
  for (const auto& d : deliveries)
    if (std::find(departments.begin(), departments.end(), d.department) == departments.end())
      departments.push_back(d.department);
  for (const auto& dep : request.departments)
    if (std::find(departments.begin(), departments.end(), dep) == departments.end())
      throw Error(ExitCode::usage, "announcement " + shown(request.announcement_id) + " did not go to department '" +
                                       shown(dep) + "'" + did_you_mean(dep, departments));
}

// One delivery, claimed so that no sender works on it meanwhile, retracted by its channel.
channel::Retraction retract_delivery(store::Store& st, const store::Delivery& d, const config::Config& config,
                                     const config::Credentials& credentials, const channel::Services& services,
                                     Observer& observer) {
  const channel::Spec* spec = registry::find(d.channel);
  if (!spec)
    return {channel::Retraction::Kind::stopped, ExitCode::unavailable,
            "samvad has no channel '" + d.channel + "' to retract it with"};
  const store::Holder me = store::Holder::self();
  if (!st.claim(d.id, me))
    return {channel::Retraction::Kind::stopped, ExitCode::temp_fail,
            "another samvad process is working on this delivery; try again when it has finished"};
  auto current = st.delivery(d.id);  // what the previous holder left, now that it is ours
  channel::RetractContext context{
      config.find_department(d.department), credentials, services,
      [&observer, dep = d.department](const std::string& line) { observer.note(dep + ": " + line); }};
  channel::Retraction done = spec->retract(st, *current, context);
  if (done.kind == channel::Retraction::Kind::retracted)
    st.set_delivery_status(d.id, store::DeliveryStatus::retracted, done.reason);
  st.release(d.id, me);
  return done;
}

}  // namespace

RetractResult retract(const RetractRequest& request, const config::Config& config,
                      const config::Credentials& credentials, const store::Location& store_path,
                      const channel::Services& services, Observer& observer) {
  store::Store st = store::Store::open(store_path);
  if (!st.announcement(request.announcement_id))
    throw Error(ExitCode::no_input, "no announcement '" + shown(request.announcement_id) + "' in " +
                                        store_path.shown() + "; expected an id from 'samvad history'");
  auto deliveries = st.deliveries(request.announcement_id);
  check_departments(request, deliveries);

  RetractResult result;
  std::map<long long, std::string> not_retracted;  // delivery id -> why
  for (const auto& d : deliveries) {
    if (!request.departments.empty() &&
        std::find(request.departments.begin(), request.departments.end(), d.department) == request.departments.end())
      continue;
    if (d.status == store::DeliveryStatus::retracted) {
      observer.settled(report_of(d));
      continue;
    }
    const channel::Retraction done = retract_delivery(st, d, config, credentials, services, observer);
    if (done.kind == channel::Retraction::Kind::kept) {
      // Nothing to do about it, and nothing wrong: said, and the delivery keeps its status.
      observer.note(d.department + ": " + done.reason + "; it stays " + store::to_string(st.delivery(d.id)->status));
      continue;
    }
    Stop stop{done.kind == channel::Retraction::Kind::stopped ? done.code : ExitCode::ok, done.reason};
    auto after = st.delivery(d.id);
    DeliveryReport r = report_of(*after);
    if (stop.code != ExitCode::ok) {
      // What happened to the retraction; the delivery itself keeps its recorded status.
      r.error = stop.reason + "; not retracted, it stays " + store::to_string(r.status);
      r.status = stop.code == ExitCode::temp_fail ? store::DeliveryStatus::deferred : store::DeliveryStatus::failed;
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
